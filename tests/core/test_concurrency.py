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
    """Every client sends at the same moment; returns, in client order, each status or the
    exception that escaped."""
    barrier = threading.Barrier(len(clients))
    outcomes: list = [None] * len(clients)

    def run(n, client):
        try:
            barrier.wait()
            outcomes[n] = send(n, client).status_code
        except Exception as exc:  # the test client re-raises what would have been a 500
            outcomes[n] = repr(exc)
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


def test_concurrent_note_saves_moves_and_redrafts_all_answer(demo, meeting):
    items = [
        services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title=f"Item {n}")
        for n in range(8)
    ]
    clients = [APIClient() for _ in range(WRITERS)]
    for client in clients:
        client.force_authenticate(demo.users["priya"])

    def send(n, client):
        if n < 4:  # each saves the notes of its own item
            return client.put(
                f"/api/v1/agenda-items/{items[n + 4].pk}/notes/",
                {"notes": f"notes {n}", "version": 0},
                format="json",
            )
        if n < 8:  # items 0-3 move down: none can reach the end, so every move is allowed
            return client.post(
                f"/api/v1/agenda-items/{items[n - 4].pk}/move/",
                {"direction": "down"},
                format="json",
            )
        return client.post(f"/api/v1/meetings/{meeting.pk}/draft-agenda/")

    outcomes = _race(clients, send)

    assert outcomes == [200] * WRITERS
    saved = AgendaItem.objects.filter(pk__in=[item.pk for item in items[4:]])
    assert sorted(saved.values_list("notes", flat=True)) == [f"notes {n}" for n in range(4)]
