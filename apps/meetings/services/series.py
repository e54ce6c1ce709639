"""A meeting series: its slot (weekday, time, zone, cadence) and the meetings it keeps
scheduled ahead."""

from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action
from apps.core.dates import check_date
from apps.meetings.models import Attendee, Kind, Meeting, MeetingSeries

from ._rules import check_duration, check_zone, default_attendee_ids, local_datetime, refuse_unknown

GENERATE_AHEAD = 4  # meetings a series keeps scheduled ahead


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
        timezone=check_zone(timezone_name),
        duration_minutes=check_duration(duration_minutes),
        starts_on=check_date(starts_on, field="starts_on") or timezone.localdate(),
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
    refuse_unknown(
        changes,
        {"title", "start_time", "timezone", "duration_minutes", "location", "active"},
        "This cannot change on an existing series; start a new one.",
    )
    if "timezone" in changes:
        check_zone(changes["timezone"])
    if "duration_minutes" in changes:
        check_duration(changes["duration_minutes"])
    for field, value in changes.items():
        setattr(series, field, value)
    series.full_clean(exclude=["working_group"])
    series.save(update_fields=list(changes) or None)
    future = Meeting.objects.filter(
        series=series, moved=False, starts_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED
    )
    retimed = []
    for meeting in future:
        meeting.starts_at = local_datetime(meeting.occurrence, series.start_time, series.timezone)
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
            starts_at=local_datetime(slot, series.start_time, series.timezone),
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


def _add_default_attendees(meetings: list[Meeting], group: WorkingGroup, kind: str) -> None:
    if not meetings:
        return
    user_ids = default_attendee_ids(group, kind)
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
