"""The fields and input pieces every part of the meetings API shares: people, meetings and
groups the requester may name, a meeting's subject, and the date horizon."""

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User, WorkingGroup
from apps.core import dates
from apps.meetings.models import (
    MEETING_MAX_MINUTES,
    MEETING_MIN_MINUTES,
    TIMEBOX_MAX_MINUTES,
    TIMEBOX_MIN_MINUTES,
    Meeting,
)
from apps.meetings.subjects import resolve_subject


def check_date(value: date) -> date:
    # DRF turns Django's ValidationError into a 400 on the field, as the pages do.
    dates.check_date(value)
    return value


def check_datetime(value: datetime) -> datetime:
    check_date(value.date())
    return value


@extend_schema_field(
    {
        "type": "string",
        # RFC 3339's name for a time without an offset: OpenAPI's "time" is its full-time,
        # which requires one, and a series' offset comes from its own `timezone`.
        "format": "partial-time",
        "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
        "example": "10:00:00",
        "description": "Local time in the series' time zone, hh:mm[:ss[.ffffff]].",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time, read and written without an offset."""


def duration_field(**kwargs) -> serializers.IntegerField:
    """A meeting's length in minutes, within the range the model and the services keep."""
    return serializers.IntegerField(
        min_value=MEETING_MIN_MINUTES, max_value=MEETING_MAX_MINUTES, **kwargs
    )


def timebox_field(**kwargs) -> serializers.IntegerField:
    """An agenda item's timebox in minutes, within the range the model and the services keep."""
    return serializers.IntegerField(
        min_value=TIMEBOX_MIN_MINUTES, max_value=TIMEBOX_MAX_MINUTES, **kwargs
    )


class UserIdField(serializers.PrimaryKeyRelatedField):
    """A person who shares a working group with the requester; anyone else is "not found",
    as an id that does not exist (a service's "not a member" names only people you see)."""

    default_error_messages = {"does_not_exist": "No such person."}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", User.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request") if self.context else None
        if request is None:
            return User.objects.none()
        groups = WorkingGroup.objects.visible_to(request.user)
        return User.objects.filter(memberships__working_group__in=groups).distinct()


class MeetingField(serializers.PrimaryKeyRelatedField):
    """A meeting the requester may see; another group's meeting is "not found", word for
    word as an id that does not exist."""

    default_error_messages = {"does_not_exist": "No such meeting."}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Meeting.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        return Meeting.objects.visible_to(self.context["request"].user)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"type": {"type": "string"}, "id": {"type": "integer"}},
    }
)
class SubjectField(serializers.Field):
    """Output only: {"type": "backlog.hypothesis", "id": 12} or null."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        if obj.subject_type_id is None:
            return None
        ct = ContentType.objects.get_for_id(obj.subject_type_id)
        return {"type": f"{ct.app_label}.{ct.model}", "id": obj.subject_id}


class SubjectInput(serializers.Serializer):
    subject_type = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text='e.g. "backlog.hypothesis"'
    )
    subject_id = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                          max_value=2**63 - 1)  # fmt: skip


def pop_subject(data: dict, group: WorkingGroup):
    """The subject the validated input names, taken out of `data` for the service."""
    return resolve_subject(data.pop("subject_type", ""), data.pop("subject_id", None), group)
