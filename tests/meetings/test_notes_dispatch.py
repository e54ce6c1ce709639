"""Sharing a meeting's notes is a background job whose progress the meeting page shows:
queued, sending (n of m), sent or failed, each recipient's own copy sent once."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from apps.meetings import services
from apps.meetings.models import Attendee, NotesCopySent, NotesDispatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipients(meeting):
    """Who gets a copy: the attendees and the stakeholders, by username."""
    return [u.email for u in services.share_recipients(meeting) if u.email]


def _queue(demo, meeting, actor="priya"):
    return services.meeting_share_notes(
        actor=demo.users[actor], meeting=meeting, confirm_not_held=True
    )


def test_sharing_queues_a_job_and_sends_nothing_before_the_commit(
    demo, meeting, recipients, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        dispatch = _queue(demo, meeting)
        assert (dispatch.status, dispatch.total, dispatch.sent) == ("queued", 8, 0)

    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()  # the job, as the worker runs it after the commit
    dispatch.refresh_from_db()
    meeting.refresh_from_db()
    assert (dispatch.status, dispatch.sent) == ("sent", 8)
    assert dispatch.finished_at is not None and meeting.shared_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody reads another's copy


def test_a_redelivered_job_sends_nobody_a_second_copy(demo, meeting, recipients):
    dispatch = _queue(demo, meeting)
    first = demo.users["james"]
    NotesCopySent.objects.create(dispatch=dispatch, recipient=first)
    NotesDispatch.objects.filter(pk=dispatch.pk).update(status="sending", sent=1)
    # As if the worker died after James's copy.

    services.notes_dispatch_run(dispatch.pk)
    services.notes_dispatch_run(dispatch.pk)  # and once more after it finished

    sent_to = [m.to[0] for m in mail.outbox]
    assert first.email not in sent_to
    assert sorted(sent_to) == sorted(e for e in recipients if e != first.email)
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent, dispatch.total) == ("sent", 8, 8)


def test_a_mail_failure_is_recorded_with_what_was_sent(demo, meeting):
    dispatch = _queue(demo, meeting)
    sent = []

    def flaky(backend, messages):
        if len(sent) == 3:
            raise ConnectionRefusedError("SMTP server refused the connection")
        sent.extend(messages)
        return 1

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", flaky):
        services.notes_dispatch_run(dispatch.pk)

    dispatch.refresh_from_db()
    meeting.refresh_from_db()
    assert (dispatch.status, dispatch.sent, dispatch.total) == ("failed", 3, 8)
    assert "SMTP server refused the connection" in dispatch.error
    # The failed copy's record rolled back with it: only the three sent are recorded.
    assert NotesCopySent.objects.filter(dispatch=dispatch).count() == 3
    assert meeting.shared_at is None


def test_the_page_shows_progress_and_polls_until_finished(demo, meeting, web_as):
    dispatch = _queue(demo, meeting)
    client = web_as("priya")

    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="notes-dispatch" data-status="queued"' in page
    polling = client.get(f"/meetings/notes-dispatches/{dispatch.pk}/", HTTP_HX_REQUEST="true")
    assert 'data-status="queued"' in polling.content.decode()
    assert 'hx-trigger="every 1s"' in polling.content.decode()

    services.notes_dispatch_run(dispatch.pk)
    done = client.get(
        f"/meetings/notes-dispatches/{dispatch.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-status="sent"' in done and "hx-trigger" not in done
    assert "each of the 8 recipients got their own copy" in done


def test_the_share_button_queues_and_returns_to_the_progress(demo, meeting, web_as):
    response = web_as("priya").post(f"/meetings/{meeting.pk}/share/", {"confirm_not_held": "on"})

    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{meeting.pk}/#notes-dispatch"
    assert NotesDispatch.objects.get().meeting == meeting


def test_the_api_answers_202_with_a_dispatch_to_follow(demo, meeting, api_as):
    client = api_as("priya")

    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/share/", {"confirm_not_held": True}, format="json"
    )

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["total"] == 8 and body["sent"] == 0
    assert client.get(body["url"]).json()["id"] == body["id"]


def test_a_meeting_with_nobody_to_share_with_is_refused_before_anything_is_queued(demo, meeting):
    from apps.accounts.models import Membership, Role

    Attendee.objects.filter(meeting=meeting).delete()
    Membership.objects.filter(working_group=demo.group, role=Role.STAKEHOLDER).delete()

    with pytest.raises(ValidationError) as excinfo:
        _queue(demo, meeting)

    assert "recipients" in excinfo.value.message_dict
    assert not NotesDispatch.objects.exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_shares_the_notes_through_redis(demo, meeting, celery_app, celery_worker):
    assert celery_app.conf.task_always_eager is False

    dispatch = _queue(demo, meeting)  # commits: the job goes to Redis, the worker thread runs it

    for _ in range(100):
        dispatch.refresh_from_db()
        if dispatch.is_finished:
            break
        time.sleep(0.1)
    assert (dispatch.status, dispatch.sent) == ("sent", 8)
    assert len({m.to[0] for m in mail.outbox}) == len(mail.outbox) == 8
