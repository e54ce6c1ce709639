"""Each task's retry policy: a task that sets retry limits names what it retries on, and the
digest's retry sends each owner their copy once."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from apps.meetings.models import ActionItem, DigestSent
from apps.meetings.tasks import send_action_item_digests
from expprogram.celery import app

# Options that only matter once a task retries: set without autoretry_for (and without a
# self.retry() call in the task), they promise retries that never happen.
RETRY_OPTIONS = {
    "max_retries",
    "default_retry_delay",
    "retry_backoff",
    "retry_backoff_max",
    "retry_jitter",
    "retry_kwargs",
}


def _our_tasks() -> dict:
    app.loader.import_default_modules()  # autodiscovery runs here, as in a worker
    return {name: task for name, task in app.tasks.items() if name.startswith("apps.")}


def _declared(task) -> dict:
    """The options the task's own decorator set (Celery's defaults live on Task)."""
    return vars(type(task))


def test_it_finds_every_task_the_beat_schedule_and_the_pages_queue():
    assert set(_our_tasks()) >= {
        "apps.core.tasks.worker_heartbeat",
        "apps.meetings.tasks.send_action_item_digests",
        "apps.meetings.tasks.draft_upcoming_agendas",
        "apps.meetings.tasks.extend_meeting_series",
        "apps.roadmap.tasks.send_stakeholder_update",
    }


@pytest.mark.parametrize("name", sorted(_our_tasks()))
def test_a_task_with_retry_settings_names_the_errors_it_retries_on(name):
    declared = _declared(_our_tasks()[name])

    if RETRY_OPTIONS & declared.keys():
        assert declared.get("autoretry_for"), f"{name} sets {RETRY_OPTIONS & declared.keys()}"


@pytest.mark.parametrize(
    "name",
    [
        "apps.core.tasks.worker_heartbeat",
        "apps.meetings.tasks.draft_upcoming_agendas",
        "apps.meetings.tasks.extend_meeting_series",
        "apps.roadmap.tasks.send_stakeholder_update",
    ],
)
def test_jobs_that_need_no_retry_declare_none(name):
    declared = _declared(_our_tasks()[name])

    assert not (RETRY_OPTIONS | {"autoretry_for"}) & declared.keys()


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPDataError(451, b"Try again later"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
    ],
)
def test_the_digest_retries_on_mail_and_connection_errors_with_jittered_backoff(error):
    declared = _declared(_our_tasks()["apps.meetings.tasks.send_action_item_digests"])

    assert isinstance(error, declared["autoretry_for"])
    assert declared["max_retries"] == 3
    assert declared["retry_backoff"] and declared["retry_jitter"] is True


@pytest.mark.django_db
def test_a_retried_digest_sends_only_the_copies_the_failed_run_missed(demo, monkeypatch):
    today = timezone.localdate()
    for owner in ("lena", "tomas"):
        ActionItem.objects.create(
            working_group=demo.group,
            title=f"{owner}'s plan",
            owner=demo.users[owner],
            due_on=today - timedelta(days=1),
        )
    send = EmailBackend.send_messages
    calls = []

    def second_send_drops_the_connection(self, messages):
        calls.append(messages[0].to)
        if len(calls) == 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", second_send_drops_the_connection)

    # throw=False: an eager task that raises Retry is run again in place, as a worker would
    # after the countdown, instead of propagating Retry to the caller.
    result = send_action_item_digests.apply(throw=False)

    assert result.get() == {"sent": 1, "skipped": 1}  # the retry's own count
    assert len(calls) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["lena@example.com", "tomas@example.com"]
    assert DigestSent.objects.filter(day=today).count() == 2
