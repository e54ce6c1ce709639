"""One meeting: holding it, changing, moving, cancelling and reinstating it, who is invited
and who came."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action
from apps.core.text_rules import check_text
from apps.meetings.models import Attendee, Kind, Meeting
from apps.meetings.subjects import check_subject, subject_fields

from ._rules import (
    check_duration,
    check_member,
    check_starts_at,
    check_zone,
    default_attendee_ids,
    member_roles,
    refuse_unknown,
    require_runs,
)


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
    check_starts_at(starts_at)
    roles = member_roles(group)
    attendees = list(attendees) if attendees is not None else None
    for person in attendees or []:
        check_member(group, person, "attendees", roles)
    check_member(group, facilitator, "facilitator", roles)
    check_member(group, note_taker, "note_taker", roles)
    if facilitator is None:
        facilitator = actor if kind == Kind.WORKING_SESSION else group.program_manager
    meeting = Meeting(
        working_group=group,
        kind=kind,
        title=check_text("title", title, max_length=160),
        starts_at=starts_at,
        duration_minutes=check_duration(duration_minutes),
        timezone=check_zone(timezone_name),
        location=location,
        facilitator=facilitator,
        note_taker=note_taker,
        created_by=actor,
        **subject_fields(subject),
    )
    meeting.full_clean(exclude=["working_group", "facilitator", "note_taker", "created_by"])
    meeting.save()
    if attendees is None:
        user_ids = [actor.pk] if kind == Kind.WORKING_SESSION else default_attendee_ids(group, kind)
    else:
        user_ids = sorted({p.pk for p in attendees} | {facilitator.pk})
    Attendee.objects.bulk_create([Attendee(meeting=meeting, user_id=uid) for uid in user_ids])
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **changes) -> Meeting:
    """Title, place, facilitator, note taker, length (the time moves with meeting_move)."""
    require_runs(actor, meeting)
    refuse_unknown(changes, {"title", "location", "facilitator", "note_taker", "duration_minutes"})
    group = meeting.working_group
    roles = member_roles(group)
    for field in ("facilitator", "note_taker"):
        if field in changes:
            check_member(group, changes[field], field, roles)
    if "title" in changes:
        changes["title"] = check_text("title", changes["title"], max_length=160)
    if "duration_minutes" in changes:
        check_duration(changes["duration_minutes"])
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
    require_runs(actor, meeting)
    check_starts_at(starts_at)
    if meeting.is_cancelled:
        raise ValidationError({"status": "A cancelled meeting cannot be moved; reinstate it."})
    meeting.starts_at = starts_at
    meeting.moved = True
    fields = ["starts_at", "moved"]
    if duration_minutes is not None:
        meeting.duration_minutes = check_duration(duration_minutes)
        fields.append("duration_minutes")
    meeting.save(update_fields=fields)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    require_runs(actor, meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = (reason or "").strip()[:240]
    meeting.save(update_fields=["status", "cancel_reason"])
    return meeting


@transaction.atomic
def meeting_reinstate(*, actor: User, meeting: Meeting) -> Meeting:
    require_runs(actor, meeting)
    meeting.status = Meeting.Status.SCHEDULED
    meeting.cancel_reason = ""
    meeting.save(update_fields=["status", "cancel_reason"])
    return meeting


@transaction.atomic
def meeting_set_attendees(*, actor: User, meeting: Meeting, users: Iterable[User]) -> Meeting:
    """Replace who is invited; attendance already recorded for those who stay is kept."""
    require_runs(actor, meeting)
    group = meeting.working_group
    roles = member_roles(group)
    users = list(users)
    for person in users:
        check_member(group, person, "attendees", roles)
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
        require_runs(actor, meeting)
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
