"""Which real services this test run can reach, and what to do when one is missing.

Outside CI a test that needs PostgreSQL, Redis or Chromium is skipped with the reason.
Under CI=true the same absence fails the test: CI must prove the production path.
"""

import os
import shutil
from functools import cache
from urllib.parse import urlsplit, urlunsplit

import pytest

CHROMIUM = os.environ.get("EXPR_CHROMIUM", "/usr/bin/chromium")


def _broker_url_for_this_worker() -> str:
    """The test broker's Redis database, one per pytest-xdist worker.

    Workers share one Redis server; a worker that took another's messages would run them
    against the wrong test database. gw0 keeps the configured database, gw1 the one below.
    """
    url = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = base - int(worker.removeprefix("gw"))
    if database < 1:
        raise RuntimeError(f"CELERY_TEST_BROKER_URL's database {base} leaves none for {worker}")
    return urlunsplit(parts._replace(path=f"/{database}"))


TEST_BROKER_URL = _broker_url_for_this_worker()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@cache
def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(TEST_BROKER_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def postgres_configured() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def require(available: bool, reason: str) -> None:
    if available:
        return
    if in_ci():
        pytest.fail(f"CI=true and {reason}: CI must run this test, not skip it", pytrace=False)
    pytest.skip(reason)
