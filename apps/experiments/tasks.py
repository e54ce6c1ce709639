"""Background jobs for experiments. Thin: each loads an id and calls one service."""

import logging

from celery import shared_task
from django.conf import settings

from .services.snapshots import PullFailed

logger = logging.getLogger(__name__)


# A data source that is down or slow raises PullFailed after the service recorded the
# error on the snapshot (the previous snapshot stays the current one); the job retries with
# a jittered backoff of up to 1, 2 and 4 minutes. acks_late with reject-on-worker-lost (the
# app's defaults) redelivers a pull whose worker died; the service completes the row.
@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(PullFailed,),
    max_retries=3,
    retry_backoff=settings.EXPERIMENTS_PULL_RETRY_BACKOFF,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
)
def pull_results(self, snapshot_id: int) -> str:
    """Pull a queued snapshot's statistics from the data source and analyse them."""
    from .services import snapshot_pull

    # Run in-process (the embedded default, no worker), a retry would block the request that
    # queued it: the failure is recorded at once and "Refresh now" tries again.
    final = bool(self.request.is_eager) or self.request.retries >= (self.max_retries or 0)
    snapshot = snapshot_pull(snapshot_id, final_attempt=final)
    status = snapshot.status if snapshot is not None else "skipped"
    logger.info("snapshot %s: %s", snapshot_id, status)
    return status


# No retry: the next tick creates whatever slot this one missed.
@shared_task(acks_late=True)
def schedule_pulls() -> dict:
    """Every few minutes: queue the scheduled pull of each running experiment that is due."""
    from .services import pulls_schedule_due

    queued = pulls_schedule_due()
    logger.info("queued %s scheduled pulls", queued)
    return {"queued": queued}


# A failed send leaves the alert unsent for the next snapshot's run to try again.
@shared_task(acks_late=True, autoretry_for=(OSError,), max_retries=3, retry_backoff=60,
             retry_jitter=True)  # fmt: skip
def send_snapshot_alerts(snapshot_id: int) -> int:
    """Email the owner and the statistics lead about a new guardrail breach or SRM, once."""
    from .services import snapshot_alerts_send

    return snapshot_alerts_send(snapshot_id)
