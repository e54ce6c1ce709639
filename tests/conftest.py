# Django imports stay inside fixtures: tests/stats/engine runs without Django (-p no:django).
import os

import pytest

from .services import (
    CHROMIUM,
    TEST_BROKER_URL,
    chromium_available,
    postgres_configured,
    redis_available,
    require,
)

# celery_app / celery_worker: a real worker thread over Redis, for the @redis tests.
pytest_plugins = ("celery.contrib.pytest",)

# Browser tests drive live_server from pytest-playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's Chromium, never a downloaded browser; without the background-networking flags
# it keeps dialling out and this machine's closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def celery_config():
    # Its own Redis database, so a developer's running worker cannot take these messages.
    return {"broker_url": TEST_BROKER_URL, "result_backend": TEST_BROKER_URL}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        require(postgres_configured(), "DATABASE_URL does not point at PostgreSQL")
    if item.get_closest_marker("redis"):
        require(redis_available(), "Redis is not reachable at CELERY_TEST_BROKER_URL")
    if item.get_closest_marker("browser"):
        require(chromium_available(), "Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo cast once per test database, not once per test.

    Tests that use `db` run inside a transaction that rolls back to this state. pytest-django
    runs transactional tests last; their flush empties the tables, and `demo` then seeds the
    cast again inside the test.
    """
    from apps.accounts.demo import seed_people

    with django_db_blocker.unblock():
        seed_people()


@pytest.fixture
def demo(db):
    """The demo program's people: a working group with every role.

    Fresh instances on every test, read in three queries, so that a test that changes one
    in memory leaves the next test's untouched.
    """
    from apps.accounts.demo import (
        BUSINESS_UNITS,
        DEMO_GROUP_SLUG,
        PEOPLE,
        DemoPeople,
        seed_people,
    )
    from apps.accounts.models import BusinessUnit, User, WorkingGroup

    group = WorkingGroup.objects.filter(slug=DEMO_GROUP_SLUG).first()
    usernames = [person[0] for person in PEOPLE]
    users = User.objects.in_bulk(usernames, field_name="username")
    if group is None or len(users) < len(PEOPLE):
        return seed_people()
    slugs = [unit[1] for unit in BUSINESS_UNITS]
    units = BusinessUnit.objects.in_bulk(slugs, field_name="slug")
    return DemoPeople(
        group=group,
        users={name: users[name] for name in usernames},
        units={slug: units[slug] for slug in slugs},
    )


@pytest.fixture
def demo_password() -> str:
    from apps.accounts.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


@pytest.fixture
def api_as(demo):
    """api_as("priya") → an APIClient authenticated as that demo user (None: anonymous)."""
    from rest_framework.test import APIClient

    def make(username: str | None) -> APIClient:
        client = APIClient()
        if username is not None:
            client.force_authenticate(demo.users[username])
        return client

    return make


@pytest.fixture
def web_as(client, demo):
    """web_as("sofia") → the Django test client logged in as that demo user."""

    def make(username: str | None):
        client.logout()
        if username is not None:
            client.force_login(demo.users[username])
        return client

    return make
