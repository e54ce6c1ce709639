"""Changes to meetings: series, meetings and attendees, the agenda, notes, decisions, action
items, sharing and the daily digest.

Each function takes the acting user, asks the role policy, validates, and writes in one
transaction, so a refused or invalid change leaves nothing half-saved. Who may do what:
stakeholders read; members create working sessions and action items and edit their own;
the program manager (or an admin) runs the group's meetings: schedules, drafts and reorders
the agenda, shares the notes; notes are written by the note taker, the facilitator, the PM
and the meeting's attendees.
"""

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import Membership, Role, User, WorkingGroup
from apps.accounts.policy import Action

from . import agenda, hooks, selectors
from .markup import render_markdown
from .models import (
    ActionItem,
    AgendaItem,
    Attendee,
    CalendarToken,
    Decision,
    DigestSent,
    Kind,
    Meeting,
    MeetingSeries,
    validate_timezone,
)
from .subjects import check_subject, subject_fields

logger = logging.getLogger(__name__)

GENERATE_AHEAD = 4  # meetings a series keeps scheduled ahead
AUTO_DRAFT_AHEAD = timedelta(days=2)
DIGEST_DUE_SOON_DAYS = 3


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


# --- helpers -----------------------------------------------------------------------------


def _member_roles(group: WorkingGroup | int) -> dict[int, str]:
    group_id = group if isinstance(group, int) else group.pk
    return dict(Membership.objects.filter(working_group_id=group_id).values_list("user_id", "role"))


def _check_member(group: WorkingGroup, user: User | None, field: str, roles=None) -> None:
    if user is None:
        return
    roles = roles if roles is not None else _member_roles(group)
    if user.pk not in roles:
        raise ValidationError(
            {field: f"{user.username} is not a member of {group.name}; choose a member."}
        )


def _check_text(field: str, value: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: "This field may not be blank."})
    if max_length and len(value) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    return value


def _check_duration(minutes) -> int:
    if not isinstance(minutes, int) or not 5 <= minutes <= 480:
        raise ValidationError({"duration_minutes": "A meeting lasts 5 to 480 minutes."})
    return minutes


def _check_zone(name: str) -> str:
    try:
        validate_timezone(name)
    except ValidationError as exc:
        raise ValidationError({"timezone": exc.messages}) from None
    return name


def _require_runs(actor: User, meeting: Meeting) -> None:
    """Running a meeting is the PM's; a working session is also its organiser's."""
    if meeting.kind == Kind.WORKING_SESSION and meeting.created_by_id == actor.pk:
        policy.require(actor, meeting.working_group_id, Action.CREATE)
        return
    policy.require(actor, meeting.working_group_id, Action.MANAGE)


def _lock(meeting: Meeting) -> Meeting:
    # Agenda changes read positions and then write them: one writer per meeting at a time.
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("working_group")
        .get(pk=meeting.pk)
    )


def _local_datetime(day: date, at: time, zone: str) -> datetime:
    # Wall-clock time in the series' zone: 10:00 stays 10:00 across daylight-saving changes.
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


# --- series ------------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *,
    actor: User,
    group: WorkingGroup,
    weekday: int,
    start_time: time,
    timezone_name: str = "UTC",
    duration_minutes: int = 60,
    title: str = "",
    kind: str = Kind.WORKING_GROUP,
    starts_on: date | None = None,
    cadence_days: int | None = None,
    location: str = "",
) -> MeetingSeries:
    policy.require(actor, group, Action.MANAGE)
    if kind == Kind.WORKING_SESSION:
        raise ValidationError(
            {"kind": "Working sessions are one-off meetings; a series is a working-group "
             "meeting or a stakeholder update."}
        )  # fmt: skip
    series = MeetingSeries(
        working_group=group,
        title=(title or "").strip() or f"{group.name} meeting",
        kind=kind,
        weekday=weekday,
        start_time=start_time,
        timezone=_check_zone(timezone_name),
        duration_minutes=_check_duration(duration_minutes),
        starts_on=starts_on or timezone.localdate(),
        cadence_days=cadence_days,
        location=location,
    )
    series.full_clean(exclude=["working_group"])
    series.save()
    series_generate(series=series)
    return series


@transaction.atomic
def series_update(*, actor: User, series: MeetingSeries, **changes) -> MeetingSeries:
    """Change the slot's time, length, place or title; future meetings not moved follow."""
    policy.require(actor, series.working_group_id, Action.MANAGE)
    allowed = {"title", "start_time", "timezone", "duration_minutes", "location", "active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            {sorted(unknown)[0]: "This cannot change on an existing series; start a new one."}
        )
    if "timezone" in changes:
        _check_zone(changes["timezone"])
    if "duration_minutes" in changes:
        _check_duration(changes["duration_minutes"])
    for field, value in changes.items():
        setattr(series, field, value)
    series.full_clean(exclude=["working_group"])
    series.save(update_fields=list(changes) or None)
    future = Meeting.objects.filter(
        series=series, moved=False, starts_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED
    )
    retimed = []
    for meeting in future:
        meeting.starts_at = _local_datetime(meeting.occurrence, series.start_time, series.timezone)
        meeting.timezone = series.timezone
        meeting.duration_minutes = series.duration_minutes
        meeting.location = series.location
        meeting.title = series.title
        retimed.append(meeting)
    Meeting.objects.bulk_update(
        retimed, ["starts_at", "timezone", "duration_minutes", "location", "title"]
    )
    return series


def series_slots(series: MeetingSeries, *, today: date, count: int) -> list[date]:
    """The next `count` slot dates on or after today: the first slot, then every cadence."""
    first = series.first_slot()
    step = series.cadence
    if today <= first:
        start = first
    else:
        start = first + timedelta(days=-(-(today - first).days // step) * step)
    return [start + timedelta(days=step * k) for k in range(count)]


def series_generate(
    *, series: MeetingSeries, count: int = GENERATE_AHEAD, today: date | None = None
) -> list[Meeting]:
    """Schedule the series' next meetings; idempotent, and a slot once filled stays filled
    (a moved or cancelled meeting keeps its `occurrence`)."""
    if not series.active:
        return []
    today = today or timezone.localdate()
    slots = series_slots(series, today=today, count=count)
    taken = set(
        Meeting.objects.filter(series=series, occurrence__in=slots).values_list(
            "occurrence", flat=True
        )
    )
    missing = [slot for slot in slots if slot not in taken]
    if not missing:
        return []
    group = series.working_group
    meetings = [
        Meeting(
            working_group=group,
            series=series,
            occurrence=slot,
            kind=series.kind,
            title=series.title,
            starts_at=_local_datetime(slot, series.start_time, series.timezone),
            duration_minutes=series.duration_minutes,
            timezone=series.timezone,
            location=series.location,
            facilitator_id=group.program_manager_id,
        )
        for slot in missing
    ]
    # A concurrent run may have inserted the same slot: the constraint keeps one.
    Meeting.objects.bulk_create(meetings, ignore_conflicts=True)
    created = list(
        Meeting.objects.filter(series=series, occurrence__in=missing, attendees__isnull=True)
    )
    _add_default_attendees(created, group, series.kind)
    return created


def _default_attendee_ids(group: WorkingGroup, kind: str) -> list[int]:
    roles = _member_roles(group)
    if kind == Kind.STAKEHOLDER_UPDATE:
        return sorted(roles)
    return sorted(uid for uid, role in roles.items() if role != Role.STAKEHOLDER)


def _add_default_attendees(meetings: list[Meeting], group: WorkingGroup, kind: str) -> None:
    if not meetings:
        return
    user_ids = _default_attendee_ids(group, kind)
    Attendee.objects.bulk_create(
        [Attendee(meeting=m, user_id=uid) for m in meetings for uid in user_ids],
        ignore_conflicts=True,
    )


def series_extend_all(*, today: date | None = None) -> int:
    """Keep every active series scheduled ahead; the daily beat job calls this."""
    created = 0
    for series in MeetingSeries.objects.filter(active=True).select_related("working_group"):
        with transaction.atomic():
            created += len(series_generate(series=series, today=today))
    return created


# --- meetings ----------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    group: WorkingGroup,
    title: str,
    starts_at: datetime,
    kind: str = Kind.WORKING_SESSION,
    duration_minutes: int = 60,
    timezone_name: str = "UTC",
    location: str = "",
    attendees: Iterable[User] | None = None,
    facilitator: User | None = None,
    note_taker: User | None = None,
    subject=None,
) -> Meeting:
    """A one-off meeting. Any member may hold a working session (a "meeting between
    meetings" about one action item or hypothesis); other kinds are the PM's."""
    if kind == Kind.WORKING_SESSION:
        policy.require(actor, group, Action.CREATE)
        if subject is None:
            raise ValidationError(
                {"subject_type": "A working session is about one action item, hypothesis or "
                 "experiment: name it."}
            )  # fmt: skip
    else:
        policy.require(actor, group, Action.MANAGE)
    check_subject(subject, group)
    if kind not in Kind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(Kind.values)}."})
    if starts_at.tzinfo is None:
        raise ValidationError({"starts_at": "Give the start with its time zone offset."})
    roles = _member_roles(group)
    attendees = list(attendees) if attendees is not None else None
    for person in attendees or []:
        _check_member(group, person, "attendees", roles)
    _check_member(group, facilitator, "facilitator", roles)
    _check_member(group, note_taker, "note_taker", roles)
    if facilitator is None:
        facilitator = actor if kind == Kind.WORKING_SESSION else group.program_manager
    meeting = Meeting(
        working_group=group,
        kind=kind,
        title=_check_text("title", title, 160),
        starts_at=starts_at,
        duration_minutes=_check_duration(duration_minutes),
        timezone=_check_zone(timezone_name),
        location=location,
        facilitator=facilitator,
        note_taker=note_taker,
        created_by=actor,
        **subject_fields(subject),
    )
    meeting.full_clean(exclude=["working_group", "facilitator", "note_taker", "created_by"])
    meeting.save()
    if attendees is None:
        user_ids = (
            [actor.pk] if kind == Kind.WORKING_SESSION else _default_attendee_ids(group, kind)
        )
    else:
        user_ids = sorted({p.pk for p in attendees} | {facilitator.pk})
    Attendee.objects.bulk_create([Attendee(meeting=meeting, user_id=uid) for uid in user_ids])
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **changes) -> Meeting:
    """Title, place, facilitator, note taker, length (the time moves with meeting_move)."""
    _require_runs(actor, meeting)
    allowed = {"title", "location", "facilitator", "note_taker", "duration_minutes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be changed here."})
    group = meeting.working_group
    roles = _member_roles(group)
    for field in ("facilitator", "note_taker"):
        if field in changes:
            _check_member(group, changes[field], field, roles)
    if "title" in changes:
        changes["title"] = _check_text("title", changes["title"], 160)
    if "duration_minutes" in changes:
        _check_duration(changes["duration_minutes"])
    for field, value in changes.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=list(changes) or None)
    # The note taker and facilitator take part, so they can write the notes.
    people = [changes.get("facilitator"), changes.get("note_taker")]
    Attendee.objects.bulk_create(
        [Attendee(meeting=meeting, user=p) for p in people if p is not None],
        ignore_conflicts=True,
    )
    return meeting


@transaction.atomic
def meeting_move(
    *, actor: User, meeting: Meeting, starts_at: datetime, duration_minutes: int | None = None
) -> Meeting:
    """Move one meeting; the series keeps its slot (`occurrence`), so nothing regenerates."""
    _require_runs(actor, meeting)
    if starts_at.tzinfo is None:
        raise ValidationError({"starts_at": "Give the start with its time zone offset."})
    if meeting.is_cancelled:
        raise ValidationError({"status": "A cancelled meeting cannot be moved; reinstate it."})
    meeting.starts_at = starts_at
    meeting.moved = True
    fields = ["starts_at", "moved"]
    if duration_minutes is not None:
        meeting.duration_minutes = _check_duration(duration_minutes)
        fields.append("duration_minutes")
    meeting.save(update_fields=fields)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    _require_runs(actor, meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = (reason or "").strip()[:240]
    meeting.save(update_fields=["status", "cancel_reason"])
    return meeting


@transaction.atomic
def meeting_reinstate(*, actor: User, meeting: Meeting) -> Meeting:
    _require_runs(actor, meeting)
    meeting.status = Meeting.Status.SCHEDULED
    meeting.cancel_reason = ""
    meeting.save(update_fields=["status", "cancel_reason"])
    return meeting


@transaction.atomic
def meeting_set_attendees(*, actor: User, meeting: Meeting, users: Iterable[User]) -> Meeting:
    """Replace who is invited; attendance already recorded for those who stay is kept."""
    _require_runs(actor, meeting)
    group = meeting.working_group
    roles = _member_roles(group)
    users = list(users)
    for person in users:
        _check_member(group, person, "attendees", roles)
    wanted = {p.pk for p in users}
    Attendee.objects.filter(meeting=meeting).exclude(user_id__in=wanted).delete()
    Attendee.objects.bulk_create(
        [Attendee(meeting=meeting, user_id=uid) for uid in sorted(wanted)], ignore_conflicts=True
    )
    return meeting


@transaction.atomic
def meeting_record_attendance(*, actor: User, meeting: Meeting, present: Iterable[User]) -> Meeting:
    """Who came: the present are marked attended, the other invitees absent."""
    if actor.pk not in (meeting.facilitator_id, meeting.note_taker_id):
        _require_runs(actor, meeting)
    else:
        policy.require(actor, meeting.working_group_id, Action.READ)
    present_ids = {p.pk for p in present}
    invited = set(Attendee.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    strangers = present_ids - invited
    if strangers:
        raise ValidationError(
            {"present": "Only invited attendees can be marked present; invite them first."}
        )
    Attendee.objects.filter(meeting=meeting, user_id__in=present_ids).update(attended=True)
    Attendee.objects.filter(meeting=meeting).exclude(user_id__in=present_ids).update(attended=False)
    return meeting


# --- agenda ------------------------------------------------------------------------------


@transaction.atomic
def meeting_draft_agenda(*, actor: User, meeting: Meeting) -> agenda.DraftResult:
    """Draft (or redraft) the agenda from the program's state; the PM's edits are kept."""
    policy.require(actor, meeting.working_group_id, Action.MANAGE)
    return _draft(meeting)


def _draft(meeting: Meeting) -> agenda.DraftResult:
    locked = _lock(meeting)
    if locked.kind != Kind.WORKING_GROUP:
        raise ValidationError(
            {"kind": "Agendas are drafted for working-group meetings; add items by hand here."}
        )
    if locked.is_cancelled:
        raise ValidationError({"status": "This meeting is cancelled."})
    result = agenda.draft(locked)
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
    if not isinstance(minutes, int) or not 1 <= minutes <= 480:
        raise ValidationError({"minutes": "A timebox is 1 to 480 minutes."})
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
    policy.require(actor, meeting.working_group_id, Action.MANAGE)
    meeting = _lock(meeting)
    _check_member(meeting.working_group, presenter, "presenter")
    last = (
        AgendaItem.objects.filter(meeting=meeting, removed=False)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return AgendaItem.objects.create(
        meeting=meeting,
        title=_check_text("title", title, 240),
        minutes=_check_minutes(minutes),
        suggested_minutes=minutes,
        detail=detail,
        presenter=presenter,
        url=url[:500],
        position=(last + 1) if last is not None else 0,
    )


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
    allowed = {"title", "detail", "minutes", "presenter", "url"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be changed here."})
    if "title" in changes:
        changes["title"] = _check_text("title", changes["title"], 240)
    if "minutes" in changes:
        _check_minutes(changes["minutes"])
    if "presenter" in changes:
        _check_member(item.meeting.working_group, changes["presenter"], "presenter")
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
    meeting = _lock(meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting, removed=False))
    if len(set(item_ids)) != len(item_ids) or set(item_ids) != {i.pk for i in items}:
        raise ValidationError(
            {"items": "List every item of this meeting's agenda exactly once, in the new order."}
        )
    by_id = {i.pk: i for i in items}
    ordered = [by_id[pk] for pk in item_ids]
    for position, item in enumerate(ordered):
        item.position = position
    AgendaItem.objects.bulk_update(ordered, ["position"])
    return ordered


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> list[AgendaItem]:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    policy.require(actor, item.meeting.working_group_id, Action.MANAGE)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Choose up or down."})
    meeting = _lock(item.meeting)
    items = list(
        AgendaItem.objects.filter(meeting=meeting, removed=False).order_by("position", "pk")
    )
    index = next((n for n, i in enumerate(items) if i.pk == item.pk), None)
    if index is None:
        raise ValidationError({"item": "This item is no longer on the agenda."})
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        each.position = position
    AgendaItem.objects.bulk_update(items, ["position"])
    return items


# --- notes -------------------------------------------------------------------------------


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


# --- decisions ---------------------------------------------------------------------------

# A payload names what a kind applies (ids, an outcome, a rationale): a few KB at most. The
# limit keeps a client from storing megabytes on a row every reader of the meeting loads.
MAX_PAYLOAD_BYTES = 8_192
MAX_PAYLOAD_DEPTH = 4


def _too_deep(payload: dict) -> bool:
    # Iterative: a payload nested hundreds deep must not exhaust the interpreter's stack.
    stack = [(payload, 1)]
    while stack:
        value, level = stack.pop()
        if level > MAX_PAYLOAD_DEPTH:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((c, level + 1) for c in children if isinstance(c, dict | list))
    return False


def _check_payload(payload) -> dict:
    """A JSON object of at most MAX_PAYLOAD_BYTES encoded, nested at most a few levels."""
    payload = payload if payload is not None else {}
    if not isinstance(payload, dict):
        raise ValidationError({"payload": "The payload is a JSON object."})
    try:
        # NaN and Infinity are not JSON: PostgreSQL's jsonb would refuse them at the save.
        size = len(json.dumps(payload, ensure_ascii=False, allow_nan=False).encode())
    except (TypeError, ValueError, RecursionError):
        raise ValidationError({"payload": "The payload holds only JSON values."}) from None
    if size > MAX_PAYLOAD_BYTES:
        raise ValidationError(
            {"payload": f"The payload is {size:,} bytes; at most {MAX_PAYLOAD_BYTES:,} are kept."}
        )
    if _too_deep(payload):
        raise ValidationError(
            {"payload": f"The payload nests at most {MAX_PAYLOAD_DEPTH} levels deep."}
        )
    return payload


def _check_request_key(request_key) -> str:
    if not isinstance(request_key, str) or len(request_key.strip()) > 64:
        raise ValidationError({"request_key": "A request key is text of at most 64 characters."})
    return request_key.strip()


def _decision_by_key(meeting: Meeting, request_key: str) -> Decision | None:
    return Decision.objects.filter(meeting=meeting, request_key=request_key).first()


@transaction.atomic
def decision_record(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    subject=None,
    kind: str = "",
    payload: dict | None = None,
    request_key: str = "",
) -> Decision:
    """Record a decision; one with a kind is applied (e.g. the hypothesis accepted) in the
    same transaction, so a refused change records no decision either.

    A `request_key` (the form's per-render key, an API client's Idempotency-Key) makes a
    retry or a double submit safe: the decision first recorded with that key in this
    meeting is returned and nothing is recorded or applied again.
    """
    if not selectors.may_edit_notes(actor, meeting):
        raise PermissionDenied(
            "Only the note taker, the facilitator, the program manager and the meeting's "
            "attendees record its decisions."
        )
    request_key = _check_request_key(request_key)
    if request_key:
        earlier = _decision_by_key(meeting, request_key)
        if earlier is not None:
            return earlier
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        # The same answer as for an id that does not exist: no hint of other meetings.
        raise ValidationError({"agenda_item": "No such agenda item in this meeting."})
    check_subject(subject, meeting.working_group)
    payload = _check_payload(payload)
    registered = hooks.decision_kinds()
    if kind and kind not in registered:
        names = ", ".join(registered) or "none"
        raise ValidationError({"kind": f"Unknown decision kind {kind!r}; known kinds: {names}."})
    text = _check_text("text", text)
    try:
        # A savepoint: a twin request committing the same key first makes this insert wait
        # on the unique constraint and then fail; the twin's decision is the answer.
        with transaction.atomic():
            decision = Decision.objects.create(
                meeting=meeting,
                agenda_item=agenda_item,
                text=text,
                kind=kind,
                payload=payload,
                recorded_by=actor,
                request_key=request_key,
                **subject_fields(subject),
            )
    except IntegrityError:
        earlier = _decision_by_key(meeting, request_key) if request_key else None
        if earlier is None:
            raise
        return earlier
    if kind:
        registered[kind].fn(actor=actor, decision=decision, payload=payload)
        decision.applied_at = timezone.now()
        decision.save(update_fields=["applied_at"])
    return decision


# --- action items ------------------------------------------------------------------------


@transaction.atomic
def action_item_create(
    *,
    actor: User,
    group: WorkingGroup,
    title: str,
    owner: User | None,
    due_on: date | None,
    description: str = "",
    assignee: User | None = None,
    meeting: Meeting | None = None,
    subject=None,
) -> ActionItem:
    policy.require(actor, group, Action.CREATE)
    if owner is None:
        raise ValidationError({"owner": "An action item needs an owner who is accountable."})
    if due_on is None:
        raise ValidationError({"due_on": "An action item needs a due date."})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date is in the past; choose today or later."})
    roles = _member_roles(group)
    _check_member(group, owner, "owner", roles)
    _check_member(group, assignee, "assignee", roles)
    if meeting is not None and meeting.working_group_id != group.pk:
        raise ValidationError({"meeting": "That meeting belongs to another working group."})
    check_subject(subject, group)
    return ActionItem.objects.create(
        working_group=group,
        title=_check_text("title", title, 200),
        description=description.strip(),
        owner=owner,
        assignee=assignee,
        due_on=due_on,
        meeting=meeting,
        created_by=actor,
        **subject_fields(subject),
    )


def _require_item_editor(actor: User, item: ActionItem) -> None:
    # The assignee does the work, so they may move it along too.
    if item.assignee_id == actor.pk:
        policy.require(actor, item.working_group_id, Action.CREATE)
    else:
        policy.require(actor, item.working_group_id, Action.EDIT, owner_id=item.owner_id)


@transaction.atomic
def action_item_update(*, actor: User, item: ActionItem, **changes) -> ActionItem:
    _require_item_editor(actor, item)
    allowed = {"title", "description", "owner", "assignee", "due_on", "status", "blocked_reason"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be changed here."})
    group = item.working_group
    roles = _member_roles(group)
    if "owner" in changes:
        if changes["owner"] is None:
            raise ValidationError({"owner": "An action item needs an owner who is accountable."})
        _check_member(group, changes["owner"], "owner", roles)
    if "assignee" in changes:
        _check_member(group, changes["assignee"], "assignee", roles)
    if "title" in changes:
        changes["title"] = _check_text("title", changes["title"], 200)
    if "due_on" in changes and changes["due_on"] != item.due_on:
        if changes["due_on"] is None or changes["due_on"] < timezone.localdate():
            raise ValidationError({"due_on": "The new due date is in the past."})
    status = changes.get("status", item.status)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(ActionItem.Status.values)}."})
    reason = (changes.get("blocked_reason", item.blocked_reason) or "").strip()
    if status == ActionItem.Status.BLOCKED and not reason:
        raise ValidationError({"blocked_reason": "Say what blocks it."})
    if status != ActionItem.Status.BLOCKED and "status" in changes:
        reason = ""
    changes["blocked_reason"] = reason
    if "status" in changes:
        changes["done_at"] = timezone.now() if status == ActionItem.Status.DONE else None
    for field, value in changes.items():
        setattr(item, field, value)
    item.save(update_fields=[*changes, "updated_at"])
    return item


# --- sharing -----------------------------------------------------------------------------


def share_recipients(meeting: Meeting) -> list[User]:
    """Attendees and the group's stakeholders, once each, while they are still active
    members of the group: someone removed since keeps their attendee row, not the notes."""
    attendee_ids = Attendee.objects.filter(meeting=meeting).values("user_id")
    stakeholder_ids = Membership.objects.filter(
        working_group_id=meeting.working_group_id, role=Role.STAKEHOLDER
    ).values("user_id")
    members = Membership.objects.filter(working_group_id=meeting.working_group_id).values("user_id")
    return list(
        User.objects.filter(Q(pk__in=attendee_ids) | Q(pk__in=stakeholder_ids))
        .filter(pk__in=members, is_active=True)
        .order_by("username")
    )


def _notes_message(meeting: Meeting, recipient: User) -> EmailMultiAlternatives:
    # Each recipient's own copy: decisions they may not read show their neutral wording.
    report = selectors.meeting_report(meeting, viewer=recipient)
    text = selectors.meeting_markdown(report)
    html = render_to_string(
        "meetings/email/notes.html", {"report": report, "body": render_markdown(text)}
    )
    message = EmailMultiAlternatives(
        subject=f"Notes: {meeting.title}, {meeting.local_start:%d %b %Y}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def meeting_share_notes(*, actor: User, meeting: Meeting) -> int:
    """Email the agenda, notes, decisions and new action items, one copy per recipient;
    returns the recipients. Outside a transaction: the mail server is not waited on while
    rows are locked, and the only write is the time it was shared."""
    policy.require(actor, meeting.working_group_id, Action.MANAGE)
    recipients = [u for u in share_recipients(meeting) if u.email]
    if not recipients:
        raise ValidationError({"recipients": "Nobody to share with: no attendee has an email."})
    messages = [_notes_message(meeting, recipient) for recipient in recipients]
    with get_connection() as connection:
        connection.send_messages(messages)
    meeting.shared_at = timezone.now()
    meeting.save(update_fields=["shared_at"])
    return len(recipients)


# --- digest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestOutcome:
    sent: int
    skipped: int


def action_item_digests_send(*, today: date | None = None) -> DigestOutcome:
    """Email each owner their overdue and due-soon items, at most once per person per day.

    The DigestSent row is inserted before the email goes out and in the same transaction:
    a second run (or a concurrent one, which waits on the unique key) finds it and skips; a
    failed send rolls the row back so a retry sends.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=DIGEST_DUE_SOON_DAYS)
    # Only groups the owner still belongs to: a removed member's old items are not theirs
    # to read any more, by email either.
    still_member = Membership.objects.filter(
        user_id=OuterRef("owner_id"), working_group_id=OuterRef("working_group_id")
    )
    items = list(
        ActionItem.objects.open()
        .filter(Exists(still_member), due_on__lte=horizon)
        .select_related("owner", "working_group")
        .order_by("owner_id", "due_on", "pk")
    )
    by_owner: dict[int, list[ActionItem]] = {}
    for item in items:
        by_owner.setdefault(item.owner_id, []).append(item)
    already = set(
        DigestSent.objects.filter(day=today, user_id__in=by_owner).values_list("user_id", flat=True)
    )
    sent = skipped = 0
    for owner_id, owned in by_owner.items():
        owner = owned[0].owner
        if owner_id in already or not owner.email or not owner.is_active:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=owner, day=today, item_count=len(owned))
                _send_digest(owner, owned, today)
        except IntegrityError:
            skipped += 1  # another run sent it first
            continue
        sent += 1
    return DigestOutcome(sent=sent, skipped=skipped)


def _send_digest(owner: User, items: list[ActionItem], today: date) -> None:
    overdue = [i for i in items if i.due_on < today]
    due_soon = [i for i in items if i.due_on >= today]
    context = {"owner": owner, "overdue": overdue, "due_soon": due_soon, "today": today}
    message = EmailMultiAlternatives(
        subject=f"Your action items: {len(overdue)} overdue, {len(due_soon)} due soon",
        body=render_to_string("meetings/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[owner.email],
    )
    message.send()


# --- calendar ----------------------------------------------------------------------------


def calendar_token_for(*, user: User) -> CalendarToken:
    token, _ = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def calendar_token_reset(*, user: User) -> CalendarToken:
    """A new secret: the old feed URL stops working (e.g. after it leaked)."""
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user)
