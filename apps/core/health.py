"""Readiness of the services ExPr depends on, for /healthz and operators."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from kombu import Connection

HEARTBEAT_CACHE_KEY = "expr:worker-heartbeat"


@dataclass(frozen=True)
class ServiceStatus:
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        return {"ok": self.ok, "detail": self.detail}


def database_status(alias: str = "default") -> ServiceStatus:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        connections[alias].close()
        return ServiceStatus(False, f"{type(exc).__name__}: {exc}".strip()[:300])
    return ServiceStatus(True, connections[alias].vendor)


def broker_status() -> ServiceStatus:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return ServiceStatus(True, "eager: tasks run in-process, no broker")
    try:
        # One quick attempt: a health check must answer fast, not wait out retries.
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return ServiceStatus(False, f"{type(exc).__name__}: {exc}".strip()[:300])
    return ServiceStatus(True, "reachable")


def last_worker_heartbeat() -> str | None:
    """ISO time of the last heartbeat a Celery worker recorded, if the cache holds one."""
    try:
        return cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:
        return None
