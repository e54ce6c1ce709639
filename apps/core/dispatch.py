"""What every emailing job's progress row shares: its states and when it is finished.

The stakeholder update and the meeting notes each keep a row per emailing that the page
polls; the states and the finished rule are one definition so both pages read alike.
"""

from django.db import models


class DispatchStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class DispatchProgress:
    """Mixed into a dispatch model with a `status` field of DispatchStatus."""

    status: str

    @property
    def is_finished(self) -> bool:
        return self.status in (DispatchStatus.SENT, DispatchStatus.FAILED)
