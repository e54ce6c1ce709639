"""iCalendar files: one meeting's `.ics` and a series' feed, built with the icalendar package.

Times are written in the meeting's own zone with its VTIMEZONE, so calendars keep a
10:00 Berlin meeting at 10:00 across daylight-saving changes. UIDs are stable per meeting,
so a moved meeting updates the calendar entry instead of adding a second one.
"""

import re

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import Meeting

PRODID = "-//ExPr//Meetings//EN"

# RFC 5545 TEXT admits no control characters but tab; line breaks are escaped as "\n".
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: str) -> vText:
    """A TEXT value people typed, safe on one content line.

    vText escapes line breaks, commas and semicolons, so a title with a line break and
    "BEGIN:VEVENT" in it stays inside its SUMMARY instead of starting a new event; an X-
    property such as X-WR-CALNAME is only escaped when given as vText explicitly.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return vText(_CONTROL.sub("", value))


def _uid(meeting: Meeting) -> str:
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "expr"
    return f"meeting-{meeting.pk}@{host.strip('[].*') or 'expr'}"


def _event(meeting: Meeting, url: str = "") -> Event:
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("summary", _text(meeting.title))
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.ends_at.astimezone(meeting.zone))
    # A sequence that grows with each change makes calendar apps take the new time.
    event.add("sequence", int(meeting.moved) + int(meeting.is_cancelled))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if meeting.location:
        event.add("location", _text(meeting.location))
    description = meeting.get_kind_display()
    if url:
        description += f"\n{url}"
        event.add("url", url)
    event.add("description", _text(description))
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _text(name))
    return calendar


def meeting_ics(meeting: Meeting, url: str = "") -> bytes:
    calendar = _calendar(meeting.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(meeting, url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(name: str, meetings: list[Meeting], url_for) -> bytes:
    calendar = _calendar(name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, url_for(meeting)))
    calendar.add_missing_timezones()
    return calendar.to_ical()
