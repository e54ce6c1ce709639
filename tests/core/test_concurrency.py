"""Concurrent writes land, on SQLite (the `make run` default) as on PostgreSQL.

Each request runs on its own thread and connection, as under the threaded dev server or
gunicorn; none may end in a 500 ("database is locked" on SQLite).
"""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.meetings import services
from apps.meetings.models import AgendaItem, Kind

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 10


@pytest.fixture
def meeting(demo):
    return services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="WG",
        starts_at=timezone.now() + timedelta(days=1),
    )


def _race(clients, send) -> list:
    """Every client sends at the same moment; returns each status or the escaped exception."""
    barrier = threading.Barrier(len(clients))
    outcomes = []

    def run(n, client):
        try:
            barrier.wait()
            outcomes.append(send(n, client).status_code)
        except Exception as exc:  # the test client re-raises what would have been a 500
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_agenda_adds_from_the_meeting_page_all_land(demo, meeting):
    clients = [Client() for _ in range(WRITERS)]
    for client in clients:
        client.force_login(demo.users["priya"])
    url = reverse("meetings:agenda-add", args=[meeting.pk])

    outcomes = _race(clients, lambda n, c: c.post(url, {"title": f"Item {n}", "minutes": 5}))

    assert outcomes == [302] * WRITERS
    positions = AgendaItem.objects.filter(meeting=meeting).values_list("position", flat=True)
    assert sorted(positions) == list(range(WRITERS))


def test_concurrent_agenda_adds_through_the_api_all_land(demo, meeting):
    clients = [APIClient() for _ in range(WRITERS)]
    for client in clients:
        client.force_authenticate(demo.users["priya"])

    outcomes = _race(
        clients,
        lambda n, c: c.post(
            "/api/v1/agenda-items/", {"meeting": meeting.pk, "title": f"Item {n}"}, format="json"
        ),
    )

    assert outcomes == [201] * WRITERS
    positions = AgendaItem.objects.filter(meeting=meeting).values_list("position", flat=True)
    assert sorted(positions) == list(range(WRITERS))
