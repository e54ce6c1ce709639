"""Beat jobs for meetings. Thin: call one service, log the outcome; the services are
idempotent, so a retried or doubled run changes nothing twice."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


# A failed send rolls back that owner's DigestSent row and the copies already sent stay
# recorded, so a retry sends only what is missing. smtplib's errors and dropped or refused
# connections are all OSErrors. The backoff (up to 1, 2, then 4 minutes, jittered) lets the
# mail server recover.
@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=60,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
)
def send_action_item_digests() -> dict:
    """Daily: each owner's overdue and due-soon action items, once per person per day."""
    outcome = services.action_item_digests_send()
    logger.info("action item digests: %s sent, %s skipped", outcome.sent, outcome.skipped)
    return {"sent": outcome.sent, "skipped": outcome.skipped}


# No retry: the next hourly run drafts whatever this one missed.
@shared_task(acks_late=True)
def draft_upcoming_agendas() -> dict:
    """Hourly: draft the agenda of working-group meetings starting within two days."""
    drafted = services.meetings_draft_due()
    logger.info("drafted %s upcoming agendas", drafted)
    return {"drafted": drafted}


# No retry: series stay several meetings ahead, so tomorrow's run catches up.
@shared_task(acks_late=True)
def extend_meeting_series() -> dict:
    """Daily: keep every active series scheduled a few meetings ahead."""
    created = services.series_extend_all()
    logger.info("scheduled %s meetings ahead", created)
    return {"created": created}


# No retry: the service catches a failed send and marks the dispatch failed for the page to
# show, so nothing reaches Celery to retry; a redelivery after a crash skips the copies sent.
@shared_task(acks_late=True)
def send_meeting_notes(dispatch_id: int) -> str:
    """Email a meeting's queued notes; the dispatch row records progress and failure."""
    return services.notes_dispatch_run(dispatch_id).status
