"""Test settings: the base settings with fast hashing and an in-memory outbox.

DATABASE_URL decides the database (PostgreSQL in CI, SQLite otherwise).
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not the shared in-memory database: its table locks ignore the busy timeout, so
    # the thread tests would not meet the locking `make run` does. One file per run, because
    # several runs may share this machine.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"expr-test-{os.getpid()}.sqlite3")
    }

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process unless a test starts a real worker itself.
CELERY_BROKER_URL = None
CELERY_TASK_ALWAYS_EAGER = True
# A failed pull retries within seconds, so the real-worker tests see the retry succeed.
EXPERIMENTS_PULL_RETRY_BACKOFF = 1
# The demo warehouse, small and in this run's own file.
EXPERIMENTS_DEMO_WAREHOUSE = str(Path(tempfile.gettempdir()) / f"expr-demo-{os.getpid()}.duckdb")
EXPERIMENTS_DEMO_UNITS = 8000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The knowledge base's past experiments: the first few (the delivery-cost one among them),
# since every seed_demo in the suite would otherwise replay all of them through the services.
KNOWLEDGE_DEMO_LIMIT = 8
