"""Background jobs for the roadmap. Thin: each calls one service."""

from celery import shared_task


# No retry: the service catches a failed send and marks the dispatch failed for the page to
# show, so nothing reaches Celery to retry; a redelivery after a crash skips the copies sent.
@shared_task(acks_late=True)
def send_stakeholder_update(dispatch_id: int) -> str:
    """Email a queued stakeholder update; the dispatch row records progress and failure."""
    # Imported here, not at the top: the services queue this task, so a module-level
    # import both ways would be a cycle (the HackSoft rule: tasks import services inside).
    from . import services

    return services.stakeholder_update_dispatch_run(dispatch_id).status
