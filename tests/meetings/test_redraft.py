"""Redrafting an agenda the PM has worked on: an item whose subject moved on is updated in
place (never listed twice), the PM's order and hand-added items stay, new proposals join
the proposals, and the preview shows all of it before anything is written."""

import pytest
from django.core.exceptions import ValidationError

from apps.backlog import services as backlog_services
from apps.meetings import services
from apps.meetings.models import AgendaItem, Decision
from apps.meetings.services.agenda import moved_items

pytestmark = pytest.mark.django_db

ICE = ("impact", "confidence", "ease")


def _draft(meeting, demo, **kwargs):
    return services.meeting_draft_agenda(actor=demo.users["priya"], meeting=meeting, **kwargs)


def _agenda(meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.filter(removed=False).order_by("position", "pk"))


def _subjects(meeting) -> list[tuple[int, int]]:
    return [(i.subject_type_id, i.subject_id) for i in _agenda(meeting) if i.subject_id]


def _score(demo, hypothesis, scorer="priya", values=(8, 8, 8)):
    backlog_services.score_submit(
        actor=demo.users[scorer], hypothesis=hypothesis, values=dict(zip(ICE, values, strict=True))
    )


def _accept_in_meeting(demo, meeting, item, hypothesis):
    return services.decision_record(
        actor=demo.users["priya"], meeting=meeting, agenda_item=item,
        text="Accept guest checkout by default", kind="hypothesis.transition",
        payload={"hypothesis": hypothesis.pk, "to_status": "accepted"},
    )  # fmt: skip


def test_an_accepted_proposal_becomes_ready_to_design_in_the_same_item(meeting, demo, propose):
    guest = propose(title="Guest checkout by default")
    _draft(meeting, demo)
    (new,) = [i for i in _agenda(meeting) if i.subject_id == guest.pk]
    assert new.title == "New: Guest checkout by default"
    decision = _accept_in_meeting(demo, meeting, new, guest)
    _score(demo, guest)

    result = _draft(meeting, demo)

    about_guest = [i for i in _agenda(meeting) if i.subject_id == guest.pk]
    assert [(i.pk, i.title, i.key) for i in about_guest] == [
        (new.pk, "Ready to design: Guest checkout by default", f"hypothesis:{guest.pk}:top")
    ]
    assert Decision.objects.get(pk=decision.pk).agenda_item_id == new.pk
    assert result.created == 0
    assert not any(i.title.startswith("New: Guest") for i in _agenda(meeting))


def test_no_subject_is_listed_twice_when_a_later_source_names_it_first(meeting, demo, propose):
    """An accepted, scored hypothesis is on the agenda as "ready to design"; once scores
    disagree it is also a "discuss" candidate, from a source ordered earlier."""
    express = propose("aisha", title="Express pay above the fold")
    backlog_services.hypothesis_transition(
        actor=demo.users["priya"], hypothesis=express, to_status="accepted"
    )
    _score(demo, express)
    _draft(meeting, demo)
    assert [i.key for i in _agenda(meeting) if i.subject_id == express.pk] == [
        f"hypothesis:{express.pk}:top"
    ]
    _score(demo, express, "lena", (1, 1, 1))

    _draft(meeting, demo)

    subjects = _subjects(meeting)
    assert len(subjects) == len(set(subjects))
    assert [i.subject_id for i in _agenda(meeting)].count(express.pk) == 1


def test_an_item_the_pm_moved_stays_where_they_put_it(meeting, demo, propose):
    first = propose(title="First idea")
    second = propose(title="Second idea")
    _draft(meeting, demo)
    items = {i.subject_id: i for i in _agenda(meeting) if i.subject_id}
    # The PM moves "Second idea" above "First idea", then the first is parked elsewhere.
    services.agenda_item_move(actor=demo.users["priya"], item=items[second.pk], direction="up")
    order = [i.pk for i in _agenda(meeting)]
    backlog_services.hypothesis_transition(
        actor=demo.users["priya"], hypothesis=second, to_status="parked", reason="Later"
    )
    backlog_services.hypothesis_transition(
        actor=demo.users["priya"], hypothesis=first, to_status="parked", reason="Later"
    )

    result = _draft(meeting, demo)

    after = [i.pk for i in _agenda(meeting)]
    # The moved one is kept in place though no source suggests it; the untouched one goes.
    assert items[second.pk].pk in after and items[first.pk].pk not in after
    assert [pk for pk in order if pk in after] == after
    assert result.dropped == 1


def test_dragging_one_item_marks_only_that_item_as_placed(meeting, demo, propose):
    for n in range(3):
        propose(title=f"Idea {n}")
    _draft(meeting, demo)
    items = _agenda(meeting)
    # Drag the first item to the end: the others shift up but were not moved.
    new_order = [i.pk for i in items[1:]] + [items[0].pk]
    services.agenda_reorder(actor=demo.users["priya"], meeting=meeting, item_ids=new_order)
    placed = {i.pk for i in _agenda(meeting) if i.placed}
    assert placed == {items[0].pk}


def test_moved_items_is_the_complement_of_the_longest_kept_run():
    class Item:
        def __init__(self, pk):
            self.pk = pk

    ordered = [Item(pk) for pk in (2, 3, 1, 4, 6, 5)]
    moved = {i.pk for i in moved_items([1, 2, 3, 4, 5, 6], ordered)}
    assert len(moved) == 2 and moved in ({1, 6}, {1, 5})
    assert moved_items([1, 2, 3], [Item(1), Item(2), Item(3)]) == []


def test_hand_added_items_go_before_any_other_business_and_survive_a_redraft(
    meeting, demo, propose
):
    propose(title="Guest checkout by default")
    _draft(meeting, demo)
    pm = demo.users["priya"]
    q3 = services.agenda_item_add(actor=pm, meeting=meeting, title="Q3 planning", minutes=10)
    hiring = services.agenda_item_add(actor=pm, meeting=meeting, title="Hiring", minutes=5)
    titles = [i.title for i in _agenda(meeting)]
    assert titles[-3:] == ["Q3 planning", "Hiring", "Any other business"]
    # The PM puts "Hiring" first; a redraft with a new proposal keeps both where they are.
    order = [hiring.pk] + [i.pk for i in _agenda(meeting) if i.pk != hiring.pk]
    services.agenda_reorder(actor=pm, meeting=meeting, item_ids=order)
    propose("tomas", title="Typo-tolerant search")

    _draft(meeting, demo)

    titles = [i.title for i in _agenda(meeting)]
    assert titles[0] == "Hiring"
    assert titles[-2:] == ["Q3 planning", "Any other business"]
    assert q3.pk in {i.pk for i in _agenda(meeting)}


def test_a_new_proposal_joins_the_proposals_before_the_and_more_line(meeting, demo, propose):
    ideas = [propose(title=f"Idea {n}") for n in range(7)]
    _draft(meeting, demo)
    keys = [i.key for i in _agenda(meeting)]
    assert keys[5] == "backlog.proposed:more"
    assert _agenda(meeting)[5].title == "…and 2 more new proposals"
    # One of the first five is rejected: the sixth now makes the list.
    backlog_services.hypothesis_transition(
        actor=demo.users["priya"], hypothesis=ideas[0], to_status="rejected", reason="Done before"
    )

    _draft(meeting, demo)

    items = _agenda(meeting)
    keys = [i.key for i in items]
    more = keys.index("backlog.proposed:more")
    assert keys.index(f"hypothesis:{ideas[5].pk}:proposed") == more - 1
    assert items[more].title == "…and 1 more new proposal"
    assert keys[:more] == [f"hypothesis:{h.pk}:proposed" for h in ideas[1:6]]


def test_the_preview_lists_the_changes_and_writes_nothing(meeting, demo, propose):
    guest = propose(title="Guest checkout by default")
    search = propose("tomas", title="Typo-tolerant search")
    _draft(meeting, demo)
    items = {i.subject_id: i for i in _agenda(meeting) if i.subject_id}
    _accept_in_meeting(demo, meeting, items[guest.pk], guest)
    _score(demo, guest)
    backlog_services.hypothesis_transition(
        actor=demo.users["priya"], hypothesis=search, to_status="rejected", reason="Tried"
    )
    propose("marco", title="Holdout group for recommendations")
    snapshot = [(i.pk, i.key, i.title, i.position) for i in _agenda(meeting)]

    preview = services.meeting_redraft_preview(actor=demo.users["priya"], meeting=meeting)

    assert [(i.pk, i.key, i.title, i.position) for i in _agenda(meeting)] == snapshot
    assert [i.title for i in preview.added] == ["New: Holdout group for recommendations"]
    assert [(u.old_title, u.item.title) for u in preview.updated] == [
        ("New: Guest checkout by default", "Ready to design: Guest checkout by default")
    ]
    assert [i.title for i in preview.dropped] == ["New: Typo-tolerant search"]
    # Confirming that preview applies exactly it.
    result = _draft(meeting, demo, expected=preview.fingerprint)
    assert (result.created, result.dropped) == (1, 1)


def test_confirming_a_stale_preview_writes_nothing(meeting, demo, propose):
    propose(title="Guest checkout by default")
    _draft(meeting, demo)
    preview = services.meeting_redraft_preview(actor=demo.users["priya"], meeting=meeting)
    assert not preview.changes
    propose("tomas", title="Typo-tolerant search")  # arrives after the PM looked
    before = [i.pk for i in _agenda(meeting)]

    with pytest.raises(ValidationError) as refused:
        _draft(meeting, demo, expected=preview.fingerprint)

    assert "expected" in refused.value.message_dict
    assert [i.pk for i in _agenda(meeting)] == before


def test_only_the_program_manager_previews_a_redraft(meeting, demo):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.meeting_redraft_preview(actor=demo.users["marco"], meeting=meeting)
