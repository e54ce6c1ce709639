import logging
import socket

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .health import HEARTBEAT_CACHE_KEY

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=False)
def worker_heartbeat() -> dict:
    """Record that a worker is alive; beat runs it every minute and /healthz shows it."""
    beat = {"at": timezone.now().isoformat(), "host": socket.gethostname()}
    cache.set(HEARTBEAT_CACHE_KEY, beat["at"], timeout=60 * 60)
    logger.info("worker heartbeat from %s", beat["host"])
    return beat
