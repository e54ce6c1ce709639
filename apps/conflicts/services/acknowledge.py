"""The statistics lead's acknowledgement: a blocking conflict accepted, with the reason.

An acknowledged conflict no longer stops a launch; it stays listed (acknowledged) until
the scan finds it no longer holds. Only the statistics lead (or an admin) may acknowledge
(Action.REVIEW), and only with a reason, which is recorded with who and when.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User
from apps.accounts.policy import Action
from apps.conflicts.models import Conflict, ConflictStatus
from apps.core.text_rules import check_text

REASON_REQUIRED = "Say why the launch may go ahead despite this conflict."


@transaction.atomic
def conflict_acknowledge(*, actor: User, conflict: Conflict, reason: str) -> Conflict:
    """Acknowledge an open conflict; a refused acknowledgement changes nothing."""
    # Locked: the scan resolving it and the lead acknowledging it must not cross.
    row = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if not policy.allows(actor, row.working_group_id, Action.REVIEW):
        raise PermissionDenied(
            "Only the group's statistics lead (or an admin) acknowledges a conflict."
        )
    text = check_text("reason", reason, max_length=4000, required=REASON_REQUIRED)
    if row.status == ConflictStatus.RESOLVED:
        raise ValidationError(
            {"status": "This conflict is resolved: there is nothing left to acknowledge."}
        )
    row.status = ConflictStatus.ACKNOWLEDGED
    row.acknowledged_by, row.acknowledged_at, row.acknowledgement = actor, timezone.now(), text
    row.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "acknowledgement"])
    conflict.__dict__.update(row.__dict__)
    return row
