"""Background jobs: eager in-process without a broker, and a real worker over Redis."""

import pytest
from django.core.cache import cache

from apps.core.health import HEARTBEAT_CACHE_KEY
from apps.core.tasks import worker_heartbeat
from tests.services import TEST_BROKER_URL


def test_it_runs_tasks_in_process_when_no_broker_is_configured(settings):
    assert settings.CELERY_BROKER_URL is None
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    cache.delete(HEARTBEAT_CACHE_KEY)

    result = worker_heartbeat.delay()

    assert result.successful()
    assert cache.get(HEARTBEAT_CACHE_KEY) == result.get()["at"]


def test_the_project_app_acknowledges_late_and_schedules_the_heartbeat():
    from expprogram.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.beat_schedule["worker-heartbeat"]["task"] == "apps.core.tasks.worker_heartbeat"
    assert "apps.core.tasks.worker_heartbeat" in app.tasks


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_sent_through_redis(celery_app, celery_worker):
    import redis

    assert celery_app.conf.task_always_eager is False
    cache.delete(HEARTBEAT_CACHE_KEY)

    result = worker_heartbeat.delay()
    beat = result.get(timeout=20)

    # The result came back through Redis, not from an in-process call.
    stored = redis.Redis.from_url(TEST_BROKER_URL).get(f"celery-task-meta-{result.id}")
    assert stored is not None and b"SUCCESS" in stored

    assert result.status == "SUCCESS"
    assert beat["host"]
    assert cache.get(HEARTBEAT_CACHE_KEY) == beat["at"]
