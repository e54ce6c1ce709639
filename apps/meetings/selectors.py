"""Reads for meetings: the index, one meeting with everything on its page, action items by
owner, the dashboard panels, and the meeting report that the email and Markdown share."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import Membership, Role, User, WorkingGroup
from apps.accounts.policy import Action

from . import hooks
from .models import (
    ActionItem,
    AgendaItem,
    Attendee,
    Decision,
    Kind,
    Meeting,
    MeetingSeries,
    NotesDispatch,
)


def may_edit_notes(user: User, meeting: Meeting) -> bool:
    """The note taker, the facilitator, the PM (and admins), and attendees who may write."""
    if not policy.allows(user, meeting.working_group_id, Action.READ):
        return False
    if policy.allows(user, meeting.working_group_id, Action.MANAGE):
        return True
    if user.pk in (meeting.note_taker_id, meeting.facilitator_id):
        return True
    if not policy.allows(user, meeting.working_group_id, Action.CREATE):
        return False
    cached = getattr(meeting, "_attendee_ids", None)
    if cached is None:
        cached = set(Attendee.objects.filter(meeting=meeting).values_list("user_id", flat=True))
        meeting._attendee_ids = cached
    return user.pk in cached


# --- decisions as one person may read them ----------------------------------------------

WITHHELD_TEXT = (
    "A decision was recorded here ({label}); its detail is shown to those who may read "
    "what it is about."
)


@dataclass(frozen=True)
class PresentedDecision:
    """A decision as one viewer may read it: what every read path shows, never the row.

    `withheld` decisions carry the neutral text and an empty payload instead of theirs."""

    id: int
    meeting_id: int
    agenda_item_id: int | None
    agenda_item: AgendaItem | None
    text: str
    kind: str
    payload: dict
    subject_type_id: int | None
    subject_id: int | None
    applied_at: datetime | None
    recorded_by_id: int
    recorded_by: User | None
    created_at: datetime
    withheld: bool

    @property
    def pk(self) -> int:
        return self.id


def _allowed(rule_readable, decisions: list[Decision], viewer: User) -> set[int]:
    return set(rule_readable(decisions, viewer)) if decisions else set()


def present_decisions(decisions: Iterable[Decision], viewer: User) -> list[PresentedDecision]:
    """The decisions as `viewer` may read them: the one rule every read path goes through.

    A decision is shown in full only when the viewer reads its meeting's group, its kind's
    `readable` rule and its subject's rule (see hooks) both allow it; otherwise its text is
    the kind's neutral wording and its payload is empty. A constant number of queries per
    kind and subject model, whatever the number of decisions.
    """
    decisions = list(decisions)
    kinds = hooks.decision_kinds()
    by_kind: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.kind:
            by_kind.setdefault(d.kind, []).append(d)
    readable = {
        d.pk
        for d in decisions
        if policy.allows(viewer, d.meeting.working_group_id, Action.READ)
        # A kind no longer registered has nobody to say who reads it: withhold.
        and (not d.kind or d.kind in kinds)
    }
    neutral: dict[int, str] = {}
    for name, group in by_kind.items():
        kind = kinds.get(name)
        if kind is None:
            continue
        allowed = _allowed(kind.readable, group, viewer)
        readable -= {d.pk for d in group if d.pk not in allowed}
        hidden = [d for d in group if d.pk not in readable]
        if hidden and kind.neutral_text is not None:
            neutral.update(kind.neutral_text(hidden))
    for model, rule in hooks.decision_subjects().items():
        type_id = ContentType.objects.get_for_model(model).pk
        about = [d for d in decisions if d.subject_type_id == type_id]
        if not about:
            continue
        allowed = _allowed(rule.readable, about, viewer)
        readable -= {d.pk for d in about if d.pk not in allowed}
        hidden = [d for d in about if d.pk not in readable and d.pk not in neutral]
        if hidden and rule.neutral_text is not None:
            neutral.update(rule.neutral_text(hidden))
    return [_present(d, d.pk in readable, neutral, kinds) for d in decisions]


def _present(
    d: Decision, readable: bool, neutral: dict[int, str], kinds: dict
) -> PresentedDecision:
    if readable:
        text, payload = d.text, d.payload
    else:
        label = kinds[d.kind].label if d.kind in kinds else "a decision"
        text, payload = neutral.get(d.pk) or WITHHELD_TEXT.format(label=label.lower()), {}
    return PresentedDecision(
        id=d.pk,
        meeting_id=d.meeting_id,
        agenda_item_id=d.agenda_item_id,
        agenda_item=d.agenda_item if d.agenda_item_id else None,
        text=text,
        kind=d.kind,
        payload=payload,
        subject_type_id=d.subject_type_id,
        subject_id=d.subject_id,
        applied_at=d.applied_at,
        recorded_by_id=d.recorded_by_id,
        recorded_by=d.recorded_by,
        created_at=d.created_at,
        withheld=not readable,
    )


WITHHELD_ITEM = "An item some may not read; details on its page for those who may."
WITHHELD_NOTES = "Notes on this item are kept by those who may read what it is about."


def present_agenda(items: list[AgendaItem], viewer: User) -> list[AgendaItem]:
    """The agenda as `viewer` may read it: an item about something they may not read (a
    plan made confidential after the agenda was drafted) shows its subject rule's neutral
    title, with neither detail nor notes. Changes the instances in memory: never save them.
    """
    for model, rule in hooks.decision_subjects().items():
        type_id = ContentType.objects.get_for_model(model).pk
        about = [item for item in items if item.subject_type_id == type_id]
        if not about:
            continue
        allowed = _allowed(rule.readable, about, viewer)
        hidden = [item for item in about if item.pk not in allowed]
        titles = rule.neutral_title(hidden) if hidden and rule.neutral_title else {}
        for item in hidden:
            item.title = titles.get(item.pk) or WITHHELD_ITEM
            item.detail = item.notes = ""
            item.withheld = True
    return items


def decisions_for(user: User) -> QuerySet:
    """Decisions of the meetings `user` may see, with what presenting them reads."""
    return Decision.objects.filter(
        meeting__working_group__in=WorkingGroup.objects.visible_to(user)
    ).select_related("meeting", "agenda_item", "recorded_by")


def meetings_for(user: User) -> QuerySet:
    return (
        Meeting.objects.visible_to(user)
        .select_related("working_group", "facilitator", "note_taker", "series")
        .order_by("starts_at", "pk")
    )


def index_for(user: User, *, now=None, past_limit: int = 20) -> dict:
    now = now or timezone.now()
    meetings = meetings_for(user)
    upcoming = list(meetings.filter(starts_at__gte=now)[:20])
    past = list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:past_limit])
    series = list(
        MeetingSeries.objects.visible_to(user).select_related("working_group").order_by("pk")
    )
    return {"upcoming": upcoming, "past": past, "series": series}


def meeting_detail(pk: int, user: User) -> Meeting:
    """One meeting the user may see with its agenda, decisions, action items and attendees."""
    meeting = (
        meetings_for(user)
        .select_related("working_group__program_manager", "subject_type")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.filter(removed=False)
                .select_related("presenter", "notes_updated_by")
                .order_by("position", "pk"),
                to_attr="agenda",
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("recorded_by", "agenda_item"),
                to_attr="decision_list",
            ),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner", "assignee").order_by(
                    "due_on", "pk"
                ),
                to_attr="action_list",
            ),
            Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related("user").order_by(
                    "user__first_name", "user__username"
                ),
                to_attr="attendee_list",
            ),
        )
        .get(pk=pk)
    )
    meeting._attendee_ids = {a.user_id for a in meeting.attendee_list}
    present_agenda(meeting.agenda, user)
    meeting.decision_list = present_decisions(meeting.decision_list, user)
    return meeting


def members_queryset(group: WorkingGroup | int) -> QuerySet:
    group_id = group if isinstance(group, int) else group.pk
    return User.objects.filter(memberships__working_group_id=group_id).order_by(
        "first_name", "username"
    )


def writers_queryset(group: WorkingGroup | int) -> QuerySet:
    """Members who own action items and present: everyone but stakeholders."""
    group_id = group if isinstance(group, int) else group.pk
    return User.objects.filter(
        memberships__working_group_id=group_id,
        memberships__role__in=[r for r in Role.values if r != Role.STAKEHOLDER],
    ).order_by("first_name", "username")


@dataclass
class OwnerItems:
    owner: User
    items: list[ActionItem] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        today = timezone.localdate()
        return sum(1 for i in self.items if i.is_overdue(today))


def open_items_by_owner(group: WorkingGroup) -> list[OwnerItems]:
    """The group's open action items grouped by owner, earliest due first; one query."""
    items = (
        ActionItem.objects.open()
        .filter(working_group=group)
        .select_related("owner", "assignee", "meeting")
        .order_by("owner__first_name", "owner__username", "due_on", "pk")
    )
    groups: dict[int, OwnerItems] = {}
    for item in items:
        groups.setdefault(item.owner_id, OwnerItems(owner=item.owner)).items.append(item)
    return list(groups.values())


def action_items_for(user: User) -> QuerySet:
    return (
        ActionItem.objects.visible_to(user)
        .select_related("owner", "assignee", "working_group", "meeting", "subject_type")
        .prefetch_related("subject")
    )


def my_open_action_items(user: User, limit: int = 10) -> list[ActionItem]:
    """Items the person owns or does, in groups they still belong to: someone removed from
    a group keeps their old items as rows, not the sight of them."""
    return list(
        ActionItem.objects.visible_to(user)
        .open()
        .filter(Q(owner=user) | Q(assignee=user))
        .select_related("working_group", "owner", "assignee")
        .order_by("due_on", "pk")[:limit]
    )


def next_meeting_for(user: User) -> Meeting | None:
    return (
        Meeting.objects.upcoming()
        .filter(
            working_group__in=Membership.objects.filter(user=user).values("working_group_id"),
            kind__in=[Kind.WORKING_GROUP, Kind.STAKEHOLDER_UPDATE],
        )
        .select_related("working_group")
        .first()
    )


@dataclass
class PrepSection:
    """What one agenda source would put on the next agenda: its heading and titles."""

    heading: str
    source: str
    titles: list[str]


@dataclass
class MeetingPrep:
    meeting: Meeting
    sections: list[PrepSection]
    overdue: list[ActionItem]
    overdue_count: int


PREP_TITLES = 4  # per section; the rest is counted


def meeting_prep(user: User, *, now: datetime | None = None) -> MeetingPrep | None:
    """The next working-group meeting of a group `user` runs, and what its agenda would
    discuss if drafted now: new proposals, scores in disagreement, decision points due and
    the rest, straight from the registered agenda sources (so meetings names no feature
    app), plus the group's overdue action items. Writes nothing."""
    from .agenda import CLOSING_KEY, candidates_for

    managed = [
        g.pk
        for g in WorkingGroup.objects.visible_to(user)
        if policy.allows(user, g.pk, Action.MANAGE)
    ]
    meeting = (
        Meeting.objects.upcoming(now)
        .filter(working_group_id__in=managed, kind=Kind.WORKING_GROUP)
        .select_related("working_group")
        .first()
    )
    if meeting is None:
        return None
    sections: dict[str, PrepSection] = {}
    for source, candidate in candidates_for(meeting):
        if candidate.key == CLOSING_KEY or source.name == "meetings.action_items":
            continue  # the overdue items are listed below, one per item rather than owner
        section = sections.setdefault(source.name, PrepSection(source.heading, source.name, []))
        section.titles.append(candidate.title)
    overdue = ActionItem.objects.overdue().filter(working_group=meeting.working_group)
    return MeetingPrep(
        meeting=meeting,
        sections=list(sections.values()),
        overdue=list(overdue.select_related("owner").order_by("due_on", "pk")[:PREP_TITLES]),
        overdue_count=overdue.count(),
    )


# --- the meeting report: what the shared email and the Markdown download contain ------


@dataclass
class MeetingReport:
    meeting: Meeting
    agenda: list[AgendaItem]
    decisions: list[PresentedDecision]
    action_items: list[ActionItem]
    attendees: list[Attendee]


def meeting_report(meeting: Meeting, *, viewer: User) -> MeetingReport:
    """The meeting as `viewer` may read it (each recipient of the notes gets their own)."""
    full = (
        Meeting.objects.select_related("working_group", "facilitator", "note_taker")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.filter(removed=False)
                .select_related("presenter")
                .order_by("position", "pk"),
                to_attr="agenda",
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("agenda_item", "recorded_by"),
                to_attr="decision_list",
            ),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner", "assignee"),
                to_attr="action_list",
            ),
            Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related("user"),
                to_attr="attendee_list",
            ),
        )
        .get(pk=meeting.pk)
    )
    return MeetingReport(
        meeting=full,
        agenda=present_agenda(full.agenda, viewer),
        decisions=present_decisions(full.decision_list, viewer),
        action_items=full.action_list,
        attendees=full.attendee_list,
    )


def meeting_has_started(meeting: Meeting, *, now: datetime | None = None) -> bool:
    """Whether the meeting has begun: before that its notes are only its agenda."""
    return meeting.starts_at <= (now or timezone.now())


def attendance_taken(attendees: Iterable[Attendee]) -> bool:
    """Whether anyone recorded who came: until then every invitee's `attended` is None."""
    return any(a.attended is not None for a in attendees)


def _when(meeting: Meeting) -> str:
    local = meeting.local_start
    return f"{local:%A %d %B %Y, %H:%M} ({meeting.timezone}), {meeting.duration_minutes} min"


def meeting_markdown(report: MeetingReport) -> str:
    """The meeting as a Markdown document: the share email's body and the download."""
    decisions_by_item: dict[int | None, list[PresentedDecision]] = {}
    for decision in report.decisions:
        decisions_by_item.setdefault(decision.agenda_item_id, []).append(decision)
    text = render_to_string(
        "meetings/notes.md",
        {
            "report": report,
            "m": report.meeting,
            "when": _when(report.meeting),
            "attendance_taken": attendance_taken(report.attendees),
            "present": [a.user.display_name for a in report.attendees if a.attended],
            "absent": [a.user.display_name for a in report.attendees if a.attended is False],
            "agenda": [(item, decisions_by_item.get(item.pk, [])) for item in report.agenda],
        },
    )
    return text.rstrip() + "\n"


def notes_dispatch_for(user, pk: int) -> NotesDispatch:
    """An emailing of a meeting's notes, for those who may share them: 404 outside the
    group, 403 inside it without the right to manage it."""
    dispatch = get_object_or_404(
        NotesDispatch.objects.select_related("meeting__working_group"),
        pk=pk,
        meeting__working_group__in=WorkingGroup.objects.visible_to(user),
    )
    policy.require(user, dispatch.meeting.working_group_id, Action.MANAGE)
    return dispatch


def last_notes_dispatch(meeting: Meeting) -> NotesDispatch | None:
    """The meeting's latest emailing of its notes, for the page that shares them."""
    return NotesDispatch.objects.filter(meeting=meeting).first()
