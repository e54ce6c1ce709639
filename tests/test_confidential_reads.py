"""What each role may read of a confidential plan, on every read path.

One confidential plan, sponsored by Sofia (Commerce), with a decision taken at its first
milestone in a working-group meeting through the "milestone.decide" kind, its rationale
and what was learned in the decision's text and payload. Then, for each person and each
read path (API lists and details, pages, Markdown, `.ics`, the shared-notes email, the
dashboard, agenda items, the roadmap and the stakeholder update), the secret words appear
exactly for those who may read the plan (`ResearchPlan.objects.visible_to`) and never for
anyone else. Each path x person is its own test.

Paths marked `never` show a neutral wording to everyone, readers included (the agenda and
calendar files are shared beyond the plan's readers by design).
"""

import datetime
import html
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.roadmap.factories import milestones_of, plan_with

pytestmark = pytest.mark.django_db

TITLE = "Project Nightjar"
RATIONALE = "Rivals undercut the bundle price by four percent"
LEARNED = "Bundles beat discounts for returning buyers"
SECRETS = (TITLE, RATIONALE, LEARNED)
NEUTRAL = "confidential Commerce plan"

# Everyone in the group but stakeholders reads every plan; Sofia speaks for Commerce, the
# sponsor's unit. James (Platform Engineering) does not; nor do people outside the group,
# nor a member since removed from it.
READERS = {"priya", "dana", "marco", "lena", "sofia"}
PEOPLE = ["priya", "dana", "marco", "lena", "sofia", "james", "outsider", "former"]


@dataclass
class World:
    demo: object
    users: dict
    meeting: object
    plan: object
    decision: object  # the meeting's record (apps.meetings.models.Decision)
    agenda_item: object


@pytest.fixture
def world(demo) -> World:
    from apps.accounts.models import Membership, Role
    from apps.meetings import services as meetings
    from apps.meetings.models import Kind
    from tests.accounts.factories import MembershipFactory, UserFactory

    users = dict(demo.users)
    users["outsider"] = MembershipFactory(role=Role.MEMBER).user  # a member elsewhere
    users["former"] = UserFactory(username="former")
    Membership.objects.create(
        user=users["former"], working_group=demo.group, role=Role.MEMBER,
        business_unit=demo.units["commerce"],
    )  # fmt: skip

    plan = plan_with(demo, title=TITLE, confidential=True, milestones=(5, 60))
    first, _ = milestones_of(plan)
    meeting = meetings.meeting_create(
        actor=users["priya"],
        group=demo.group,
        title="Growth working group",
        kind=Kind.WORKING_GROUP,
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    meetings.meeting_draft_agenda(actor=users["priya"], meeting=meeting)
    item = meeting.agenda_items.get(key=f"milestone:{first.pk}:due")
    decision = meetings.decision_record(
        actor=users["priya"],
        meeting=meeting,
        agenda_item=item,
        # An API client may write anything here, the plan's name included.
        text=f"Pivot at {TITLE}: {RATIONALE}",
        kind="milestone.decide",
        payload={
            "milestone": first.pk,
            "outcome": "pivot",
            "rationale": RATIONALE,
            "learned": LEARNED,
        },
    )
    # Removed after the meeting was set up: they keep their attendee row, nothing else.
    Membership.objects.filter(user=users["former"], working_group=demo.group).delete()
    return World(demo, users, meeting, plan, decision, item)


def _api(world: World, who: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[who])
    return client


def _web(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _body(response) -> str:
    """What a response shows, or "" when it shows nothing (not found, or none of yours)."""
    if response.status_code == 404:
        return ""
    assert response.status_code == 200, response.content[:300]
    if response.get("Content-Type", "").startswith("text/calendar"):
        return response.content.decode().replace("\r\n ", "")  # unfold the lines
    return html.unescape(response.content.decode())


def api_decisions_list(world, who):
    return _body(_api(world, who).get("/api/v1/decisions/"))


def api_decisions_of_the_meeting(world, who):
    return _body(_api(world, who).get("/api/v1/decisions/", {"meeting": world.meeting.pk}))


def api_decision_detail(world, who):
    return _body(_api(world, who).get(f"/api/v1/decisions/{world.decision.pk}/"))


def api_meetings(world, who):
    client = _api(world, who)
    return _body(client.get("/api/v1/meetings/")) + _body(
        client.get(f"/api/v1/meetings/{world.meeting.pk}/")
    )


def api_agenda_items(world, who):
    client = _api(world, who)
    return _body(client.get("/api/v1/agenda-items/", {"meeting": world.meeting.pk})) + _body(
        client.get(f"/api/v1/agenda-items/{world.agenda_item.pk}/")
    )


def meeting_page(world, who):
    return _body(_web(world, who).get(f"/meetings/{world.meeting.pk}/"))


def meetings_index(world, who):
    return _body(_web(world, who).get("/meetings/"))


def notes_markdown(world, who):
    return _body(_web(world, who).get(f"/meetings/{world.meeting.pk}/notes.md"))


def notes_email(world, who):
    """Their own copy of the shared notes, text and HTML ("" when they get none)."""
    from apps.meetings import services as meetings

    dispatch = meetings.meeting_share_notes(
        actor=world.users["priya"], meeting=world.meeting, confirm_not_held=True
    )
    meetings.notes_dispatch_run(dispatch.pk)  # the job, as the worker runs it after the commit
    copies = [m for m in mail.outbox if world.users[who].email in m.to]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody reads another's copy
    return "".join(m.body + m.alternatives[0][0] for m in copies)


def meeting_ics(world, who):
    return _body(_web(world, who).get(f"/meetings/{world.meeting.pk}/meeting.ics"))


def series_feed(world, who):
    """The calendar feed of the group's series, through the person's feed URL."""
    from apps.meetings import services as meetings

    series = meetings.series_create(
        actor=world.users["priya"], group=world.demo.group, weekday=2, start_time=datetime.time(10)
    )
    token = meetings.calendar_token_for(user=world.users[who]).token
    return _body(Client().get(f"/meetings/feed/{token}/series-{series.pk}.ics"))


def dashboard(world, who):
    return _body(_web(world, who).get("/"))


def roadmap_page(world, who):
    return _body(_web(world, who).get("/roadmap/"))


def plan_page(world, who):
    return _body(_web(world, who).get(f"/roadmap/plans/{world.plan.pk}/"))


def roadmap_api(world, who):
    client = _api(world, who)
    return (
        _body(client.get("/api/v1/roadmap/"))
        + _body(client.get("/api/v1/roadmap/decisions/"))
        + _body(client.get(f"/api/v1/plans/{world.plan.pk}/"))
    )


def stakeholder_update(world, who):
    response = _web(world, who).get("/roadmap/updates/", {"group": world.demo.group.slug})
    return _body(response)


# path, what a reader sees there (None: the neutral wording only, for everyone)
PATHS: list[tuple[Callable, str | None]] = [
    (api_decisions_list, RATIONALE),
    (api_decisions_of_the_meeting, LEARNED),
    (api_decision_detail, LEARNED),
    (api_meetings, None),
    (api_agenda_items, None),
    (meeting_page, RATIONALE),
    (meetings_index, None),
    (notes_markdown, RATIONALE),
    (notes_email, RATIONALE),
    (meeting_ics, None),
    (series_feed, None),
    (dashboard, TITLE),
    (roadmap_page, TITLE),
    (plan_page, RATIONALE),
    (roadmap_api, LEARNED),
    (stakeholder_update, TITLE),
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(("path", "shown"), PATHS, ids=[p.__name__ for p, _ in PATHS])
def test_a_confidential_plans_secrets_reach_exactly_its_readers(world, path, shown, who):
    body = path(world, who)

    leaked = [secret for secret in SECRETS if secret in body]
    if who in READERS and shown is not None:
        assert shown in body
    else:
        assert leaked == []


# --- the neutral wording, where the others see one --------------------------------------


@pytest.mark.parametrize(
    "path", [api_decision_detail, meeting_page, notes_markdown, notes_email, api_agenda_items]
)
def test_those_who_may_not_read_the_plan_see_the_agendas_neutral_wording(world, path):
    assert NEUTRAL in path(world, "james")


def test_a_withheld_decision_keeps_who_recorded_it_and_loses_its_payload(world):
    shown = _api(world, "james").get(f"/api/v1/decisions/{world.decision.pk}/").json()
    full = _api(world, "sofia").get(f"/api/v1/decisions/{world.decision.pk}/").json()

    assert (shown["withheld"], shown["payload"]) == (True, {})
    assert shown["text"].startswith(f"Decided at a {NEUTRAL}'s decision point")
    assert (shown["recorded_by"], shown["kind"]) == (full["recorded_by"], full["kind"])
    assert (full["withheld"], full["payload"]["learned"]) == (False, LEARNED)


def test_a_plain_decision_about_the_plans_milestone_is_withheld_the_same_way(world, api_as):
    first, _ = milestones_of(world.plan)
    response = api_as("priya").post(
        "/api/v1/decisions/",
        {
            "meeting": world.meeting.pk,
            "text": f"No kind, but about {TITLE}",
            "subject_type": "roadmap.milestone",
            "subject_id": first.pk,
        },
        format="json",
    )
    assert response.status_code == 201

    shown = _api(world, "james").get(f"/api/v1/decisions/{response.json()['id']}/").json()
    assert shown["withheld"] is True and TITLE not in shown["text"]
    assert NEUTRAL in shown["text"]


def test_the_decisions_list_costs_the_same_queries_for_many_decisions(
    world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.meetings.models import Decision

    client = _api(world, "james")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/decisions/").json()["results"]) == 1
    Decision.objects.bulk_create(
        Decision(
            meeting=world.meeting, text=f"Decision {n}", kind="milestone.decide",
            payload=world.decision.payload, recorded_by=world.users["priya"],
        )
        for n in range(20)
    )  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get("/api/v1/decisions/").json()["results"]) == 21


# --- an agenda drafted before the plan turned confidential ---------------------------------


@pytest.fixture
def turned_confidential(demo):
    """An open plan on the agenda under its own title, then made confidential."""
    from apps.meetings import services as meetings
    from apps.meetings.models import Kind
    from apps.roadmap import services as roadmap

    plan = plan_with(demo, title=TITLE, milestones=(5, 60))
    meeting = meetings.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        title="Growth working group",
        kind=Kind.WORKING_GROUP,
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    meetings.meeting_draft_agenda(actor=demo.users["priya"], meeting=meeting)
    item = meeting.agenda_items.get(key=f"milestone:{milestones_of(plan)[0].pk}:due")
    meetings.agenda_item_save_notes(
        actor=demo.users["priya"], item=item, notes=f"{RATIONALE}.", version=0
    )
    roadmap.plan_update(actor=demo.users["priya"], plan=plan, confidential=True)
    assert TITLE in item.title  # as drafted
    return World(demo, dict(demo.users), meeting, plan, None, item)


@pytest.mark.parametrize("who", ["james", "sofia"])
@pytest.mark.parametrize(
    "path",
    [api_agenda_items, meeting_page, notes_markdown, notes_email],
    ids=lambda p: p.__name__,
)
def test_an_agenda_item_drafted_before_the_plan_turned_confidential_is_read_under_its_rule(
    turned_confidential, path, who
):
    body = path(turned_confidential, who)

    if who in READERS:
        assert TITLE in body and RATIONALE in body
    else:
        assert [s for s in SECRETS if s in body] == []
        assert f"Decide: a {NEUTRAL}'s decision point" in body


def test_a_note_taker_who_may_not_read_the_plan_cannot_write_over_its_items_notes(
    turned_confidential, api_as, web_as
):
    from apps.meetings import services as meetings

    world = turned_confidential
    meetings.meeting_update(
        actor=world.users["priya"], meeting=world.meeting, note_taker=world.users["james"]
    )
    item = world.agenda_item

    api = api_as("james").put(
        f"/api/v1/agenda-items/{item.pk}/notes/", {"notes": "Mine.", "version": 1}, format="json"
    )
    page = web_as("james").post(
        f"/meetings/agenda/{item.pk}/notes/", {"notes": "Mine.", "version": 1}
    )

    assert (api.status_code, page.status_code) == (403, 403)
    assert RATIONALE not in api.content.decode() + page.content.decode()
    item.refresh_from_db()
    assert item.notes == f"{RATIONALE}."


def test_the_meeting_page_marks_a_withheld_decision(world):
    assert 'data-testid="withheld"' in meeting_page(world, "james")
    assert 'data-testid="withheld"' not in meeting_page(world, "sofia")
