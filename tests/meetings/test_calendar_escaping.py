"""Line breaks in what people type stay inside their iCalendar property: a title can never
start an event of its own or break the feed every subscriber reads."""

from datetime import time

import pytest
from icalendar import Calendar

from apps.meetings import services

pytestmark = pytest.mark.django_db

INJECTED = "Roadmap review\nBEGIN:VEVENT\nSUMMARY:forged"


def _events(body: bytes) -> list:
    return Calendar.from_ical(body).walk("VEVENT")


def test_a_meeting_title_with_a_line_break_stays_one_event(web_as, meeting, demo):
    services.meeting_update(
        actor=demo.users["priya"], meeting=meeting, title=INJECTED, location="Room 1\r\nEND:VEVENT"
    )

    response = web_as("sofia").get(f"/meetings/{meeting.pk}/meeting.ics")

    assert response.status_code == 200
    (event,) = _events(response.content)
    assert str(event["summary"]) == INJECTED
    assert str(event["location"]) == "Room 1\nEND:VEVENT"
    assert b"\r\nBEGIN:VEVENT\r\nSUMMARY:forged" not in response.content


def test_a_series_title_with_a_line_break_keeps_the_feed_whole(client, demo):
    series = services.series_create(
        actor=demo.users["priya"], group=demo.group, weekday=2, start_time=time(9)
    )
    services.series_update(actor=demo.users["priya"], series=series, title=INJECTED + "\r")
    token = services.calendar_token_for(user=demo.users["sofia"]).token

    response = client.get(f"/meetings/feed/{token}/series-{series.pk}.ics")

    assert response.status_code == 200
    events = _events(response.content)
    assert len(events) == services.GENERATE_AHEAD
    assert {str(e["summary"]) for e in events} == {INJECTED + "\n"}
    assert b"\r\nSUMMARY:forged" not in response.content
