"""SQLite still locked after its busy timeout: a 503 with a message, never a 500."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from apps.core.middleware import BUSY
from apps.meetings import services
from apps.meetings.models import Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(demo):
    return services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="WG",
        starts_at=timezone.now() + timedelta(days=1),
    )


@pytest.fixture
def locked(monkeypatch):
    def add(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "agenda_item_add", add)


def test_a_page_write_that_finds_the_database_locked_answers_503_with_a_message(
    web_as, meeting, locked
):
    response = web_as("priya").post(
        reverse("meetings:agenda-add", args=[meeting.pk]), {"title": "Checkout", "minutes": 5}
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.content.decode() == BUSY


def test_an_api_write_that_finds_the_database_locked_answers_503_with_a_message(
    api_as, meeting, locked
):
    response = api_as("priya").post(
        "/api/v1/agenda-items/", {"meeting": meeting.pk, "title": "Checkout"}, format="json"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response.json() == {"status": 503, "code": "database_busy", "detail": BUSY}


def test_other_database_errors_are_not_taken_for_a_busy_database(web_as, meeting, monkeypatch):
    def add(**kwargs):
        raise OperationalError("no such table: meetings_agendaitem")

    monkeypatch.setattr(services, "agenda_item_add", add)

    with pytest.raises(OperationalError, match="no such table"):
        web_as("priya").post(
            reverse("meetings:agenda-add", args=[meeting.pk]), {"title": "Checkout", "minutes": 5}
        )
