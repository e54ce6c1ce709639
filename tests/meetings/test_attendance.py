"""The notes show who came as recorded, or say that attendance was not taken: never every
invitee as if they had all been there."""

import pytest
from django.core import mail

from apps.meetings import selectors, services

pytestmark = pytest.mark.django_db


def _markdown(meeting, viewer):
    return selectors.meeting_markdown(selectors.meeting_report(meeting, viewer=viewer))


def test_notes_without_recorded_attendance_say_it_was_not_taken(demo, meeting):
    text = _markdown(meeting, demo.users["priya"])

    invited = meeting.attendees.count()
    assert f"- Attendance: not taken ({invited} invited)" in text
    assert "Present:" not in text and demo.users["tomas"].display_name not in text


def test_notes_list_those_present_and_those_absent_once_recorded(demo, meeting):
    users = demo.users
    services.meeting_record_attendance(
        actor=users["priya"], meeting=meeting, present=[users["lena"], users["marco"]]
    )

    text = _markdown(meeting, users["priya"])

    present_line = next(line for line in text.splitlines() if line.startswith("- Present:"))
    absent_line = next(line for line in text.splitlines() if line.startswith("- Absent:"))
    assert users["lena"].display_name in present_line
    assert users["marco"].display_name in present_line
    assert users["tomas"].display_name not in present_line
    assert users["tomas"].display_name in absent_line
    assert "not taken" not in text


def test_the_meeting_page_says_attendance_was_not_taken_until_it_is(demo, meeting, web_as):
    client = web_as("priya")
    before = client.get(f"/meetings/{meeting.pk}/").content.decode()
    client.post(f"/meetings/{meeting.pk}/attendance/", {"present": [demo.users["lena"].pk]})
    after = client.get(f"/meetings/{meeting.pk}/").content.decode()

    assert 'data-testid="attendance-not-taken"' in before
    assert 'data-testid="attendance-not-taken"' not in after
    assert "present</span>" in after and "absent</span>" in after


def test_the_emailed_notes_carry_the_same_attendance(
    demo, meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_share_notes(
            actor=demo.users["priya"], meeting=meeting, confirm_not_held=True
        )

    assert mail.outbox
    for message in mail.outbox:
        assert "Attendance: not taken" in message.body
        assert "Attendance: not taken" in message.alternatives[0][0]
