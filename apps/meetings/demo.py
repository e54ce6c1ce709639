"""The demo program's meetings: the biweekly series, the last meeting with its notes,
decisions and action items (some done, some overdue), and the next meeting with a drafted
agenda.

Idempotent: the series is found by title, the past meeting by its slot, and its record is
only written when it has no decisions yet. Deterministic given the date it runs on; the
changes go through the services, as the program manager would make them.
"""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import DemoPeople

from . import services
from .models import ActionItem, Decision, Kind, Meeting, MeetingSeries

SERIES_TITLE = "Growth working group"

NOTES = {
    "aob": "- Tomás is out on the 14th; Marco covers the platform updates.\n"
    "- **Reminder:** results review template is in the knowledge base.",
}
FIRST_NOTE = (
    "Lena walked through the drop-off data. Agreed the test needs the **new address form** "
    "first.\n\n- Risk: overlaps with the express-pay test on the same surface\n"
    "- [Session recordings](https://example.com/recordings/checkout)"
)
# title, owner, assignee, due in days from today (negative: overdue), status
ACTION_ITEMS = [
    ("Write the experiment design for guest checkout", "lena", "aisha", -3, "open"),
    ("Check SRM alerts against the bot list", "tomas", None, -1, "in_progress"),
    ("Share the CUPED variance-reduction notebook", "marco", None, -5, "done"),
    ("Book the pricing-page surface for Q3", "priya", None, 4, "open"),
    ("Draft the stakeholder update for leadership", "priya", "marco", 9, "blocked"),
]


def _previous_slot(series: MeetingSeries, today):
    step = series.cadence
    first = series.first_slot()
    slot = first
    while slot + timedelta(days=step) < today:
        slot += timedelta(days=step)
    return slot if slot < today else slot - timedelta(days=step)


@transaction.atomic
def seed_meetings(people: DemoPeople) -> str:
    group, users = people.group, people.users
    pm = users["priya"]
    today = timezone.localdate()
    series = MeetingSeries.objects.filter(working_group=group, title=SERIES_TITLE).first()
    if series is None:
        series = services.series_create(
            actor=pm,
            group=group,
            title=SERIES_TITLE,
            weekday=1,
            start_time=time(10, 0),
            timezone_name="Europe/Berlin",
            duration_minutes=60,
            starts_on=today - timedelta(days=45),
            location="Room Ada / video link in the invite",
        )
    else:
        services.series_generate(series=series, today=today)

    past_slot = _previous_slot(series, today)
    services.series_generate(series=series, count=1, today=past_slot)
    past = Meeting.objects.get(series=series, occurrence=past_slot)
    if past.note_taker_id is None:
        services.meeting_update(actor=pm, meeting=past, note_taker=users["marco"])

    if not Decision.objects.filter(meeting=past).exists():
        _record_past_meeting(past, people)

    upcoming = Meeting.objects.upcoming().filter(series=series, kind=Kind.WORKING_GROUP).first()
    if upcoming is not None:
        if upcoming.note_taker_id is None:
            services.meeting_update(actor=pm, meeting=upcoming, note_taker=users["aisha"])
        # Drafted once: a later run would pick up what other seeders added since, and the
        # demo must not change when seeded twice.
        if upcoming.agenda_drafted_at is None:
            services.meeting_draft_agenda(actor=pm, meeting=upcoming)
    items = ActionItem.objects.filter(working_group=group).count()
    return (
        f"Meetings: series “{series.title}”, past meeting {past.local_start:%d %b}, "
        f"next {upcoming.local_start:%d %b} with a drafted agenda, {items} action items"
        if upcoming
        else f"Meetings: series “{series.title}”, {items} action items"
    )


def _record_past_meeting(past: Meeting, people: DemoPeople) -> None:
    users, pm = people.users, people.users["priya"]
    services.meeting_draft_agenda(actor=pm, meeting=past)
    agenda = list(past.agenda_items.filter(removed=False).order_by("position"))
    for index, item in enumerate(agenda):
        text = NOTES.get(item.key) or (FIRST_NOTE if index == 0 else "")
        if text:
            services.agenda_item_save_notes(
                actor=users["marco"], item=item, notes=text, version=item.notes_version
            )
    present = [users[name] for name in ("priya", "marco", "lena", "aisha")]
    services.meeting_record_attendance(actor=pm, meeting=past, present=present)

    # The proposal as its agenda item names it: meetings know the backlog only through the
    # items its agenda source drafted.
    item = next(
        (
            i
            for i in agenda
            if i.key.endswith(":proposed") and i.title == "New: Typo-tolerant search"
        ),
        None,
    )
    if item is not None:
        services.decision_record(
            actor=pm,
            meeting=past,
            agenda_item=item,
            text="Accept “Typo-tolerant search”: cheap, and a zero-result rate of 1 in 12 is "
            "too high to leave.",
            kind="hypothesis.transition",
            payload={"hypothesis": item.subject_id, "to_status": "accepted"},
        )
    services.decision_record(
        actor=pm,
        meeting=past,
        text="Run the pricing-page tests one at a time this quarter: they share a surface.",
    )
    today = timezone.localdate()
    for title, owner, assignee, due_in, status in ACTION_ITEMS:
        item = services.action_item_create(
            actor=pm,
            group=past.working_group,
            title=title,
            owner=users[owner],
            assignee=users[assignee] if assignee else None,
            due_on=today + timedelta(days=max(due_in, 0)),
            meeting=past,
        )
        if due_in < 0:
            # The demo replays a meeting held days ago: its deadlines may have passed since,
            # which the service (rightly) never accepts for a new item.
            ActionItem.objects.filter(pk=item.pk).update(due_on=today + timedelta(days=due_in))
            item.refresh_from_db()
        if status != "open":
            services.action_item_update(
                actor=pm,
                item=item,
                status=status,
                blocked_reason="Waiting for Q3 numbers from finance."
                if status == "blocked"
                else "",
            )
