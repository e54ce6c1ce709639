"""The meetings API: shapes, bad input as 400s naming the field, 409 on stale notes,
filters, and query counts that do not grow with the page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.meetings import services
from apps.meetings.models import ActionItem, AgendaItem

pytestmark = pytest.mark.django_db


def test_it_creates_an_action_item_and_lists_it_with_filters(api_as, demo, meeting):
    lena = api_as("lena")
    response = lena.post(
        "/api/v1/action-items/",
        {"meeting": meeting.pk, "title": "Write the design", "owner": demo.users["lena"].pk,
         "due_on": timezone.localdate().isoformat()},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["working_group"] == demo.group.pk
    ActionItem.objects.create(
        working_group=demo.group, title="Old", owner=demo.users["lena"],
        due_on=timezone.localdate() - timedelta(days=2),
    )  # fmt: skip
    ActionItem.objects.create(
        working_group=demo.group, title="Tomas's", owner=demo.users["tomas"],
        due_on=timezone.localdate() - timedelta(days=2),
    )  # fmt: skip

    mine = lena.get("/api/v1/action-items/?owner=me&status=open").json()["results"]
    overdue = lena.get("/api/v1/action-items/?owner=me&status=open&overdue=true").json()
    assert {i["title"] for i in mine} == {"Write the design", "Old"}
    assert [i["title"] for i in overdue["results"]] == ["Old"]
    assert overdue["results"][0]["overdue"] is True


@pytest.mark.parametrize(
    ("query", "field"),
    [("owner=somebody", "owner"), ("overdue=perhaps", "overdue"), ("status=sleeping", "status")],
)
def test_a_meaningless_filter_is_a_400_naming_it(api_as, query, field):
    response = api_as("lena").get(f"/api/v1/action-items/?{query}")
    assert response.status_code == 400
    assert field in response.json()["fields"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owner": None}, "owner"),
        ({"owner": "__missing__"}, "owner"),
        ({"due_on": "2001-01-01"}, "due_on"),
        ({"due_on": "__yesterday__"}, "due_on"),
        ({"owner": 999999}, "owner"),
        ({"title": ""}, "title"),
        ({"subject_type": "accounts.user", "subject_id": 1}, "subject_type"),
    ],
)
def test_bad_action_item_input_is_a_400_naming_the_field(api_as, demo, change, field):
    data = {
        "working_group": demo.group.pk,
        "title": "Do it",
        "owner": demo.users["lena"].pk,
        "due_on": timezone.localdate().isoformat(),
    }
    for key, value in change.items():
        if value == "__missing__":
            data.pop(key)
        elif value == "__yesterday__":
            data[key] = (timezone.localdate() - timedelta(days=1)).isoformat()
        else:
            data[key] = value
    response = api_as("priya").post("/api/v1/action-items/", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


def test_an_attendee_outside_the_group_is_a_400(api_as, meeting, demo):
    from tests.accounts.factories import MembershipFactory, WorkingGroupFactory

    # Priya also runs another group: its members are people she knows, just not here.
    other = WorkingGroupFactory(program_manager=demo.users["priya"])
    elsewhere = MembershipFactory(working_group=other).user
    response = api_as("priya").post(
        f"/api/v1/meetings/{meeting.pk}/attendees/", {"users": [elsewhere.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "not a member" in response.json()["fields"]["attendees"][0]


def test_a_stranger_as_attendee_gets_the_answer_of_an_id_that_does_not_exist(api_as, meeting):
    from tests.accounts.factories import UserFactory

    stranger = UserFactory()
    url = f"/api/v1/meetings/{meeting.pk}/attendees/"

    foreign = api_as("priya").post(url, {"users": [stranger.pk]}, format="json")
    missing = api_as("priya").post(url, {"users": [stranger.pk + 1000]}, format="json")

    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json()
    assert stranger.username not in foreign.content.decode()


def test_stale_notes_get_a_409_with_both_versions(api_as, demo, meeting):
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    url = f"/api/v1/agenda-items/{item.pk}/notes/"
    first = api_as("marco").put(url, {"notes": "Marco's", "version": 0}, format="json")
    second = api_as("lena").put(url, {"notes": "Lena's", "version": 0}, format="json")

    assert first.status_code == 200 and first.json()["notes_version"] == 1
    assert second.status_code == 409
    body = second.json()
    assert body["current"]["notes"] == "Marco's" and body["yours"] == "Lena's"
    assert AgendaItem.objects.get(pk=item.pk).notes == "Marco's"


def test_notes_render_inert_in_the_api(api_as, demo, meeting):
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    typed = "[x](javascript:alert(1)) <script>alert(1)</script>"
    body = (
        api_as("marco")
        .put(
            f"/api/v1/agenda-items/{item.pk}/notes/", {"notes": typed, "version": 0}, format="json"
        )
        .json()
    )
    assert body["notes"] == typed
    assert "<script" not in body["notes_html"] and "javascript:" not in body["notes_html"]


def test_editing_notes_of_a_meeting_you_are_not_in_is_a_403(api_as, demo, meeting):
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    services.meeting_set_attendees(
        actor=demo.users["priya"], meeting=meeting, users=[demo.users["lena"]]
    )
    response = api_as("tomas").put(
        f"/api/v1/agenda-items/{item.pk}/notes/", {"notes": "x", "version": 0}, format="json"
    )
    assert response.status_code == 403


def test_drafting_and_reordering_through_the_api(api_as, demo, meeting, propose):
    propose(title="Guest checkout by default")
    pm = api_as("priya")
    drafted = pm.post(f"/api/v1/meetings/{meeting.pk}/draft-agenda/").json()
    ids = [i["id"] for i in drafted["items"]]
    assert drafted["created"] == len(ids) >= 2

    reordered = pm.post(
        f"/api/v1/meetings/{meeting.pk}/reorder/", {"items": ids[::-1]}, format="json"
    )
    assert [i["id"] for i in reordered.json()] == ids[::-1]
    bad = pm.post(f"/api/v1/meetings/{meeting.pk}/reorder/", {"items": ids[:1]}, format="json")
    assert bad.status_code == 400 and "items" in bad.json()["fields"]


def test_a_decision_through_the_api_accepts_the_hypothesis(api_as, meeting, propose):
    hypothesis = propose()
    response = api_as("priya").post(
        "/api/v1/decisions/",
        {"meeting": meeting.pk, "text": "Accept", "kind": "hypothesis.transition",
         "payload": {"hypothesis": hypothesis.pk, "to_status": "accepted"}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["subject"] == {"type": "backlog.hypothesis", "id": hypothesis.pk}
    assert api_as("priya").get(f"/api/v1/hypotheses/{hypothesis.pk}/").json()["status"] == (
        "accepted"
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"starts_at": "9999-12-31T23:59:59Z"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at"),
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"kind": "party"}, "kind"),
        ({"subject_type": "backlog.hypothesis", "subject_id": 99999999}, "subject_id"),
    ],
)
def test_bad_meeting_input_is_a_400(api_as, demo, data, field):
    base = {"working_group": demo.group.pk, "kind": "working_group", "title": "x",
            "starts_at": timezone.now().isoformat()}  # fmt: skip
    response = api_as("priya").post("/api/v1/meetings/", {**base, **data}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


def test_list_endpoints_cost_the_same_queries_for_5_or_50_rows(
    api_as, demo, django_assert_max_num_queries
):
    from datetime import time

    client = api_as("lena")

    def fill(n):
        for k in range(n):
            ActionItem.objects.create(
                working_group=demo.group, title=f"A{k}", owner=demo.users["tomas"],
                due_on=timezone.localdate(),
            )  # fmt: skip

    services.series_create(
        actor=demo.users["priya"], group=demo.group, weekday=1, start_time=time(10)
    )
    fill(5)
    for url in ("/api/v1/action-items/", "/api/v1/meetings/", "/api/v1/agenda-items/"):
        client.get(url)  # warm the caches (content types, sessions)
    counts = {}
    for url in ("/api/v1/action-items/", "/api/v1/meetings/", "/api/v1/decisions/"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(url)
        counts[url] = len(small)
    fill(45)
    for url, before in counts.items():
        with django_assert_max_num_queries(before):
            assert client.get(url).status_code == 200


# --- another group's objects answer as if they did not exist --------------------------------

MISSING = 987_654_321


@pytest.fixture
def elsewhere(demo, meeting):
    """Objects the requester (Priya) may not see: another group's meeting, agenda item,
    action item and member; and an agenda item of another meeting of her own group."""
    from tests.accounts.factories import MembershipFactory

    from .factories import ActionItemFactory, AgendaItemFactory, MeetingFactory

    other_meeting = MeetingFactory()
    group = other_meeting.working_group
    own_other = services.meeting_create(
        actor=demo.users["priya"], group=demo.group, title="Another", kind="working_group",
        starts_at=timezone.now() + timedelta(days=30),
    )  # fmt: skip
    return {
        "meeting": other_meeting.pk,
        "agenda_item": AgendaItemFactory(meeting=other_meeting).pk,
        "own_other_item": services.agenda_item_add(
            actor=demo.users["priya"], meeting=own_other, title="Elsewhere"
        ).pk,
        "action_item": ActionItemFactory(working_group=group, owner=group.program_manager).pk,
        "person": MembershipFactory(working_group=group).user_id,
        "group": group.pk,
    }


def _decision(meeting, **extra):
    return {"meeting": meeting.pk, "text": "Decided.", **extra}


def _action(demo, **extra):
    return {
        "working_group": demo.group.pk, "title": "Do it", "owner": demo.users["lena"].pk,
        "due_on": timezone.localdate().isoformat(), **extra,
    }  # fmt: skip


CASES = {
    "decision in another group's meeting": (
        "post", "/api/v1/decisions/", "meeting", lambda d, m, x: {**_decision(m), "meeting": x}
    ),
    "decision on another group's agenda item": (
        "post", "/api/v1/decisions/", "agenda_item", lambda d, m, x: _decision(m, agenda_item=x)
    ),
    "decision on another meeting's agenda item": (
        "post", "/api/v1/decisions/", "own_other_item",
        lambda d, m, x: _decision(m, agenda_item=x),
    ),
    "decision about another group's action item": (
        "post", "/api/v1/decisions/", "action_item",
        lambda d, m, x: _decision(m, subject_type="meetings.actionitem", subject_id=x),
    ),
    "agenda item in another group's meeting": (
        "post", "/api/v1/agenda-items/", "meeting", lambda d, m, x: {"meeting": x, "title": "T"}
    ),
    "action item from another group's meeting": (
        "post", "/api/v1/action-items/", "meeting", lambda d, m, x: _action(d, meeting=x)
    ),
    "action item owned by another group's member": (
        "post", "/api/v1/action-items/", "person", lambda d, m, x: _action(d, owner=x)
    ),
    "agenda items of another group's meeting": (
        "get", "/api/v1/agenda-items/", "meeting", lambda d, m, x: {"meeting": x}
    ),
    "decisions of another group's meeting": (
        "get", "/api/v1/decisions/", "meeting", lambda d, m, x: {"meeting": x}
    ),
    "series of another group": (
        "get", "/api/v1/meeting-series/", "group", lambda d, m, x: {"working_group": x}
    ),
    "action items of another group's meeting": (
        "get", "/api/v1/action-items/", "meeting", lambda d, m, x: {"meeting": x}
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_another_groups_object_gets_the_answer_of_one_that_does_not_exist(
    api_as, demo, meeting, elsewhere, case
):
    method, url, what, data = CASES[case]
    client = api_as("priya")
    send = getattr(client, method)
    kwargs = {"format": "json"} if method == "post" else {}
    foreign_id = elsewhere[what]

    foreign = send(url, data(demo, meeting, foreign_id), **kwargs)
    missing = send(url, data(demo, meeting, MISSING), **kwargs)

    assert foreign.status_code == missing.status_code
    assert foreign.status_code == (400 if method == "post" else 200)
    same = missing.content.decode().replace(str(MISSING), "ID")
    assert foreign.content.decode().replace(str(foreign_id), "ID") == same


@pytest.mark.parametrize("path", ["/api/v1/meetings/{}/", "/meetings/{}/", "/meetings/{}/notes.md"])
def test_another_groups_meeting_is_not_found(api_as, web_as, elsewhere, path):
    client = api_as("priya") if path.startswith("/api/") else web_as("priya")
    foreign = client.get(path.format(elsewhere["meeting"]))
    missing = client.get(path.format(MISSING))
    assert foreign.status_code == missing.status_code == 404


# --- decision payloads ------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"hypothesis": 1, "to_status": "accepted", "reason": "x" * 9_000},
        {"a": {"b": {"c": {"d": {"e": 1}}}}},
    ],
    ids=["too large", "too deep"],
)
def test_an_oversized_payload_is_a_400_naming_it_and_records_nothing(api_as, meeting, payload):
    from apps.meetings.models import Decision

    response = api_as("priya").post(
        "/api/v1/decisions/",
        {"meeting": meeting.pk, "text": "Accept it.", "kind": "hypothesis.transition",
         "payload": payload},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert "payload" in response.json()["fields"]
    assert not Decision.objects.exists()
