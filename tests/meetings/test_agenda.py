"""Drafting the agenda: sources in order, idempotence, the PM's edits kept, timeboxes fit,
the hook contract other apps use, and a query count that does not grow with the backlog."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.backlog import services as backlog_services
from apps.meetings import hooks, services
from apps.meetings.hooks import AgendaCandidate
from apps.meetings.models import ActionItem, AgendaItem, Kind

pytestmark = pytest.mark.django_db


def _draft(meeting, demo):
    return services.meeting_draft_agenda(actor=demo.users["priya"], meeting=meeting)


def _agenda(meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.filter(removed=False).order_by("position"))


def _keys(meeting) -> list[str]:
    return [i.key for i in _agenda(meeting)]


@pytest.fixture
def program(demo, propose):
    """Two new proposals (one with disagreeing scores), an accepted scored hypothesis, and
    action items: one overdue, one due before the next meeting, one far off."""
    new = propose(title="Guest checkout by default")
    disputed = propose("tomas", title="Typo-tolerant search")
    accepted = propose("aisha", title="Express pay above the fold")
    backlog_services.hypothesis_transition(
        actor=demo.users["priya"], hypothesis=accepted, to_status="accepted"
    )
    for scorer, values in (("priya", (8, 8, 8)), ("marco", (8, 7, 8))):
        backlog_services.score_submit(
            actor=demo.users[scorer],
            hypothesis=accepted,
            values=dict(zip(("impact", "confidence", "ease"), values, strict=True)),
        )
    for scorer, values in (("priya", (10, 10, 10)), ("lena", (1, 1, 1))):
        backlog_services.score_submit(
            actor=demo.users[scorer],
            hypothesis=disputed,
            values=dict(zip(("impact", "confidence", "ease"), values, strict=True)),
        )
    today = timezone.localdate()
    for title, owner, due in [
        ("Overdue design", "lena", today - timedelta(days=3)),
        ("Due this week", "lena", today + timedelta(days=2)),
        ("Far off", "tomas", today + timedelta(days=60)),
    ]:
        ActionItem.objects.create(
            working_group=demo.group, title=title, owner=demo.users[owner], due_on=due
        )
    return {"new": new, "disputed": disputed, "accepted": accepted}


def test_it_drafts_sources_in_order_with_presenters_and_links(meeting, demo, program):
    _draft(meeting, demo)
    items = _agenda(meeting)
    keys = [i.key for i in items]
    new, disputed, accepted = program["new"], program["disputed"], program["accepted"]

    assert keys == [
        f"hypothesis:{new.pk}:proposed",
        f"hypothesis:{disputed.pk}:proposed",  # also flagged discuss: listed once, first
        f"hypothesis:{accepted.pk}:top",
        f"action-items:owner:{demo.users['lena'].pk}",
        "aob",
    ]
    first = items[0]
    assert first.presenter == demo.users["lena"]
    assert first.url == f"/backlog/{new.pk}/"
    assert first.subject == new
    lena = items[3]
    assert "2 due, 1 overdue" in lena.title and "Overdue design" in lena.detail
    assert "Far off" not in lena.detail
    assert items[-1].title == "Any other business"


def test_drafting_twice_does_not_duplicate(meeting, demo, program):
    _draft(meeting, demo)
    before = [(i.pk, i.key, i.position) for i in _agenda(meeting)]
    result = _draft(meeting, demo)
    assert [(i.pk, i.key, i.position) for i in _agenda(meeting)] == before
    assert (result.created, result.dropped) == (0, 0)


def test_a_redraft_keeps_the_pms_edits_order_and_removals(meeting, demo, program, propose):
    _draft(meeting, demo)
    new, disputed, accepted = program["new"], program["disputed"], program["accepted"]
    by_key = {i.key: i for i in _agenda(meeting)}
    pm = demo.users["priya"]
    edited = services.agenda_item_update(
        actor=pm, item=by_key[f"hypothesis:{new.pk}:proposed"], title="Decide on guest checkout",
        minutes=15,
    )  # fmt: skip
    services.agenda_item_remove(actor=pm, item=by_key[f"hypothesis:{disputed.pk}:proposed"])
    services.agenda_item_move(
        actor=pm, item=by_key[f"hypothesis:{accepted.pk}:top"], direction="up"
    )
    own = services.agenda_item_add(actor=pm, meeting=meeting, title="Q3 planning", minutes=10)
    order_before = [i.pk for i in _agenda(meeting)]
    later = propose("marco", title="Holdout group for recommendations")

    _draft(meeting, demo)

    items = _agenda(meeting)
    keys = [i.key for i in items]
    edited.refresh_from_db()
    assert (edited.title, edited.minutes, edited.edited) == ("Decide on guest checkout", 15, True)
    # The removed item stays removed, under neither of its keys.
    assert AgendaItem.objects.get(key=f"hypothesis:{disputed.pk}:proposed").removed
    assert f"hypothesis:{disputed.pk}:discuss" not in keys
    # Existing items keep the PM's order; the new proposal joins the other proposals.
    assert [i.pk for i in items if i.pk in order_before] == order_before
    assert (
        keys.index(f"hypothesis:{later.pk}:proposed")
        == keys.index(f"hypothesis:{new.pk}:proposed") + 1
    )
    assert AgendaItem.objects.get(pk=own.pk) in items


def test_items_no_longer_suggested_disappear_unless_they_hold_notes(meeting, demo, program):
    _draft(meeting, demo)
    pm = demo.users["priya"]
    new_item = AgendaItem.objects.get(key=f"hypothesis:{program['new'].pk}:proposed")
    top_item = AgendaItem.objects.get(key=f"hypothesis:{program['accepted'].pk}:top")
    services.agenda_item_save_notes(actor=pm, item=top_item, notes="Aisha designs", version=0)
    backlog_services.hypothesis_transition(
        actor=pm, hypothesis=program["new"], to_status="rejected", reason="Tested in 2024"
    )
    backlog_services.hypothesis_transition(
        actor=pm, hypothesis=program["accepted"], to_status="designing"
    )

    result = _draft(meeting, demo)

    assert result.dropped == 1
    assert not AgendaItem.objects.filter(pk=new_item.pk).exists()
    assert AgendaItem.objects.filter(pk=top_item.pk).exists()


def test_timeboxes_scale_to_fit_the_meeting(demo, program, propose):
    for n in range(6):
        propose(title=f"Idea {n}")
    short = services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="Short",
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=20,
    )
    _draft(short, demo)
    items = _agenda(short)
    assert sum(i.suggested_minutes for i in items) > 20
    assert sum(i.minutes for i in items) <= 20 + len(items)  # at least a minute each
    assert all(i.minutes >= 1 for i in items)
    # The PM's own timebox is respected and the rest shrinks around it.
    services.agenda_item_update(actor=demo.users["priya"], item=items[0], minutes=10)
    _draft(short, demo)
    items = _agenda(short)
    assert items[0].minutes == 10
    assert sum(i.minutes for i in items[1:]) <= 10 + len(items)


def test_the_window_runs_from_the_previous_meeting_to_the_next(demo, propose):
    pm = demo.users["priya"]
    old = propose(title="Proposed before the last meeting")
    last = services.meeting_create(
        actor=pm, group=demo.group, kind=Kind.WORKING_GROUP, title="Last",
        starts_at=timezone.now() + timedelta(minutes=1),
    )  # fmt: skip
    from apps.backlog.models import Hypothesis

    Hypothesis.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    fresh = propose(title="Proposed after")
    from apps.backlog.models import Hypothesis as H

    H.objects.filter(pk=fresh.pk).update(created_at=timezone.now() + timedelta(minutes=5))
    nxt = services.meeting_create(
        actor=pm, group=demo.group, kind=Kind.WORKING_GROUP, title="Next",
        starts_at=timezone.now() + timedelta(days=14),
    )  # fmt: skip
    _draft(nxt, demo)
    keys = _keys(nxt)
    assert f"hypothesis:{fresh.pk}:proposed" in keys
    assert f"hypothesis:{old.pk}:proposed" not in keys
    assert last.pk != nxt.pk


def test_only_the_program_manager_drafts(meeting, demo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.meeting_draft_agenda(actor=demo.users["marco"], meeting=meeting)


def test_another_app_plugs_in_a_source_and_a_decision_kind(meeting, demo, monkeypatch):
    monkeypatch.setattr(hooks, "_SOURCES", dict(hooks._SOURCES))
    monkeypatch.setattr(hooks, "_KINDS", dict(hooks._KINDS))
    seen = {}

    @hooks.agenda_source("tests.decision_points", order=40, heading="Decision points due")
    def due(ctx):
        seen["ctx"] = ctx
        yield AgendaCandidate(
            key="milestone:7:due", title="Decide: ranking model", minutes=10, detail="Continue?"
        )

    applied = []

    @hooks.decision_kind(
        "tests.milestone", label="Decide a milestone", readable=hooks.readable_by_every_reader
    )
    def decide(*, actor, decision, payload):
        applied.append((actor, decision.pk, payload))

    _draft(meeting, demo)
    keys = _keys(meeting)
    assert keys.index("milestone:7:due") < keys.index("aob")
    ctx = seen["ctx"]
    assert ctx.group == demo.group and ctx.meeting.pk == meeting.pk and ctx.since is None
    assert ctx.until == meeting.starts_at + timedelta(days=demo.group.cadence_days)
    heading = AgendaItem.objects.get(key="milestone:7:due").heading
    assert heading == "Decision points due"

    decision = services.decision_record(
        actor=demo.users["priya"], meeting=meeting, text="Continue", kind="tests.milestone",
        payload={"milestone": 7},
    )  # fmt: skip
    assert applied == [(demo.users["priya"], decision.pk, {"milestone": 7})]


def test_drafting_costs_the_same_queries_however_big_the_backlog(demo, meeting, propose):
    from apps.backlog.models import Hypothesis, Status

    def grow(n: int) -> None:
        Hypothesis.objects.bulk_create(
            Hypothesis(
                working_group=demo.group, title=f"Bulk {n}-{k}", change="c", metric="m",
                rationale="r", proposer=demo.users["lena"], owner=demo.users["lena"],
                status=Status.PROPOSED, status_changed_at=timezone.now(),
            )
            for k in range(n)
        )  # fmt: skip
        ActionItem.objects.bulk_create(
            ActionItem(
                working_group=demo.group, title=f"A{n}-{k}", owner=demo.users["tomas"],
                due_on=timezone.localdate(),
            )
            for k in range(n)
        )  # fmt: skip

    def count() -> int:
        _draft(meeting, demo)  # settle the agenda, then count a redraft
        with CaptureQueriesContext(connection) as queries:
            _draft(meeting, demo)
        return len(queries)

    grow(10)
    small = count()
    grow(300)
    assert count() == small <= 20
