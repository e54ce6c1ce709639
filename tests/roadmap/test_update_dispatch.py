"""Emailing the stakeholder update is a background job whose progress people can watch:
queued, sending (n of m), sent or failed, each copy sent once."""

import time
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from apps.roadmap import services
from apps.roadmap.models import UpdateDispatch

from .factories import D, plan_with, today

pytestmark = pytest.mark.django_db


def _queue(demo, actor="priya"):
    return services.stakeholder_update_send(
        actor=demo.users[actor], group=demo.group, since=today() - D(days=7), until=today()
    )


def test_sending_queues_a_job_and_sends_nothing_before_the_commit(
    demo, django_capture_on_commit_callbacks
):
    plan_with(demo)
    with django_capture_on_commit_callbacks() as callbacks:
        dispatch = _queue(demo)
        assert (dispatch.status, dispatch.total, dispatch.sent) == ("queued", 2, 0)

    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()  # the job, as the worker runs it after the commit
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent) == ("sent", 2)
    assert dispatch.finished_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["james@example.com", "sofia@example.com"]


def test_a_redelivered_job_sends_nobody_a_second_copy(demo):
    plan_with(demo)
    dispatch = _queue(demo)
    dispatch.status, dispatch.sent_to = "sending", [demo.users["james"].pk]
    dispatch.save()  # as if the worker died after James's copy

    services.stakeholder_update_dispatch_run(dispatch.pk)
    services.stakeholder_update_dispatch_run(dispatch.pk)  # and once more after it finished

    assert [m.to[0] for m in mail.outbox] == ["sofia@example.com"]
    assert UpdateDispatch.objects.get().status == "sent"


def test_a_mail_failure_is_recorded_with_what_was_sent(demo):
    plan_with(demo)
    dispatch = _queue(demo)
    sent = []

    def flaky(backend, messages):
        if sent:
            raise ConnectionRefusedError("SMTP server refused the connection")
        sent.extend(messages)
        return 1

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", flaky):
        services.stakeholder_update_dispatch_run(dispatch.pk)

    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.sent, dispatch.total) == ("failed", 1, 2)
    assert "SMTP server refused the connection" in dispatch.error


def test_the_page_shows_progress_and_polls_until_finished(demo, web_as):
    plan_with(demo)
    dispatch = _queue(demo)  # queued: the job runs after a commit that never comes here
    client = web_as("priya")

    polling = client.get(f"/roadmap/updates/dispatches/{dispatch.pk}/", HTTP_HX_REQUEST="true")
    assert 'data-status="queued"' in polling.content.decode()
    assert 'hx-trigger="every 1s"' in polling.content.decode()

    services.stakeholder_update_dispatch_run(dispatch.pk)
    done = client.get(f"/roadmap/updates/dispatches/{dispatch.pk}/").content.decode()
    assert 'data-status="sent"' in done and "hx-trigger" not in done
    assert "<h1>Sending the stakeholder update</h1>" in done


def test_the_api_answers_202_with_a_dispatch_to_follow(demo, api_as):
    plan_with(demo)
    client = api_as("priya")

    response = client.post(
        "/api/v1/stakeholder-updates/send/",
        {"working_group": demo.group.pk, "since": str(today()), "until": str(today())},
        format="json",
    )

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued" and body["total"] == 2 and body["sent"] == 0
    assert client.get(body["url"]).json()["id"] == body["id"]


@pytest.mark.parametrize(("who", "status"), [("lena", 403), ("sofia", 403), ("outsider", 404)])
def test_only_those_who_send_updates_follow_them(demo, api_as, web_as, who, status):
    from apps.accounts.models import User

    demo.users["outsider"] = User.objects.create_user("outsider", password="pw-outsider-1")
    dispatch = _queue(demo)

    assert (
        api_as(who).get(f"/api/v1/stakeholder-updates/dispatches/{dispatch.pk}/").status_code
        == status
    )
    assert web_as(who).get(f"/roadmap/updates/dispatches/{dispatch.pk}/").status_code == status


def test_a_group_without_stakeholders_is_refused_before_anything_is_queued(demo):
    from apps.accounts.models import Membership, Role

    Membership.objects.filter(working_group=demo.group, role=Role.STAKEHOLDER).delete()

    with pytest.raises(ValidationError) as excinfo:
        _queue(demo)

    assert "working_group" in excinfo.value.message_dict
    assert not UpdateDispatch.objects.exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_it_through_redis(demo, celery_app, celery_worker):
    assert celery_app.conf.task_always_eager is False
    plan_with(demo)

    dispatch = _queue(demo)  # commits: the job goes to Redis, the worker thread runs it

    for _ in range(100):
        dispatch.refresh_from_db()
        if dispatch.is_finished:
            break
        time.sleep(0.1)
    assert (dispatch.status, dispatch.sent) == ("sent", 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["james@example.com", "sofia@example.com"]
