"""A scratch PostgreSQL database for a bench: Django set up on it, migrated, dropped after.

    with scratch_database("expprogram_bench_x", DEBUG=False) as settings:
        ...  # seed and time

DATABASE_URL names the server (its database is only where the scratch one is created from);
without a PostgreSQL URL the bench says so and stops with status 2, as the benches time the
production path.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expprogram.settings.test")


def require_postgres() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print(
            "Set DATABASE_URL to a PostgreSQL server, "
            "e.g. postgres://postgres@127.0.0.1:5432/expprogram"
        )
        raise SystemExit(2)


@contextmanager
def scratch_database(name: str, **overrides: Any) -> Iterator[Any]:
    """Set Django up on a new database `name` (settings `overrides` applied first)."""
    require_postgres()
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    for setting, value in overrides.items():
        setattr(settings, setting, value)
    databases = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        yield settings
    finally:
        teardown_databases(databases, verbosity=0)
