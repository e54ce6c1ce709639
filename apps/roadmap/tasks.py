"""Background jobs for the roadmap. Thin: each calls one service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_stakeholder_update(dispatch_id: int) -> str:
    """Email a queued stakeholder update; the dispatch row records progress and failure."""
    return services.stakeholder_update_dispatch_run(dispatch_id).status
