"""The agenda builder: turns the registered sources' candidates into a meeting's agenda items.

A redraft is planned first (`plan`, which writes nothing: the page shows it as a preview of
what will be added, updated, removed and kept) and then applied (`apply`). Its rules:
- a candidate's `key` is its identity: an existing item with that key is updated, never
  duplicated; a removed one (tombstone) stays removed; one the PM edited keeps its text and
  timebox;
- one subject is listed once. When a subject's candidate changes key (a proposal accepted
  since: "New: X" becomes "Ready to design: X"), the item already on the agenda about it is
  updated to the new candidate, keeping its notes and decisions, rather than a second item
  being added beside it;
- existing items keep their order (the PM may have reordered them). A new candidate goes
  next to the candidates of its own source (after the one listed before it, so a new
  proposal lands inside the proposals, never after "…and N more"); without any, after the
  last item of a source with the same or an earlier `order`. An updated item that the PM
  never placed by hand moves to its new source's place the same way;
- a drafted item no longer suggested by any source disappears, unless the PM edited it,
  placed it by hand, or it holds notes or decisions;
- timeboxes: the suggested minutes (at most the timebox maximum), scaled down so the
  drafted items fit in what the PM's own items leave of the meeting.

The cost is the sources' queries plus a fixed handful here, whatever the backlog's size.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from . import hooks
from .hooks import AgendaCandidate, AgendaContext
from .models import TIMEBOX_MAX_MINUTES, AgendaItem, Decision, Kind, Meeting

_UPDATABLE = (
    "key",
    "title",
    "detail",
    "url",
    "presenter_id",
    "subject_type_id",
    "subject_id",
    "source",
    "heading",
    "suggested_minutes",
)
_COMPARED = (*_UPDATABLE, "position", "minutes")

# The closing item ("Any other business", meetings' own source): items the PM adds by hand
# go before it.
CLOSING_KEY = "aob"


@dataclass
class DraftResult:
    created: int = 0
    updated: int = 0
    dropped: int = 0


@dataclass(frozen=True)
class Update:
    """An item a redraft changes: its title before, and why."""

    item: AgendaItem
    old_title: str
    reason: str


@dataclass
class DraftPlan:
    """What a (re)draft would do to a meeting's agenda; nothing is written until `apply`."""

    meeting: Meeting
    agenda: list[AgendaItem]  # the agenda after the redraft, in order
    added: list[AgendaItem] = field(default_factory=list)
    updated: list[Update] = field(default_factory=list)
    dropped: list[AgendaItem] = field(default_factory=list)
    kept: list[AgendaItem] = field(default_factory=list)
    _before: dict[int, tuple] = field(default_factory=dict, repr=False)

    @property
    def changes(self) -> bool:
        return bool(self.added or self.updated or self.dropped)

    @property
    def fingerprint(self) -> str:
        """Names what the plan changes, so confirming a preview applies the plan the person
        saw, not one the program's state has changed since."""
        parts = [
            *(f"+{i.key}:{i.title}" for i in self.added),
            *(f"~{u.item.pk}:{u.item.key}:{u.item.title}" for u in self.updated),
            *(f"-{i.pk}" for i in self.dropped),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def context_for(meeting: Meeting) -> AgendaContext:
    """The window the agenda covers: since the previous meeting, until the following one."""
    group_meetings = Meeting.objects.scheduled().filter(
        working_group_id=meeting.working_group_id, kind=Kind.WORKING_GROUP
    )
    previous = (
        group_meetings.filter(starts_at__lt=meeting.starts_at)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    following = (
        group_meetings.filter(starts_at__gt=meeting.starts_at)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    until = following or meeting.starts_at + timedelta(days=meeting.working_group.cadence_days)
    return AgendaContext(group=meeting.working_group, meeting=meeting, since=previous, until=until)


def candidates_for(meeting: Meeting) -> list[tuple[hooks.AgendaSource, AgendaCandidate]]:
    """Every source's candidates for the meeting, in source order, each key once."""
    ctx = context_for(meeting)
    seen: set[str] = set()
    out = []
    for source in hooks.agenda_sources():
        for candidate in source.fn(ctx):
            if candidate.key not in seen:
                seen.add(candidate.key)
                out.append((source, candidate))
    return out


def _subject_ids(subject) -> tuple[int | None, int | None]:
    if subject is None:
        return None, None
    return ContentType.objects.get_for_model(subject).pk, subject.pk


def _source_place(live: list[AgendaItem], orders: dict[str, int], order: int) -> int:
    """After the last drafted item of a source ordered at or before `order`."""
    last_before = None
    first_after = None
    for index, item in enumerate(live):
        item_order = orders.get(item.source) if item.key else None
        if item_order is None:
            continue
        if item_order <= order:
            last_before = index
        elif first_after is None:
            first_after = index
    if last_before is not None:
        return last_before + 1
    return first_after if first_after is not None else len(live)


def _place(live: list[AgendaItem], siblings: list[str], key: str, orders, order: int) -> int:
    """Where a candidate goes: after the nearest candidate of its source listed before it,
    else before the nearest listed after it, else by its source's order."""
    index_of = {item.key: n for n, item in enumerate(live) if item.key}
    at = siblings.index(key)
    for earlier in reversed(siblings[:at]):
        if earlier in index_of:
            return index_of[earlier] + 1
    for later in siblings[at + 1 :]:
        if later in index_of:
            return index_of[later]
    return _source_place(live, orders, order)


def _fit_timeboxes(live: list[AgendaItem], duration: int) -> None:
    fixed = [i for i in live if i.edited or not i.key]
    drafted = [i for i in live if i.key and not i.edited]
    available = max(duration - sum(i.minutes for i in fixed), 0)
    suggested = sum(i.suggested_minutes for i in drafted)
    factor = min(1.0, available / suggested) if suggested else 1.0
    for item in drafted:
        item.minutes = max(1, int(item.suggested_minutes * factor))


def plan(meeting: Meeting) -> DraftPlan:
    """What drafting the meeting's agenda now would change; see the module docstring."""
    sources = hooks.agenda_sources()
    orders = {source.name: source.order for source in sources}
    candidates = candidates_for(meeting)
    keys = {candidate.key for _, candidate in candidates}
    siblings: dict[str, list[str]] = {}
    for source, candidate in candidates:
        siblings.setdefault(source.name, []).append(candidate.key)

    existing = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    result = DraftPlan(
        meeting=meeting,
        agenda=[item for item in existing if not item.removed],
        _before={item.pk: tuple(getattr(item, f) for f in _COMPARED) for item in existing},
    )
    live = result.agenda
    by_key = {item.key: item for item in existing if item.key}
    # Drafted items on the agenda whose key no source suggests any more, by subject: a
    # candidate about the same subject under a new key takes the item over.
    orphans = {
        (item.subject_type_id, item.subject_id): item
        for item in live
        if item.key and item.subject_id is not None and item.key not in keys
    }

    # Subjects already listed under a key still suggested (or removed under one) are taken.
    seen_subjects = {
        (item.subject_type_id, item.subject_id)
        for item in existing
        if item.key in keys and item.subject_id is not None
    }
    for source, candidate in candidates:
        type_id, subject_id = _subject_ids(candidate.subject)
        subject = (type_id, subject_id) if type_id is not None else None
        fields = {
            "key": candidate.key[:160],
            "title": candidate.title[:240],
            "detail": candidate.detail,
            "url": candidate.url[:500],
            "presenter_id": candidate.presenter_id,
            "subject_type_id": type_id,
            "subject_id": subject_id,
            "source": source.name,
            "heading": source.heading[:120],
            "suggested_minutes": max(1, min(int(candidate.minutes), TIMEBOX_MAX_MINUTES)),
        }
        item = by_key.get(candidate.key)
        if item is not None:
            if not item.removed and not item.edited:
                old_title = item.title
                for name, value in fields.items():
                    setattr(item, name, value)
                if item.title != old_title:
                    result.updated.append(Update(item, old_title, "its subject changed"))
            if subject is not None:
                seen_subjects.add(subject)
            continue
        # One thing discussed once: the first (earliest-ordered) source to name it wins.
        if subject is not None:
            if subject in seen_subjects:
                continue
            seen_subjects.add(subject)
            orphan = orphans.pop(subject, None)
            if orphan is not None:
                old_title = orphan.title
                by_key.pop(orphan.key, None)
                orphan.key = fields["key"]
                by_key[orphan.key] = orphan
                if orphan.edited:
                    continue  # the PM's wording stays; the item now answers to the new key
                for name, value in fields.items():
                    setattr(orphan, name, value)
                result.updated.append(Update(orphan, old_title, "its subject moved on"))
                if not orphan.placed:
                    live.remove(orphan)
                    at = _place(live, siblings[source.name], orphan.key, orders, source.order)
                    live.insert(at, orphan)
                continue
        item = AgendaItem(meeting=meeting, minutes=fields["suggested_minutes"], **fields)
        live.insert(_place(live, siblings[source.name], item.key, orders, source.order), item)
        by_key[item.key] = item
        result.added.append(item)

    stale = [i for i in live if i.pk and i.key and i.key not in keys]
    if stale:
        with_decisions = set(
            Decision.objects.filter(agenda_item__in=stale).values_list("agenda_item_id", flat=True)
        )
        for item in stale:
            if item.edited or item.placed or item.notes or item.pk in with_decisions:
                result.kept.append(item)
            else:
                result.dropped.append(item)
        dropped = {i.pk for i in result.dropped}
        live[:] = [i for i in live if i.pk not in dropped]

    _fit_timeboxes(live, meeting.duration_minutes)
    for position, item in enumerate(live):
        item.position = position
    return result


def apply(draft_plan: DraftPlan) -> DraftResult:
    """Write a plan: drop, create and update the items it names."""
    result = DraftResult()
    if draft_plan.dropped:
        AgendaItem.objects.filter(pk__in=[i.pk for i in draft_plan.dropped]).delete()
        result.dropped = len(draft_plan.dropped)
    if draft_plan.added:
        AgendaItem.objects.bulk_create(draft_plan.added)
        result.created = len(draft_plan.added)
    before = draft_plan._before
    changed = [
        item
        for item in draft_plan.agenda
        if item.pk in before and before[item.pk] != tuple(getattr(item, f) for f in _COMPARED)
    ]
    if changed:
        # Keys move between items only onto keys no other row holds (see `plan`), so the
        # one-item-per-key constraint holds row by row.
        AgendaItem.objects.bulk_update(changed, list(_COMPARED))
        result.updated = len(changed)
    return result


def draft(meeting: Meeting) -> DraftResult:
    """Merge the sources' candidates into the meeting's agenda; see the module docstring."""
    return apply(plan(meeting))
