"""Series, meetings, notes, decisions, action items, sharing, digest and calendar services."""

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from apps.backlog.models import Hypothesis, Status
from apps.meetings import calendar, selectors, services
from apps.meetings.markup import render_markdown
from apps.meetings.models import ActionItem, AgendaItem, Decision, DigestSent, Kind, Meeting
from apps.meetings.tasks import draft_upcoming_agendas, send_action_item_digests
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- series ------------------------------------------------------------------------------


def _series(demo, **overrides):
    fields = dict(
        actor=demo.users["priya"],
        group=demo.group,
        weekday=1,
        start_time=time(10, 0),
        timezone_name="Europe/Berlin",
        starts_on=date(2026, 3, 2),
    )
    return services.series_create(**{**fields, **overrides})


def test_it_schedules_the_next_meetings_on_the_weekday_at_the_local_time(demo):
    series = _series(demo)
    services.series_generate(series=series, today=date(2026, 3, 20))
    meetings = list(Meeting.objects.filter(series=series, occurrence__gte=date(2026, 3, 20)))

    assert [m.occurrence for m in meetings][:4] == [
        date(2026, 3, 31), date(2026, 4, 14), date(2026, 4, 28), date(2026, 5, 12)
    ]  # fmt: skip
    # 10:00 in Berlin on both sides of the daylight-saving change (29 March 2026).
    assert {m.local_start.time() for m in meetings} == {time(10, 0)}
    # Stored in UTC: 10:00 in Berlin summer time (CEST, UTC+2) is 08:00 UTC.
    assert meetings[0].starts_at == datetime(2026, 3, 31, 8, 0, tzinfo=UTC)
    assert all(m.facilitator_id == demo.group.program_manager_id for m in meetings)


def test_it_generates_idempotently_and_never_regenerates_a_moved_or_cancelled_meeting(demo):
    series = _series(demo)
    today = date(2026, 3, 20)
    services.series_generate(series=series, today=today)
    first, second = Meeting.objects.filter(series=series, occurrence__gte=today)[:2]
    new_start = first.starts_at + timedelta(days=1, hours=3)
    services.meeting_move(actor=demo.users["priya"], meeting=first, starts_at=new_start)
    services.meeting_cancel(actor=demo.users["priya"], meeting=second, reason="Offsite")

    services.series_generate(series=series, today=today)
    services.series_generate(series=series, today=today)

    slots = list(Meeting.objects.filter(series=series).values_list("occurrence", flat=True))
    assert len(slots) == len(set(slots))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.starts_at == new_start and first.moved
    assert second.status == Meeting.Status.CANCELLED
    # The following slot is unaffected by the move.
    third = Meeting.objects.get(series=series, occurrence=date(2026, 4, 28))
    assert third.local_start.time() == time(10, 0)


def test_it_follows_the_groups_cadence(demo):
    demo.group.cadence_days = 7
    demo.group.save(update_fields=["cadence_days"])
    series = _series(demo)
    slots = services.series_slots(series, today=date(2026, 3, 20), count=3)
    assert slots == [date(2026, 3, 24), date(2026, 3, 31), date(2026, 4, 7)]


def test_it_refuses_an_unknown_time_zone_and_a_member_scheduling(demo):
    with pytest.raises(ValidationError) as exc:
        _series(demo, timezone_name="Mars/Olympus")
    assert "timezone" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        _series(demo, actor=demo.users["lena"])


# --- meetings and attendees --------------------------------------------------------------


def test_a_working_group_meeting_invites_members_but_not_stakeholders(meeting, demo):
    invited = {a.user.username for a in meeting.attendees.select_related("user")}
    assert invited == {"priya", "marco", "lena", "tomas", "aisha", "dana"}
    assert meeting.facilitator_id == demo.users["priya"].pk


def test_it_refuses_an_attendee_outside_the_group(meeting, demo):
    outsider = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.meeting_set_attendees(
            actor=demo.users["priya"], meeting=meeting, users=[demo.users["lena"], outsider]
        )
    assert "not a member" in exc.value.message_dict["attendees"][0]


def test_a_member_holds_a_working_session_about_an_action_item(demo, action_item):
    session = services.meeting_create(
        actor=demo.users["lena"],
        group=demo.group,
        title="Design the guest checkout test",
        starts_at=timezone.now() + timedelta(days=2),
        attendees=[demo.users["tomas"]],
        subject=action_item,
    )
    assert session.kind == Kind.WORKING_SESSION
    assert session.subject == action_item
    assert {a.user_id for a in session.attendees.all()} == {
        demo.users["lena"].pk,
        demo.users["tomas"].pk,
    }
    # Its organiser runs it; a stakeholder may not hold one.
    services.meeting_move(
        actor=demo.users["lena"], meeting=session, starts_at=session.starts_at + timedelta(hours=1)
    )
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=demo.users["sofia"],
            group=demo.group,
            title="x",
            starts_at=timezone.now(),
            subject=action_item,
        )


def test_a_working_session_needs_a_subject(demo):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=demo.users["lena"], group=demo.group, title="x", starts_at=timezone.now()
        )
    assert "subject_type" in exc.value.message_dict


def test_it_records_attendance(meeting, demo):
    services.meeting_record_attendance(
        actor=demo.users["marco"], meeting=meeting, present=[demo.users["lena"]]
    )
    attended = dict(meeting.attendees.values_list("user__username", "attended"))
    assert attended["lena"] is True and attended["tomas"] is False


# --- notes -------------------------------------------------------------------------------


@pytest.fixture
def item(meeting, demo):
    return services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")


def test_the_note_taker_saves_notes_and_the_version_grows(item, demo):
    saved = services.agenda_item_save_notes(
        actor=demo.users["marco"], item=item, notes="**Agreed**", version=0
    )
    assert saved.notes == "**Agreed**" and saved.notes_version == 1
    assert saved.notes_updated_by == demo.users["marco"]


def test_a_stale_version_gets_a_conflict_with_both_versions(item, demo):
    services.agenda_item_save_notes(actor=demo.users["marco"], item=item, notes="Mine", version=0)
    with pytest.raises(services.NotesConflict) as exc:
        services.agenda_item_save_notes(
            actor=demo.users["lena"], item=item, notes="Theirs", version=0
        )
    assert exc.value.item.notes == "Mine" and exc.value.yours == "Theirs"
    assert AgendaItem.objects.get(pk=item.pk).notes == "Mine"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_from_the_same_version_save_exactly_one(demo):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the PostgreSQL run covers real concurrency")
    meeting = services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="WG",
        starts_at=timezone.now() + timedelta(days=1),
    )
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    barrier = threading.Barrier(2)
    outcomes = []

    def edit(username):
        from django.db import connections

        try:
            barrier.wait()
            services.agenda_item_save_notes(
                actor=demo.users[username], item=item, notes=f"by {username}", version=0
            )
            outcomes.append("saved")
        except services.NotesConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("priya", "lena")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["conflict", "saved"]
    assert AgendaItem.objects.get(pk=item.pk).notes_version == 1


def test_someone_not_in_the_meeting_cannot_edit_its_notes(item, demo):
    services.meeting_set_attendees(
        actor=demo.users["priya"], meeting=item.meeting, users=[demo.users["lena"]]
    )
    with pytest.raises(PermissionDenied):
        services.agenda_item_save_notes(actor=demo.users["tomas"], item=item, notes="x", version=0)
    with pytest.raises(PermissionDenied):
        services.agenda_item_save_notes(actor=demo.users["sofia"], item=item, notes="x", version=0)
    # An attendee member and the note taker may.
    services.agenda_item_save_notes(actor=demo.users["lena"], item=item, notes="a", version=0)
    services.agenda_item_save_notes(actor=demo.users["marco"], item=item, notes="b", version=1)


def test_unsafe_markdown_is_stored_as_typed_and_rendered_inert(item, demo):
    typed = (
        "<script>alert('x')</script>\n\n[click](javascript:alert(1)) "
        '<img src=x onerror="alert(2)"> <a href="https://ok.example">fine</a>'
    )
    saved = services.agenda_item_save_notes(
        actor=demo.users["marco"], item=item, notes=typed, version=0
    )
    assert saved.notes == typed
    html = render_markdown(saved.notes)
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert 'href="https://ok.example"' in html


# --- decisions ---------------------------------------------------------------------------


def test_a_decision_about_a_hypothesis_moves_it_through_the_backlog(meeting, demo, propose):
    hypothesis = propose()
    decision = services.decision_record(
        actor=demo.users["priya"],
        meeting=meeting,
        text="Accept guest checkout",
        kind="hypothesis.transition",
        payload={"hypothesis": hypothesis.pk, "to_status": "accepted"},
    )
    hypothesis.refresh_from_db()
    assert hypothesis.status == Status.ACCEPTED
    assert decision.applied_at is not None and decision.subject == hypothesis
    change = hypothesis.status_changes.order_by("-at", "-pk").first()
    assert change.actor == demo.users["priya"] and change.reason == "Accept guest checkout"


def test_a_refused_transition_records_no_decision(meeting, demo, propose):
    hypothesis = propose()
    # The note taker is a member: accepting is the program manager's decision.
    with pytest.raises(PermissionDenied):
        services.decision_record(
            actor=demo.users["marco"],
            meeting=meeting,
            text="Accept",
            kind="hypothesis.transition",
            payload={"hypothesis": hypothesis.pk, "to_status": "accepted"},
        )
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            actor=demo.users["priya"],
            meeting=meeting,
            text="Conclude",
            kind="hypothesis.transition",
            payload={"hypothesis": hypothesis.pk, "to_status": "concluded"},
        )
    assert "to_status" in exc.value.message_dict
    assert not Decision.objects.exists()
    assert Hypothesis.objects.get(pk=hypothesis.pk).status == Status.PROPOSED


@pytest.mark.parametrize(
    ("kind", "payload", "field"),
    [
        ("nope", {}, "kind"),
        ("hypothesis.transition", {"to_status": "accepted"}, "payload.hypothesis"),
        (
            "hypothesis.transition",
            {"hypothesis": 999999, "to_status": "accepted"},
            "payload.hypothesis",
        ),
        ("hypothesis.transition", {"hypothesis": 1, "to_status": "flying"}, "payload.to_status"),
    ],
)
def test_it_refuses_a_bad_decision_payload(meeting, demo, kind, payload, field):
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            actor=demo.users["priya"], meeting=meeting, text="x", kind=kind, payload=payload
        )
    assert field in exc.value.message_dict


# --- action items ------------------------------------------------------------------------


def test_an_action_item_needs_an_owner_and_a_due_date_not_in_the_past(demo):
    base = dict(actor=demo.users["priya"], group=demo.group, title="Do it")
    with pytest.raises(ValidationError) as exc:
        services.action_item_create(**base, owner=None, due_on=timezone.localdate())
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.action_item_create(
            **base, owner=demo.users["lena"], due_on=timezone.localdate() - timedelta(days=1)
        )
    assert "past" in exc.value.message_dict["due_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.action_item_create(**base, owner=UserFactory(), due_on=timezone.localdate())
    assert "owner" in exc.value.message_dict


def test_blocked_needs_a_reason_and_done_is_stamped(action_item, demo):
    with pytest.raises(ValidationError) as exc:
        services.action_item_update(actor=demo.users["lena"], item=action_item, status="blocked")
    assert "blocked_reason" in exc.value.message_dict
    services.action_item_update(
        actor=demo.users["lena"], item=action_item, status="blocked", blocked_reason="No data"
    )
    services.action_item_update(actor=demo.users["lena"], item=action_item, status="done")
    action_item.refresh_from_db()
    assert action_item.done_at is not None and action_item.blocked_reason == ""


def test_owner_delegate_and_assignee_may_update_others_may_not(action_item, demo):
    services.action_item_update(actor=demo.users["aisha"], item=action_item, status="in_progress")
    with pytest.raises(PermissionDenied):
        services.action_item_update(actor=demo.users["tomas"], item=action_item, status="done")
    services.action_item_update(
        actor=demo.users["priya"], item=action_item, assignee=demo.users["tomas"]
    )
    services.action_item_update(actor=demo.users["tomas"], item=action_item, status="done")


# --- sharing -----------------------------------------------------------------------------


def test_sharing_emails_attendees_and_stakeholders_the_whole_meeting(
    meeting, demo, propose, django_capture_on_commit_callbacks
):
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Checkout")
    services.agenda_item_save_notes(
        actor=demo.users["marco"], item=item, notes="Agreed to **test**", version=0
    )
    services.decision_record(actor=demo.users["priya"], meeting=meeting, text="Test it first")
    services.action_item_create(
        actor=demo.users["priya"],
        group=demo.group,
        title="Write the design",
        owner=demo.users["lena"],
        due_on=timezone.localdate(),
        meeting=meeting,
    )

    with django_capture_on_commit_callbacks(execute=True):
        count = services.meeting_share_notes(
            actor=demo.users["priya"], meeting=meeting, confirm_not_held=True
        ).total

    # One copy each: a copy holds only what its recipient may read.
    assert [len(m.to) for m in mail.outbox] == [1] * 8
    recipients = {m.to[0] for m in mail.outbox}
    assert {"sofia@example.com", "james@example.com", "lena@example.com"} <= recipients
    assert count == len(recipients) == 8
    message = next(m for m in mail.outbox if m.to == ["james@example.com"])
    for text in ("Checkout", "Agreed to **test**", "Test it first", "Write the design"):
        assert text in message.body
    html = message.alternatives[0][0]
    assert "<strong>test</strong>" in html
    meeting.refresh_from_db()
    assert meeting.shared_at is not None


def test_a_member_removed_since_the_meeting_gets_no_copy_of_its_notes(
    meeting, demo, django_capture_on_commit_callbacks
):
    from apps.accounts.models import Membership

    Membership.objects.filter(user=demo.users["lena"], working_group=demo.group).delete()

    with django_capture_on_commit_callbacks(execute=True):
        count = services.meeting_share_notes(
            actor=demo.users["priya"], meeting=meeting, confirm_not_held=True
        ).total

    assert "lena@example.com" not in {m.to[0] for m in mail.outbox}
    assert count == len(mail.outbox) == 7


def test_only_the_program_manager_shares(meeting, demo):
    with pytest.raises(PermissionDenied):
        services.meeting_share_notes(actor=demo.users["marco"], meeting=meeting)
    assert mail.outbox == []


# --- digest ------------------------------------------------------------------------------


def test_the_digest_leaves_out_groups_the_owner_was_removed_from(demo):
    from apps.accounts.models import Membership

    today = timezone.localdate()
    ActionItem.objects.create(
        working_group=demo.group, title="Old group's plan", owner=demo.users["lena"], due_on=today
    )
    Membership.objects.filter(user=demo.users["lena"], working_group=demo.group).delete()

    assert send_action_item_digests() == {"sent": 0, "skipped": 0}
    assert mail.outbox == []


def test_the_digest_goes_to_each_owner_once_per_day_even_if_run_twice(demo):
    today = timezone.localdate()
    for title, owner, due in [
        ("Overdue design", "lena", today - timedelta(days=2)),
        ("Due soon", "lena", today + timedelta(days=1)),
        ("Later", "tomas", today + timedelta(days=30)),
        ("Tomas soon", "tomas", today),
    ]:
        ActionItem.objects.create(
            working_group=demo.group, title=title, owner=demo.users[owner], due_on=due
        )
    ActionItem.objects.create(
        working_group=demo.group,
        title="Done already",
        owner=demo.users["aisha"],
        due_on=today - timedelta(days=1),
        status="done",
    )

    first = send_action_item_digests()
    second = send_action_item_digests()

    assert first == {"sent": 2, "skipped": 0}
    assert second == {"sent": 0, "skipped": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["lena@example.com", "tomas@example.com"]
    lena = next(m for m in mail.outbox if m.to == ["lena@example.com"])
    assert "1 overdue, 1 due soon" in lena.subject
    assert "Overdue design" in lena.body and "Later" not in lena.body
    assert DigestSent.objects.filter(day=today).count() == 2
    # The next day it goes out again.
    services.action_item_digests_send(today=today + timedelta(days=1))
    assert len(mail.outbox) == 4


def test_a_failed_send_leaves_no_record_so_a_retry_sends(demo, monkeypatch):
    ActionItem.objects.create(
        working_group=demo.group,
        title="x",
        owner=demo.users["lena"],
        due_on=timezone.localdate(),
    )

    def boom(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr(services.notifications, "_send_digest", boom)
    with pytest.raises(ConnectionError):
        services.action_item_digests_send()
    assert not DigestSent.objects.exists()
    monkeypatch.undo()
    assert services.action_item_digests_send().sent == 1


def test_the_auto_draft_job_drafts_meetings_two_days_ahead_once(demo, meeting):
    soon = services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="Soon",
        starts_at=timezone.now() + timedelta(days=1),
    )
    assert draft_upcoming_agendas() == {"drafted": 1}
    assert draft_upcoming_agendas() == {"drafted": 0}
    soon.refresh_from_db()
    meeting.refresh_from_db()
    assert soon.agenda_drafted_at is not None and meeting.agenda_drafted_at is None
    assert soon.agenda_items.filter(key="aob").exists()


# --- calendar ----------------------------------------------------------------------------


def test_the_ics_has_the_meeting_in_its_own_time_zone(meeting):
    body = calendar.meeting_ics(meeting, "https://expr.example/meetings/1/")
    parsed = Calendar.from_ical(body)
    event = next(iter(parsed.walk("VEVENT")))
    assert str(event["summary"]) == meeting.title
    start = event.decoded("dtstart")
    assert start == meeting.starts_at.replace(microsecond=0)
    assert str(start.tzinfo) == "Europe/Berlin"
    assert parsed.walk("VTIMEZONE")
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")


def test_the_markdown_report_lists_agenda_notes_decisions_and_action_items(meeting, demo):
    item = services.agenda_item_add(actor=demo.users["priya"], meeting=meeting, title="Pricing")
    services.agenda_item_save_notes(actor=demo.users["marco"], item=item, notes="- a", version=0)
    services.decision_record(
        actor=demo.users["priya"], meeting=meeting, agenda_item=item, text="One at a time"
    )
    report = selectors.meeting_report(meeting, viewer=demo.users["sofia"])
    text = selectors.meeting_markdown(report)
    assert text.startswith(f"# {meeting.title}\n")
    assert "### 1. Pricing (5 min)" in text and "- a" in text
    assert "**Decision:** One at a time" in text


@pytest.mark.parametrize(
    "payload",
    [{"reason": float("nan")}, {"reason": "\ud800"}, {"reason": "é" * 5_000}],
    ids=["not a number", "lone surrogate", "over 8 KB encoded"],
)
def test_a_payload_that_is_not_small_json_is_refused_naming_it(meeting, demo, payload):
    with pytest.raises(ValidationError) as excinfo:
        services.decision_record(
            actor=demo.users["priya"], meeting=meeting, text="Decided.",
            kind="hypothesis.transition", payload=payload,
        )  # fmt: skip

    assert list(excinfo.value.message_dict) == ["payload"]
    assert not Decision.objects.exists()
