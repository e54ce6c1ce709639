"""What meetings send and publish: the shared notes, the daily action-item digest, and the
calendar feed's secret."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import Membership, Role, User
from apps.accounts.policy import Action
from apps.meetings import selectors, tasks
from apps.meetings.markup import render_markdown
from apps.meetings.models import (
    ActionItem,
    Attendee,
    CalendarToken,
    DigestSent,
    DispatchStatus,
    Meeting,
    NotesCopySent,
    NotesDispatch,
)

logger = logging.getLogger(__name__)

DIGEST_DUE_SOON_DAYS = 3


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


NOT_HELD = (
    "This meeting has not happened yet ({when}): its notes are only the agenda so far. "
    "Confirm that you mean to share them now."
)


@transaction.atomic
def meeting_share_notes(
    *, actor: User, meeting: Meeting, confirm_not_held: bool = False
) -> NotesDispatch:
    """Queue the emailing of the agenda, notes, decisions and new action items to the
    attendees and stakeholders; a background job sends it (`notes_dispatch_run`) and the
    returned row shows its progress.

    Checked now, so a refusal is an immediate 400 rather than a failed job: the policy,
    that someone will receive it, and for a meeting that has not started yet, that the PM
    confirmed sharing it anyway (`confirm_not_held`). Nothing waits on the mail server
    during the request.
    """
    policy.require(actor, meeting.working_group_id, Action.MANAGE)
    if not confirm_not_held and not selectors.meeting_has_started(meeting):
        when = f"{meeting.local_start:%-d %b %Y, %H:%M} {meeting.timezone}"
        raise ValidationError({"confirm_not_held": NOT_HELD.format(when=when)})
    recipients = [u for u in share_recipients(meeting) if u.email]
    if not recipients:
        raise ValidationError({"recipients": "Nobody to share with: no attendee has an email."})
    dispatch = NotesDispatch.objects.create(
        meeting=meeting, requested_by=actor, total=len(recipients)
    )
    # After commit: the worker must find the row.
    transaction.on_commit(lambda: tasks.send_meeting_notes.delay(dispatch.pk))
    return dispatch


def notes_dispatch_run(dispatch_id: int) -> NotesDispatch:
    """Email each recipient their own copy of the meeting's notes, recording each one sent.

    One copy per person: a decision about a confidential plan reads in full only in the
    copies of those who may read the plan. Each copy's row is inserted in the transaction
    that sends it: a redelivered job finds the row (a concurrent one waits on its unique
    key) and skips that person, and a failed send rolls the row back. A failure marks the
    dispatch failed with the error, for the page to show; the copies sent before it stay.
    """
    dispatch = NotesDispatch.objects.select_related("meeting__working_group").get(pk=dispatch_id)
    if dispatch.status == DispatchStatus.SENT:
        return dispatch
    meeting = dispatch.meeting
    recipients = [u for u in share_recipients(meeting) if u.email]
    dispatch.status, dispatch.total, dispatch.error = DispatchStatus.SENDING, len(recipients), ""
    dispatch.save(update_fields=["status", "total", "error"])
    already = set(dispatch.copies.values_list("recipient_id", flat=True))
    try:
        with get_connection() as connection:
            for recipient in recipients:
                if recipient.pk in already:
                    continue
                try:
                    with transaction.atomic():
                        NotesCopySent.objects.create(dispatch=dispatch, recipient=recipient)
                        connection.send_messages([_notes_message(meeting, recipient)])
                except IntegrityError:
                    continue  # another delivery of this job sent it first
                _count_copies(dispatch)
    except Exception as exc:
        logger.exception("meeting notes dispatch %s failed", dispatch.pk)
        dispatch.status, dispatch.error = DispatchStatus.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        dispatch.status = DispatchStatus.SENT
        meeting.shared_at = timezone.now()
        meeting.save(update_fields=["shared_at"])
    _count_copies(dispatch)
    dispatch.finished_at = timezone.now()
    dispatch.save(update_fields=["status", "error", "finished_at"])
    return dispatch


def _count_copies(dispatch: NotesDispatch) -> None:
    dispatch.sent = dispatch.copies.count()
    dispatch.save(update_fields=["sent"])


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


def calendar_token_for(*, user: User) -> CalendarToken:
    token, _ = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def calendar_token_reset(*, user: User) -> CalendarToken:
    """A new secret: the old feed URL stops working (e.g. after it leaked)."""
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user)
