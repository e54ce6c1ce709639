"""The checks and small steps more than one meetings service shares: who is a member, what
a meeting's length, zone and texts may be, who runs a meeting, and the agenda's lock."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from apps.accounts import policy
from apps.accounts.models import Membership, Role, User, WorkingGroup
from apps.accounts.policy import Action
from apps.core.dates import check_date
from apps.meetings.models import (
    MEETING_MAX_MINUTES,
    MEETING_MIN_MINUTES,
    Kind,
    Meeting,
    validate_timezone,
)


def member_roles(group: WorkingGroup | int) -> dict[int, str]:
    group_id = group if isinstance(group, int) else group.pk
    return dict(Membership.objects.filter(working_group_id=group_id).values_list("user_id", "role"))


def check_member(group: WorkingGroup, user: User | None, field: str, roles=None) -> None:
    if user is None:
        return
    roles = roles if roles is not None else member_roles(group)
    if user.pk not in roles:
        raise ValidationError(
            {field: f"{user.username} is not a member of {group.name}; choose a member."}
        )


def default_attendee_ids(group: WorkingGroup, kind: str) -> list[int]:
    roles = member_roles(group)
    if kind == Kind.STAKEHOLDER_UPDATE:
        return sorted(roles)
    return sorted(uid for uid, role in roles.items() if role != Role.STAKEHOLDER)


def refuse_unknown(
    changes: dict, allowed: set[str], message: str = "This field cannot be changed here."
) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: message})


def check_duration(minutes) -> int:
    if not isinstance(minutes, int) or not MEETING_MIN_MINUTES <= minutes <= MEETING_MAX_MINUTES:
        raise ValidationError(
            {
                "duration_minutes": f"A meeting lasts {MEETING_MIN_MINUTES} to "
                f"{MEETING_MAX_MINUTES} minutes."
            }
        )
    return minutes


def check_zone(name: str) -> str:
    try:
        validate_timezone(name)
    except ValidationError as exc:
        raise ValidationError({"timezone": exc.messages}) from None
    return name


def check_starts_at(starts_at: datetime) -> datetime:
    if starts_at.tzinfo is None:
        raise ValidationError({"starts_at": "Give the start with its time zone offset."})
    check_date(starts_at.date(), field="starts_at")
    return starts_at


def require_runs(actor: User, meeting: Meeting) -> None:
    """Running a meeting is the PM's; a working session is also its organiser's."""
    if meeting.kind == Kind.WORKING_SESSION and meeting.created_by_id == actor.pk:
        policy.require(actor, meeting.working_group_id, Action.CREATE)
        return
    policy.require(actor, meeting.working_group_id, Action.MANAGE)


def lock(meeting: Meeting) -> Meeting:
    # Agenda changes read positions and then write them: one writer per meeting at a time.
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("working_group")
        .get(pk=meeting.pk)
    )


def local_datetime(day: date, at: time, zone: str) -> datetime:
    # Wall-clock time in the series' zone: 10:00 stays 10:00 across daylight-saving changes.
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))
