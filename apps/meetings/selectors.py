"""Reads for meetings: the index, one meeting with everything on its page, action items by
owner, the dashboard panels, and the meeting report that the email and Markdown share."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import Membership, Role, User, WorkingGroup
from apps.accounts.policy import Action

from .models import ActionItem, AgendaItem, Attendee, Decision, Kind, Meeting, MeetingSeries


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
    return list(
        ActionItem.objects.open()
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


# --- the meeting report: what the shared email and the Markdown download contain ------


@dataclass
class MeetingReport:
    meeting: Meeting
    agenda: list[AgendaItem]
    decisions: list[Decision]
    action_items: list[ActionItem]
    attendees: list[Attendee]


def meeting_report(meeting: Meeting) -> MeetingReport:
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
                queryset=Decision.objects.select_related("agenda_item"),
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
        agenda=full.agenda,
        decisions=full.decision_list,
        action_items=full.action_list,
        attendees=full.attendee_list,
    )


def _when(meeting: Meeting) -> str:
    local = meeting.local_start
    return f"{local:%A %d %B %Y, %H:%M} ({meeting.timezone}), {meeting.duration_minutes} min"


def meeting_markdown(report: MeetingReport) -> str:
    """The meeting as a Markdown document: the share email's body and the download."""
    m = report.meeting
    lines = [f"# {m.title}", "", f"*{m.get_kind_display()}* · {_when(m)}", ""]
    if m.is_cancelled:
        lines += [f"**Cancelled.** {m.cancel_reason}".rstrip(), ""]
    if m.facilitator:
        lines.append(f"- Facilitator: {m.facilitator.display_name}")
    if m.note_taker:
        lines.append(f"- Note taker: {m.note_taker.display_name}")
    if report.attendees:
        present = [a.user.display_name for a in report.attendees if a.attended is not False]
        absent = [a.user.display_name for a in report.attendees if a.attended is False]
        lines.append(f"- Attendees: {', '.join(present) or '—'}")
        if absent:
            lines.append(f"- Absent: {', '.join(absent)}")
    lines += ["", "## Agenda", ""]
    if not report.agenda:
        lines.append("_No agenda._")
    decisions_by_item: dict[int | None, list[Decision]] = {}
    for decision in report.decisions:
        decisions_by_item.setdefault(decision.agenda_item_id, []).append(decision)
    for number, item in enumerate(report.agenda, start=1):
        presenter = f" — {item.presenter.display_name}" if item.presenter else ""
        lines += [f"### {number}. {item.title} ({item.minutes} min){presenter}", ""]
        if item.detail:
            lines += [item.detail, ""]
        if item.notes.strip():
            lines += [item.notes.strip(), ""]
        for decision in decisions_by_item.get(item.pk, []):
            lines += [f"**Decision:** {decision.text}", ""]
    lines += ["## Decisions", ""]
    lines += [f"- {d.text}" for d in report.decisions] or ["_None recorded._"]
    lines += ["", "## Action items", ""]
    if report.action_items:
        for item in report.action_items:
            who = item.owner.display_name
            if item.assignee:
                who += f" (done by {item.assignee.display_name})"
            lines.append(
                f"- **{item.title}** — {who}, due {item.due_on:%d %b %Y} · {item.get_status_display()}"
            )
    else:
        lines.append("_None._")
    return "\n".join(lines).rstrip() + "\n"
