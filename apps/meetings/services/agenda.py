"""A meeting's agenda and notes: drafting it from the program's state, the PM's edits and
order, and the notes' compare-and-set."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User
from apps.accounts.policy import Action
from apps.core.text_rules import check_text
from apps.meetings import selectors
from apps.meetings.agenda import CLOSING_KEY, DraftPlan, DraftResult, apply, plan
from apps.meetings.models import (
    TIMEBOX_MAX_MINUTES,
    TIMEBOX_MIN_MINUTES,
    AgendaItem,
    Kind,
    Meeting,
)

from ._rules import check_member, lock, refuse_unknown

logger = logging.getLogger(__name__)

AUTO_DRAFT_AHEAD = timedelta(days=2)
MOVE_DIRECTIONS = ("up", "down")


class NotesConflict(Exception):
    """The notes changed since the editor opened them: carries both versions."""

    def __init__(self, item: AgendaItem, yours: str):
        super().__init__("These notes changed since you opened them.")
        self.item = item
        self.yours = yours


class AgendaItemConflict(Exception):
    """The item changed since the editor opened it: carries the saved item and the changes
    the editor sent, which were not saved."""

    def __init__(self, item: AgendaItem, yours: dict):
        super().__init__("This agenda item changed since you opened it.")
        self.item = item
        self.yours = yours


@transaction.atomic
def meeting_draft_agenda(
    *, actor: User, meeting: Meeting, expected: str | None = None
) -> DraftResult:
    """Draft (or redraft) the agenda from the program's state; the PM's edits are kept.

    `expected` is the fingerprint of the preview the PM confirmed: if the plan differs now
    (a proposal arrived since), nothing is written and the PM is asked to look again.
    """
    policy.require(actor, meeting.working_group_id, Action.MANAGE)
    return _draft(meeting, expected=expected)


def _check_draftable(meeting: Meeting) -> None:
    if meeting.kind != Kind.WORKING_GROUP:
        raise ValidationError(
            {"kind": "Agendas are drafted for working-group meetings; add items by hand here."}
        )
    if meeting.is_cancelled:
        raise ValidationError({"status": "This meeting is cancelled."})


def meeting_redraft_preview(*, actor: User, meeting: Meeting) -> DraftPlan:
    """What a redraft would add, update, remove and keep; writes nothing."""
    policy.require(actor, meeting.working_group_id, Action.MANAGE)
    _check_draftable(meeting)
    return plan(meeting)


def _draft(meeting: Meeting, *, expected: str | None = None) -> DraftResult:
    locked = lock(meeting)
    _check_draftable(locked)
    draft_plan = plan(locked)
    if expected is not None and draft_plan.fingerprint != expected:
        raise ValidationError(
            {"expected": "The program changed since the preview: review what the redraft "
             "would change now, then confirm again."}
        )  # fmt: skip
    result = apply(draft_plan)
    locked.agenda_drafted_at = timezone.now()
    locked.save(update_fields=["agenda_drafted_at"])
    meeting.agenda_drafted_at = locked.agenda_drafted_at
    return result


def meetings_draft_due(*, now: datetime | None = None) -> int:
    """Draft every working-group meeting starting within two days that has no draft yet."""
    now = now or timezone.now()
    due = Meeting.objects.scheduled().filter(
        kind=Kind.WORKING_GROUP,
        starts_at__gt=now,
        starts_at__lte=now + AUTO_DRAFT_AHEAD,
        agenda_drafted_at__isnull=True,
    )
    drafted = 0
    for meeting in due.select_related("working_group"):
        with transaction.atomic():
            _draft(meeting)
        drafted += 1
        logger.info("drafted the agenda of meeting %s", meeting.pk)
    return drafted


def _check_minutes(minutes) -> int:
    if not isinstance(minutes, int) or not TIMEBOX_MIN_MINUTES <= minutes <= TIMEBOX_MAX_MINUTES:
        raise ValidationError(
            {"minutes": f"A timebox is {TIMEBOX_MIN_MINUTES} to {TIMEBOX_MAX_MINUTES} minutes."}
        )
    return minutes


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    minutes: int = 5,
    detail: str = "",
    presenter: User | None = None,
    url: str = "",
) -> AgendaItem:
    """Add an item by hand: at the end, but before "Any other business" wherever it is."""
    policy.require(actor, meeting.working_group_id, Action.MANAGE)
    meeting = lock(meeting)
    check_member(meeting.working_group, presenter, "presenter")
    title = check_text("title", title, max_length=240)
    minutes = _check_minutes(minutes)
    items = list(
        AgendaItem.objects.filter(meeting=meeting, removed=False).order_by("position", "pk")
    )
    at = next((n for n, i in enumerate(items) if i.key == CLOSING_KEY), len(items))
    item = AgendaItem(
        meeting=meeting, title=title, minutes=minutes, suggested_minutes=minutes,
        detail=detail, presenter=presenter, url=url[:500],
    )  # fmt: skip
    items.insert(at, item)
    for position, each in enumerate(items):
        each.position = position
    item.save()
    AgendaItem.objects.bulk_update([i for i in items if i is not item], ["position"])
    return item


@transaction.atomic
def agenda_item_update(
    *, actor: User, item: AgendaItem, version: int | None = None, **changes
) -> AgendaItem:
    """The PM edits an item; it is marked edited so a redraft leaves it as the PM wrote it.

    With `version` (the pages always send it) the write is a compare-and-set, one UPDATE …
    WHERE version = version as for the notes: of two people who opened version 3, one
    writes version 4 and the other gets an AgendaItemConflict instead of overwriting it.
    """
    policy.require(actor, item.meeting.working_group_id, Action.MANAGE)
    if version is not None and (not isinstance(version, int) or version < 0):
        raise ValidationError({"version": "Send the version number the item was opened at."})
    refuse_unknown(changes, {"title", "detail", "minutes", "presenter", "url"})
    if "title" in changes:
        changes["title"] = check_text("title", changes["title"], max_length=240)
    if "minutes" in changes:
        _check_minutes(changes["minutes"])
    if "presenter" in changes:
        check_member(item.meeting.working_group, changes["presenter"], "presenter")
    rows = AgendaItem.objects.filter(pk=item.pk, removed=False)
    if version is not None:
        rows = rows.filter(version=version)
    updated = rows.update(**changes, edited=True, version=F("version") + 1)
    fresh = AgendaItem.objects.select_related("presenter").filter(pk=item.pk, removed=False).first()
    if fresh is None:
        raise ValidationError({"item": "This item is no longer on the agenda."})
    if not updated:
        raise AgendaItemConflict(fresh, changes)
    return fresh


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    """Take an item off the agenda. A drafted one leaves a tombstone so a redraft does not
    bring it back; a hand-added one with nothing recorded is simply deleted."""
    policy.require(actor, item.meeting.working_group_id, Action.MANAGE)
    if not item.key and not item.notes and not item.decisions.exists():
        item.delete()
        return
    item.removed = True
    item.save(update_fields=["removed"])


@transaction.atomic
def agenda_reorder(*, actor: User, meeting: Meeting, item_ids: list[int]) -> list[AgendaItem]:
    """Put the agenda in the given order; it must name every item on the agenda once."""
    policy.require(actor, meeting.working_group_id, Action.MANAGE)
    meeting = lock(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting, removed=False))
    if len(set(item_ids)) != len(item_ids) or set(item_ids) != {i.pk for i in items}:
        raise ValidationError(
            {"items": "List every item of this meeting's agenda exactly once, in the new order."}
        )
    by_id = {i.pk: i for i in items}
    ordered = [by_id[pk] for pk in item_ids]
    before = [i.pk for i in sorted(items, key=lambda i: (i.position, i.pk))]
    for item in moved_items(before, ordered):
        item.placed = True
    for position, item in enumerate(ordered):
        item.position = position
    AgendaItem.objects.bulk_update(ordered, ["position", "placed"])
    return ordered


def moved_items(before: list[int], ordered: list[AgendaItem]) -> list[AgendaItem]:
    """The items a new order moved: all but the longest run that kept its relative order
    (dragging one item down shifts the others, but only that one was moved)."""
    rank = {pk: n for n, pk in enumerate(before)}
    ranks = [rank[i.pk] for i in ordered]
    # Longest increasing subsequence by patience sorting, O(n log n).
    tails: list[int] = []  # index in `ranks` of the last element of a run of each length
    parent: list[int | None] = [None] * len(ranks)
    for index, value in enumerate(ranks):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if ranks[tails[mid]] < value:
                lo = mid + 1
            else:
                hi = mid
        parent[index] = tails[lo - 1] if lo else None
        if lo == len(tails):
            tails.append(index)
        else:
            tails[lo] = index
    kept: set[int] = set()
    cursor = tails[-1] if tails else None
    while cursor is not None:
        kept.add(cursor)
        cursor = parent[cursor]
    return [item for n, item in enumerate(ordered) if n not in kept]


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> list[AgendaItem]:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    policy.require(actor, item.meeting.working_group_id, Action.MANAGE)
    if direction not in MOVE_DIRECTIONS:
        raise ValidationError({"direction": "Choose up or down."})
    meeting = lock(item.meeting)
    items = list(
        AgendaItem.objects.filter(meeting=meeting, removed=False).order_by("position", "pk")
    )
    index = next((n for n, i in enumerate(items) if i.pk == item.pk), None)
    if index is None:
        raise ValidationError({"item": "This item is no longer on the agenda."})
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        items[other].placed = True  # the one the PM moved; its neighbour just made room
    for position, each in enumerate(items):
        each.position = position
    AgendaItem.objects.bulk_update(items, ["position", "placed"])
    return items


@transaction.atomic
def agenda_item_save_notes(
    *, actor: User, item: AgendaItem, notes: str, version: int
) -> AgendaItem:
    """Save notes if nobody saved since `version`; otherwise raise NotesConflict.

    The compare-and-set is one UPDATE … WHERE notes_version = version, so of two people who
    opened version 3, exactly one writes version 4 and the other gets the conflict.
    """
    meeting = item.meeting
    if not selectors.may_edit_notes(actor, meeting):
        raise PermissionDenied(
            "Only the note taker, the facilitator, the program manager and the meeting's "
            "attendees write its notes."
        )
    if not isinstance(version, int) or version < 0:
        raise ValidationError({"version": "Send the version number the notes were opened at."})
    if len(notes) > 100_000:
        raise ValidationError({"notes": "Notes are limited to 100,000 characters."})
    now = timezone.now()
    updated = AgendaItem.objects.filter(pk=item.pk, notes_version=version).update(
        notes=notes,
        notes_version=F("notes_version") + 1,
        notes_updated_by=actor,
        notes_updated_at=now,
    )
    fresh = AgendaItem.objects.select_related("notes_updated_by").get(pk=item.pk)
    if not updated:
        raise NotesConflict(fresh, notes)
    return fresh
