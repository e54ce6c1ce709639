"""The timebox maximum (one definition, read by the model, the forms, the API and the
services) and an over-time agenda flagged in the agenda's header."""

import pytest
from django.core.exceptions import ValidationError

from apps.meetings import hooks, services
from apps.meetings.hooks import AgendaCandidate
from apps.meetings.models import TIMEBOX_MAX_MINUTES, AgendaItem

pytestmark = pytest.mark.django_db


def test_the_timebox_maximum_is_two_hours():
    assert TIMEBOX_MAX_MINUTES == 120


def test_a_timebox_past_the_maximum_is_refused_by_service_api_and_page(
    demo, meeting, api_as, web_as
):
    pm = demo.users["priya"]
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_add(actor=pm, meeting=meeting, title="Offsite", minutes=121)
    assert "1 to 120 minutes" in refused.value.message_dict["minutes"][0]

    api = api_as("priya").post(
        "/api/v1/agenda-items/",
        {"meeting": meeting.pk, "title": "Offsite", "minutes": 121},
        format="json",
    )
    assert api.status_code == 400 and "minutes" in api.json()["fields"]

    page = web_as("priya").post(
        f"/meetings/{meeting.pk}/agenda/", {"title": "Offsite", "minutes": 121}
    )
    assert page.status_code == 400
    assert not AgendaItem.objects.filter(title="Offsite").exists()
    item = services.agenda_item_add(actor=pm, meeting=meeting, title="Offsite", minutes=120)
    assert item.minutes == 120


def test_a_source_suggesting_a_longer_timebox_is_capped(demo, meeting, monkeypatch):
    monkeypatch.setattr(hooks, "_SOURCES", dict(hooks._SOURCES))

    @hooks.agenda_source("tests.marathon", order=50, heading="Marathon")
    def marathon(ctx):
        yield AgendaCandidate(key="marathon", title="Everything at once", minutes=600)

    services.meeting_draft_agenda(actor=demo.users["priya"], meeting=meeting)

    assert AgendaItem.objects.get(key="marathon").suggested_minutes == TIMEBOX_MAX_MINUTES


def test_an_over_time_agenda_is_flagged_in_its_header(demo, meeting, web_as):
    pm = demo.users["priya"]
    services.agenda_item_add(actor=pm, meeting=meeting, title="Q3 planning", minutes=50)
    client = web_as("priya")
    within = client.get(f"/meetings/{meeting.pk}/").content.decode()
    services.agenda_item_add(actor=pm, meeting=meeting, title="Hiring", minutes=25)

    over = client.get(f"/meetings/{meeting.pk}/").content.decode()

    assert 'data-testid="over-time"' not in within
    assert 'data-testid="over-time"' in over
    assert "Over time by 15 min:" in over
    assert "the agenda runs 75 min in a 60-minute meeting" in over
    # In the header, before the first item, not in the small print.
    assert over.index('data-testid="over-time"') < over.index('data-testid="agenda-item"')
