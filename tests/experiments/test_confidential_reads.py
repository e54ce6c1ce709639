"""An experiment tied to a confidential plan's decision point is read under the plan's rule,
on every path that shows experiments: the API (list, detail, results, snapshots), the pages,
the dashboard, the meeting's agenda, decisions, notes and email, and the plan's page.

The experiment's title and the rationale it was concluded with (in a meeting, through the
"experiment.conclude" kind) reach exactly those who may read the plan
(`ResearchPlan.objects.visible_to`), and never James (Platform Engineering stakeholder) or a
member of another group.
"""

import datetime
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone

from tests.experiments import factories as f
from tests.roadmap.factories import milestones_of, plan_with
from tests.test_confidential_reads import _api, _body, _web

pytestmark = pytest.mark.django_db

TITLE = "Nightjar bundle pricing"
CONCLUSION = "Bundles at thirty-nine euros won on margin"
SECRETS = (TITLE, CONCLUSION)
READERS = {"priya", "dana", "marco", "lena", "aisha", "sofia"}
PEOPLE = ["priya", "dana", "marco", "lena", "aisha", "sofia", "james", "outsider"]


class World:
    pass


@pytest.fixture
def world(demo, monkeypatch) -> World:
    from apps.accounts.models import Role
    from apps.meetings import services as meetings
    from apps.meetings.models import Kind
    from tests.accounts.factories import MembershipFactory

    w = World()
    w.demo = demo
    w.users = dict(demo.users)
    w.users["outsider"] = MembershipFactory(role=Role.MEMBER).user
    plan = plan_with(demo, title="Project Nightjar", confidential=True, milestones=(5, 60))
    first, _ = milestones_of(plan)
    w.plan = plan
    w.exp = f.launched(demo, monkeypatch, owner="lena", title=TITLE, milestone=first)
    from apps.experiments import services

    w.snapshot = services.snapshot_store(
        actor=w.users["lena"], experiment=w.exp, rows=f.push_rows(w.exp), source="push"
    )
    # A follow-up still running past its planned end: the dashboard asks for its decision.
    w.follow_up = f.launched(
        demo, monkeypatch, owner="lena", title=f"{TITLE} follow-up", milestone=first,
        planned_start=timezone.localdate() - datetime.timedelta(days=30),
        planned_end=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    w.meeting = meetings.meeting_create(
        actor=w.users["priya"], group=demo.group, title="Growth working group",
        kind=Kind.WORKING_GROUP, starts_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    meetings.meeting_draft_agenda(actor=w.users["priya"], meeting=w.meeting)
    w.decision = meetings.decision_record(
        actor=w.users["priya"], meeting=w.meeting, kind="experiment.conclude",
        text=f"Ship: {TITLE} — {CONCLUSION}",
        payload={"experiment": w.exp.pk, "decision": "ship", "rationale": CONCLUSION},
    )  # fmt: skip
    return w


def api_experiments(w, who):
    client = _api(w, who)
    return (
        _body(client.get("/api/v1/experiments/"))
        + _body(client.get(f"/api/v1/experiments/{w.exp.pk}/"))
        + _body(client.get(f"/api/v1/experiments/{w.exp.pk}/results/"))
    )


def api_snapshots(w, who):
    client = _api(w, who)
    listed = client.get("/api/v1/snapshots/").json()["results"]
    ids = {s["experiment"] for s in listed}
    shown = TITLE if w.exp.pk in ids else ""
    return shown + _body(client.get(f"/api/v1/snapshots/{w.snapshot.pk}/")).replace(
        str(w.snapshot.pk), ""
    )


def experiment_pages(w, who):
    client = _web(w, who)
    return (
        _body(client.get("/experiments/"))
        + _body(client.get(f"/experiments/{w.exp.pk}/"))
        + _body(client.get(f"/experiments/{w.exp.pk}/results/"))
    )


def results_csv(w, who):
    response = _web(w, who).get(f"/experiments/{w.exp.pk}/results.csv")
    return "" if response.status_code == 404 else TITLE + response.content.decode()


def dashboard(w, who):
    return _body(_web(w, who).get("/"))


def agenda_and_decisions_api(w, who):
    client = _api(w, who)
    return (
        _body(client.get("/api/v1/agenda-items/", {"meeting": w.meeting.pk}))
        + _body(client.get("/api/v1/decisions/", {"meeting": w.meeting.pk}))
        + _body(client.get(f"/api/v1/decisions/{w.decision.pk}/"))
    )


def meeting_page_and_notes(w, who):
    client = _web(w, who)
    return _body(client.get(f"/meetings/{w.meeting.pk}/")) + _body(
        client.get(f"/meetings/{w.meeting.pk}/notes.md")
    )


def notes_email(w, who):
    from apps.meetings import services as meetings

    dispatch = meetings.meeting_share_notes(
        actor=w.users["priya"], meeting=w.meeting, confirm_not_held=True
    )
    meetings.notes_dispatch_run(dispatch.pk)
    copies = [m for m in mail.outbox if w.users[who].email in m.to]
    return "".join(m.body + m.alternatives[0][0] for m in copies)


def plan_page(w, who):
    return _body(_web(w, who).get(f"/roadmap/plans/{w.plan.pk}/"))


# path, what a reader sees there (None: the neutral wording only, for everyone)
PATHS: list[tuple[Callable, str | None]] = [
    (api_experiments, TITLE),
    (api_snapshots, TITLE),
    (experiment_pages, TITLE),
    (results_csv, None),
    (dashboard, TITLE),
    (agenda_and_decisions_api, CONCLUSION),
    (meeting_page_and_notes, CONCLUSION),
    (notes_email, CONCLUSION),
    (plan_page, TITLE),
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(("path", "shown"), PATHS, ids=[p.__name__ for p, _ in PATHS])
def test_a_confidential_experiment_reaches_exactly_the_plans_readers(world, path, shown, who):
    body = path(world, who)

    leaked = [secret for secret in SECRETS if secret in body]
    if who in READERS and shown is not None:
        assert shown in body
    elif who not in READERS:
        assert leaked == []


def test_the_agenda_names_a_confidential_experiment_neutrally_for_everyone(world):
    titles = list(world.meeting.agenda_items.values_list("title", flat=True))

    assert any("An experiment of a confidential plan" in t for t in titles)
    assert not any(TITLE in t for t in titles)
