"""Background jobs for conflicts. Thin: each calls one service and logs what it did."""

import logging

from celery import shared_task
from django.db import DatabaseError, OperationalError

logger = logging.getLogger(__name__)


# Hourly (beat "conflicts-scan-hourly"). The scan is idempotent, so a redelivered or
# retried run changes nothing that the first one wrote; a database hiccup retries.
@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=3, retry_backoff=30,
             retry_jitter=True)  # fmt: skip
def scan_conflicts() -> dict:
    """Compare every experiment in review, approved or running; open, update, resolve."""
    from .services import conflicts_scan

    result = conflicts_scan().as_dict()
    logger.info("conflicts scan: %s", result)
    return result


@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=3, retry_backoff=10,
             retry_jitter=True)  # fmt: skip
def check_experiment_conflicts(experiment_id: int) -> dict:
    """After a design or status change: compare that experiment with the rest."""
    from .services import conflicts_check_experiment

    result = conflicts_check_experiment(experiment=experiment_id).as_dict()
    logger.info("conflicts of experiment %s: %s", experiment_id, result)
    return result


# A failed send leaves the conflict unannounced for the next job (each recipient is
# recorded before their email, so a retry never emails anyone twice).
@shared_task(acks_late=True, autoretry_for=(OSError, DatabaseError), max_retries=3,
             retry_backoff=60, retry_jitter=True)  # fmt: skip
def send_conflict_notices() -> int:
    """Email the owners of both experiments about each new conflict, once."""
    from .services import conflict_notices_send

    sent = conflict_notices_send()
    logger.info("conflict notices sent: %s", sent)
    return sent


@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=2, retry_backoff=60,
             retry_jitter=True)  # fmt: skip
def check_interaction(conflict_id: int) -> str:
    """Test two experiments' shared data for assignment dependence and interaction."""
    from .services import conflict_interaction

    conflict = conflict_interaction(conflict_id=conflict_id)
    verdict = conflict.verdict or "none"
    logger.info("interaction of conflict %s: %s", conflict_id, verdict)
    return verdict
