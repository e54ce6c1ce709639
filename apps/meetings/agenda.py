"""The agenda builder: turns the registered sources' candidates into a meeting's agenda items.

Rules a redraft keeps:
- a candidate's `key` is its identity: an existing item with that key is updated, never
  duplicated; a removed one (tombstone) stays removed; one the PM edited keeps its text and
  timebox;
- existing items keep their order (the PM may have reordered them); a new candidate goes
  after the last item of a source with the same or an earlier `order`;
- a drafted item no longer suggested by any source disappears, unless it already has notes
  or decisions;
- timeboxes: the suggested minutes, scaled down so the drafted items fit in what the PM's
  own items leave of the meeting.

The cost is the sources' queries plus a fixed handful here, whatever the backlog's size.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from . import hooks
from .hooks import AgendaContext
from .models import AgendaItem, Decision, Kind, Meeting

_UPDATABLE = (
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


@dataclass
class DraftResult:
    created: int = 0
    updated: int = 0
    dropped: int = 0


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


def _subject_ids(subject) -> tuple[int | None, int | None]:
    if subject is None:
        return None, None
    return ContentType.objects.get_for_model(subject).pk, subject.pk


def _insert_at(live: list[AgendaItem], orders: dict[str, int], order: int) -> int:
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


def _fit_timeboxes(live: list[AgendaItem], duration: int) -> None:
    fixed = [i for i in live if i.edited or not i.key]
    drafted = [i for i in live if i.key and not i.edited]
    available = max(duration - sum(i.minutes for i in fixed), 0)
    suggested = sum(i.suggested_minutes for i in drafted)
    factor = min(1.0, available / suggested) if suggested else 1.0
    for item in drafted:
        item.minutes = max(1, int(item.suggested_minutes * factor))


def draft(meeting: Meeting) -> DraftResult:
    """Merge the sources' candidates into the meeting's agenda; see the module docstring."""
    result = DraftResult()
    ctx = context_for(meeting)
    sources = hooks.agenda_sources()
    orders = {source.name: source.order for source in sources}
    existing = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    by_key = {item.key: item for item in existing if item.key}
    before = {item.pk: tuple(getattr(item, f) for f in (*_UPDATABLE, "position", "minutes"))
              for item in existing}  # fmt: skip
    live = [item for item in existing if not item.removed]

    seen_keys: set[str] = set()
    seen_subjects: set[tuple[int, int]] = set()
    new_items: list[AgendaItem] = []
    for source in sources:
        for candidate in source.fn(ctx):
            if candidate.key in seen_keys:
                continue
            seen_keys.add(candidate.key)
            type_id, subject_id = _subject_ids(candidate.subject)
            fields = {
                "title": candidate.title[:240],
                "detail": candidate.detail,
                "url": candidate.url[:500],
                "presenter_id": candidate.presenter_id,
                "subject_type_id": type_id,
                "subject_id": subject_id,
                "source": source.name,
                "heading": source.heading[:120],
                "suggested_minutes": max(1, min(int(candidate.minutes), 480)),
            }
            item = by_key.get(candidate.key)
            if item is not None:
                if not item.removed and not item.edited:
                    for field, value in fields.items():
                        setattr(item, field, value)
                if type_id is not None:
                    seen_subjects.add((type_id, subject_id))
                continue
            # One thing discussed once: the first (earliest-ordered) source to name it wins.
            if type_id is not None:
                if (type_id, subject_id) in seen_subjects:
                    continue
                seen_subjects.add((type_id, subject_id))
            item = AgendaItem(
                meeting=meeting, key=candidate.key[:160], minutes=fields["suggested_minutes"],
                **fields,
            )  # fmt: skip
            live.insert(_insert_at(live, orders, source.order), item)
            new_items.append(item)

    stale = [i for i in live if i.pk and i.key and not i.edited and i.key not in seen_keys]
    if stale:
        with_decisions = set(
            Decision.objects.filter(agenda_item__in=stale).values_list("agenda_item_id", flat=True)
        )
        dropped = [i for i in stale if not i.notes and i.pk not in with_decisions]
        if dropped:
            AgendaItem.objects.filter(pk__in=[i.pk for i in dropped]).delete()
            dropped_ids = {i.pk for i in dropped}
            live = [i for i in live if i.pk not in dropped_ids]
            result.dropped = len(dropped)

    _fit_timeboxes(live, meeting.duration_minutes)
    for position, item in enumerate(live):
        item.position = position

    if new_items:
        AgendaItem.objects.bulk_create(new_items)
        result.created = len(new_items)
    changed = [
        item
        for item in live
        if item.pk in before
        and before[item.pk] != tuple(getattr(item, f) for f in (*_UPDATABLE, "position", "minutes"))
    ]
    if changed:
        AgendaItem.objects.bulk_update(changed, [*_UPDATABLE, "position", "minutes"])
        result.updated = len(changed)
    return result
