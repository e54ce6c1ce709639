"""A decision submitted twice (a double click, a retried request, two submits racing) is
recorded once: the same request key returns the decision first recorded with it."""

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.backlog.models import Status
from apps.meetings import services
from apps.meetings.models import Decision

pytestmark = pytest.mark.django_db

KEY = "3f7c1e0a9b2d4c6e8f1a2b3c4d5e6f70"


def _request_key(html: str, form_testid: str) -> str:
    form = html[html.index(f'data-testid="{form_testid}"') :]
    form = form[: form.index("</form>")]
    return re.search(r'name="[\w-]*request_key" value="([0-9a-f]{32})"', form).group(1)


# --- the service -------------------------------------------------------------------------


def test_the_same_key_returns_the_first_decision_and_applies_it_once(meeting, demo, propose):
    hypothesis = propose()
    changes_before = hypothesis.status_changes.count()
    fields = dict(
        actor=demo.users["priya"],
        meeting=meeting,
        text="Accept guest checkout",
        kind="hypothesis.transition",
        payload={"hypothesis": hypothesis.pk, "to_status": "accepted"},
        request_key=KEY,
    )

    first = services.decision_record(**fields)
    # Applied again, accepting an accepted hypothesis would be refused: the replay is not.
    second = services.decision_record(**fields)

    assert second.pk == first.pk
    assert Decision.objects.count() == 1
    hypothesis.refresh_from_db()
    assert hypothesis.status == Status.ACCEPTED
    assert hypothesis.status_changes.count() == changes_before + 1


def test_decisions_without_a_key_or_with_different_keys_are_each_recorded(meeting, demo):
    pm = demo.users["priya"]
    for key in ("", "", "a", "b"):
        services.decision_record(actor=pm, meeting=meeting, text="Ship it", request_key=key)

    assert Decision.objects.count() == 4


def test_it_rejects_a_request_key_longer_than_64_characters(meeting, demo):
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            actor=demo.users["priya"], meeting=meeting, text="x", request_key="k" * 65
        )

    assert "request_key" in exc.value.message_dict
    assert not Decision.objects.exists()


def test_a_twin_committed_after_the_lookup_is_returned_not_duplicated(meeting, demo, monkeypatch):
    pm = demo.users["priya"]
    twin = services.decision_record(actor=pm, meeting=meeting, text="Ship it", request_key=KEY)
    lookups = []
    real_lookup = services.decisions._decision_by_key

    def lookup_missing_the_twin_once(meeting, request_key):
        # The race: this request looked before its twin committed, then inserts after.
        lookups.append(request_key)
        return None if len(lookups) == 1 else real_lookup(meeting, request_key)

    monkeypatch.setattr(services.decisions, "_decision_by_key", lookup_missing_the_twin_once)

    again = services.decision_record(actor=pm, meeting=meeting, text="Ship it", request_key=KEY)

    assert again.pk == twin.pk and len(lookups) == 2
    assert Decision.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_form_record_one_decision(demo):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the PostgreSQL run covers real concurrency")
    from datetime import timedelta

    from django.utils import timezone

    from apps.meetings.models import Kind

    meeting = services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="WG",
        starts_at=timezone.now() + timedelta(days=1),
    )
    barrier = threading.Barrier(4)
    ids, errors = [], []

    def submit():
        from django.db import connections

        try:
            barrier.wait()
            decision = services.decision_record(
                actor=demo.users["priya"], meeting=meeting, text="Ship it", request_key=KEY
            )
            ids.append(decision.pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(ids) == 4 and len(set(ids)) == 1
    assert Decision.objects.filter(meeting=meeting).count() == 1


# --- the meeting page --------------------------------------------------------------------


def test_the_page_gives_each_render_of_the_decision_form_its_own_key(web_as, meeting):
    client = web_as("priya")

    first = _request_key(client.get(f"/meetings/{meeting.pk}/").content.decode(), "decision-form")
    second = _request_key(client.get(f"/meetings/{meeting.pk}/").content.decode(), "decision-form")

    assert first != second


def test_a_plain_decision_posted_twice_from_one_render_is_stored_once(web_as, meeting):
    client = web_as("priya")
    key = _request_key(client.get(f"/meetings/{meeting.pk}/").content.decode(), "decision-form")
    form = {"text": "One experiment at a time", "request_key": key}

    responses = [client.post(f"/meetings/{meeting.pk}/decisions/", form) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    assert list(meeting.decisions.values_list("text", flat=True)) == ["One experiment at a time"]


def test_a_hypothesis_decision_posted_twice_from_one_render_applies_once(web_as, meeting, propose):
    hypothesis = propose()
    client = web_as("priya")
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    key = _request_key(html, "hypothesis-transition")
    form = {
        "kind": "hypothesis.transition",
        "hypothesis-transition-text": "Accept guest checkout",
        "hypothesis-transition-hypothesis": hypothesis.pk,
        "hypothesis-transition-to_status": "accepted",
        "hypothesis-transition-request_key": key,
    }

    responses = [client.post(f"/meetings/{meeting.pk}/decisions/", form) for _ in range(2)]

    # The second submit would be refused (the hypothesis is accepted already) if it ran.
    assert [r.status_code for r in responses] == [302, 302]
    assert meeting.decisions.count() == 1
    hypothesis.refresh_from_db()
    assert hypothesis.status == Status.ACCEPTED


def test_a_kinds_own_form_carries_a_key_and_posted_twice_records_once(web_as, meeting, demo):
    from tests.roadmap.factories import milestones_of, plan_with

    first = milestones_of(plan_with(demo))[0]
    client = web_as("priya")
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    key = _request_key(html, "milestone-decide")
    form = {
        "kind": "milestone.decide",
        "milestone-decide-milestone": first.pk,
        "milestone-decide-outcome": "continue",
        "milestone-decide-rationale": "On track.",
        "milestone-decide-request_key": key,
    }

    responses = [client.post(f"/meetings/{meeting.pk}/decisions/", form) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    assert meeting.decisions.count() == 1
    first.refresh_from_db()
    assert first.decision.outcome == "continue"


# --- the API -----------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["header", "body"])
def test_the_api_answers_a_retry_with_the_first_decision(api_as, meeting, how):
    client = api_as("priya")
    body = {"meeting": meeting.pk, "text": "Ship it"}
    headers = {}
    if how == "header":
        headers["HTTP_IDEMPOTENCY_KEY"] = KEY
    else:
        body["request_key"] = KEY

    first = client.post("/api/v1/decisions/", body, format="json", **headers)
    again = client.post("/api/v1/decisions/", body, format="json", **headers)

    assert first.status_code == 201, first.content
    assert again.status_code == 201, again.content
    assert again.json()["id"] == first.json()["id"]
    assert meeting.decisions.count() == 1


def test_the_api_refuses_an_overlong_idempotency_key(api_as, meeting):
    response = api_as("priya").post(
        "/api/v1/decisions/",
        {"meeting": meeting.pk, "text": "Ship it"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k" * 65,
    )

    assert response.status_code == 400
    assert "request_key" in str(response.json())
    assert not meeting.decisions.exists()
