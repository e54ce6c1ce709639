"""Sharing the notes: a preview naming who receives them, and an explicit confirmation
before the notes of a meeting that has not happened yet go out."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.meetings.models import Meeting, NotesDispatch

pytestmark = pytest.mark.django_db


def _held(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))


def test_the_preview_names_the_recipients_and_warns_of_a_meeting_still_ahead(demo, meeting, web_as):
    response = web_as("priya").get(f"/meetings/{meeting.pk}/share/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="not-held"' in page and "has not happened yet" in page
    assert 'name="confirm_not_held"' in page
    local = meeting.starts_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{local:%H:%M} (Europe/Berlin)" in page  # the meeting's own wall-clock time
    for person in ("Sofia", "Lena", "Marco"):  # stakeholders and attendees
        assert demo.users[person.lower()].display_name in page
    assert "Email the notes to 8 people" in page
    assert not NotesDispatch.objects.exists()  # looking sends nothing


def test_sharing_a_meeting_still_ahead_without_confirming_is_refused(demo, meeting, web_as):
    response = web_as("priya").post(f"/meetings/{meeting.pk}/share/")

    assert response.status_code == 400
    assert "has not happened yet" in response.content.decode()
    assert not NotesDispatch.objects.exists()


def test_confirming_shares_the_notes_of_a_meeting_still_ahead(demo, meeting, web_as):
    response = web_as("priya").post(f"/meetings/{meeting.pk}/share/", {"confirm_not_held": "on"})

    assert response.status_code == 302
    assert NotesDispatch.objects.get().meeting == meeting


def test_a_meeting_that_took_place_shares_without_the_warning(demo, meeting, web_as):
    _held(meeting)
    client = web_as("priya")

    page = client.get(f"/meetings/{meeting.pk}/share/").content.decode()
    response = client.post(f"/meetings/{meeting.pk}/share/")

    assert 'data-testid="not-held"' not in page and "confirm_not_held" not in page
    assert response.status_code == 302
    assert NotesDispatch.objects.count() == 1


def test_the_api_refuses_a_meeting_still_ahead_naming_the_field(demo, meeting, api_as):
    client = api_as("priya")

    refused = client.post(f"/api/v1/meetings/{meeting.pk}/share/", {}, format="json")
    confirmed = client.post(
        f"/api/v1/meetings/{meeting.pk}/share/", {"confirm_not_held": True}, format="json"
    )

    assert refused.status_code == 400
    assert "has not happened yet" in refused.json()["fields"]["confirm_not_held"][0]
    assert confirmed.status_code == 202
    assert NotesDispatch.objects.count() == 1


def test_members_and_stakeholders_cannot_open_the_share_preview(demo, meeting, web_as):
    assert web_as("sofia").get(f"/meetings/{meeting.pk}/share/").status_code == 403
    assert web_as("lena").get(f"/meetings/{meeting.pk}/share/").status_code == 403


def test_the_meeting_page_links_to_the_previews_rather_than_acting_at_once(
    demo, meeting, web_as, propose
):
    from apps.meetings import services

    propose(title="Guest checkout by default")
    services.meeting_draft_agenda(actor=demo.users["priya"], meeting=meeting)

    page = web_as("priya").get(f"/meetings/{meeting.pk}/").content.decode()

    assert f'href="/meetings/{meeting.pk}/share/" data-testid="share-notes"' in page
    assert f'href="/meetings/{meeting.pk}/draft/" data-testid="draft-agenda"' in page
