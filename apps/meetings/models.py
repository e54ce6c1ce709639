"""Meeting series and meetings, their attendees and agenda, notes, decisions and action items.

A series is the group's recurring slot; it generates meetings ahead, one row per slot date
(`occurrence`), so moving or cancelling one meeting edits that row and the series never
regenerates it. Agenda items drafted from the program's state carry a stable `key`; the PM's
edits and removals stay on the row (`edited`, `removed`) so a redraft respects them.
"""

import secrets
from datetime import date, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import WorkingGroup
from apps.core.dispatch import DispatchProgress, DispatchStatus
from apps.core.links import SafeLinkField

# A meeting lasts 5 minutes to 8 hours, an agenda item's timebox 1 minute to 2 hours (a
# longer item is a meeting of its own). The fields below, the API's serializers, the forms,
# the services and the agenda builder all read these.
MEETING_MIN_MINUTES, MEETING_MAX_MINUTES = 5, 480
TIMEBOX_MIN_MINUTES, TIMEBOX_MAX_MINUTES = 1, 120
MEETING_MINUTES_VALIDATORS = [
    MinValueValidator(MEETING_MIN_MINUTES),
    MaxValueValidator(MEETING_MAX_MINUTES),
]


def validate_timezone(name: str) -> None:
    if name not in _timezones():
        raise ValidationError(
            f"Unknown time zone {name!r}; use an IANA name such as Europe/Berlin."
        )


_TZ_CACHE: set[str] = set()


def _timezones() -> set[str]:
    if not _TZ_CACHE:
        _TZ_CACHE.update(available_timezones())
    return _TZ_CACHE


class Kind(models.TextChoices):
    WORKING_GROUP = "working_group", "Working-group meeting"
    WORKING_SESSION = "working_session", "Working session"
    STAKEHOLDER_UPDATE = "stakeholder_update", "Stakeholder update"


class MeetingSeriesQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingSeriesQuerySet":
        return self.filter(working_group__in=WorkingGroup.objects.visible_to(user))


class MeetingSeries(models.Model):
    """A group's recurring meeting: the first slot's weekday and local time, then every
    `cadence_days` of the group (or the series' own cadence when set)."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="meeting_series"
    )
    title = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORKING_GROUP)
    weekday = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(6)], help_text="0 = Monday … 6 = Sunday."
    )
    start_time = models.TimeField(help_text="Local time in the series' time zone.")
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=MEETING_MINUTES_VALIDATORS
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    starts_on = models.DateField(help_text="The series' first meeting is on or after this date.")
    cadence_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(92)],
        help_text="Leave empty to follow the working group's cadence.",
    )
    location = models.CharField(max_length=240, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["working_group", "pk"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.title

    @property
    def cadence(self) -> int:
        return self.cadence_days or self.working_group.cadence_days

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def first_slot(self) -> date:
        return self.starts_on + timedelta(days=(self.weekday - self.starts_on.weekday()) % 7)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        return self.filter(working_group__in=WorkingGroup.objects.visible_to(user))

    def scheduled(self) -> "MeetingQuerySet":
        return self.filter(status=Meeting.Status.SCHEDULED)

    def upcoming(self, now=None) -> "MeetingQuerySet":
        return self.scheduled().filter(starts_at__gte=now or timezone.now()).order_by("starts_at")


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="meetings"
    )
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    # The series slot this meeting fills; it stays when the meeting is moved, so the series
    # knows the slot is taken and never generates it again.
    occurrence = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORKING_GROUP)
    title = models.CharField(max_length=160)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=MEETING_MINUTES_VALIDATORS
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    location = models.CharField(max_length=240, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    moved = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=240, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A working session is about one thing: an action item, a hypothesis, an experiment.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    agenda_drafted_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence"],
                condition=Q(series__isnull=False),
                name="one_meeting_per_series_slot",
            ),
        ]
        indexes = [models.Index(fields=["working_group", "starts_at"], name="meeting_group_start")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # None until the facilitator records who came.
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "user__first_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendee_row_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting_id}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    # "" for items the PM added; otherwise the candidate's stable identity from its source.
    key = models.CharField(max_length=160, blank=True)
    source = models.CharField(max_length=80, blank=True)
    heading = models.CharField(max_length=120, blank=True)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=240)
    detail = models.TextField(blank=True)
    minutes = models.PositiveSmallIntegerField(
        default=5,
        validators=[
            MinValueValidator(TIMEBOX_MIN_MINUTES),
            MaxValueValidator(TIMEBOX_MAX_MINUTES),
        ],
    )
    suggested_minutes = models.PositiveSmallIntegerField(default=5)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = SafeLinkField(max_length=500, blank=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # The PM changed it by hand: a redraft leaves its text and timebox alone.
    edited = models.BooleanField(default=False)
    # The PM took it off the agenda: a tombstone, so a redraft does not bring it back.
    removed = models.BooleanField(default=False)
    # The PM moved it by hand: a redraft keeps it where it is, even once no source
    # suggests it any more.
    placed = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # Lost-update protection: a save names the version it started from.
    notes_version = models.PositiveIntegerField(default=0)
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    # Lost-update protection for the item's own fields (title, detail, timebox, link): an
    # edit form carries the version it was opened at, as the notes do.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "key"], condition=~Q(key=""), name="one_agenda_item_per_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """What the meeting decided; with a `kind`, recording it also applied it (see hooks)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField()
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(max_length=80, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The client's idempotency key: a form or API call submitted twice records one decision.
    request_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "request_key"],
                condition=~Q(request_key=""),
                name="one_decision_per_request_key",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActionItemQuerySet":
        return self.filter(working_group__in=WorkingGroup.objects.visible_to(user))

    def open(self) -> "ActionItemQuerySet":
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, today: date | None = None) -> "ActionItemQuerySet":
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        BLOCKED = "blocked", "Blocked"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED)

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_action_items"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_action_items",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    blocked_reason = models.CharField(max_length=240, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["working_group", "status", "due_on"], name="action_group_status_due"
            ),
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class DigestSent(models.Model):
    """One row per person and day: the unique pair is what makes the digest once a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")
        ]

    def __str__(self) -> str:
        return f"digest to {self.user_id} on {self.day}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL; calendar apps cannot sign in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meetings_calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar token of {self.user_id}"


class NotesDispatch(DispatchProgress, models.Model):
    """One emailing of a meeting's notes, done by a background job; its row is the progress
    the meeting page watches, its copies the record of who was sent one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes_dispatches")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=DispatchStatus.choices, default=DispatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0, help_text="Recipients to send a copy to.")
    sent = models.PositiveIntegerField(default=0, help_text="Copies sent so far.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"notes of {self.meeting_id}: {self.status}"


class NotesCopySent(models.Model):
    """One recipient's copy of one emailing. The unique pair is what makes it one copy each:
    a redelivered job finds the row (or waits on it) and skips that person."""

    dispatch = models.ForeignKey(NotesDispatch, on_delete=models.CASCADE, related_name="copies")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "recipient"], name="one_notes_copy_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"notes copy of dispatch {self.dispatch_id} to {self.recipient_id}"
