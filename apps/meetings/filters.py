"""API filters: `?owner=me&status=open&overdue=true` and friends.

A filter value that cannot mean anything (owner=somebody) is a 400 naming the parameter,
never an empty list that hides a typo.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from .models import ActionItem, AgendaItem, Decision, Kind, Meeting, MeetingSeries


def _person(request, name: str, value: str) -> int:
    if value == "me":
        return request.user.pk
    if value.isdigit() and int(value) < 2**63:
        return int(value)
    raise ValidationError({name: "Use a user id or 'me'."})


_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def _flag(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE | _FALSE:
        return lowered in _TRUE
    raise ValidationError({name: "Use true or false."})


class FlagFilter(django_filters.ChoiceFilter):
    """true/false, and anything else a 400 (a plain BooleanFilter ignores typos)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(**kwargs)


class ActionItemFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(method="filter_owner", help_text="A user id or 'me'.")
    assignee = django_filters.CharFilter(method="filter_assignee", help_text="A user id or 'me'.")
    mine = FlagFilter(method="filter_mine", help_text="Items I own or am assigned to.")
    status = django_filters.MultipleChoiceFilter(choices=ActionItem.Status.choices)
    open = FlagFilter(method="filter_open", help_text="Still to be done.")
    overdue = FlagFilter(method="filter_overdue", help_text="Open and past its due date.")
    working_group = django_filters.NumberFilter(
        field_name="working_group_id", min_value=1, max_value=2**63 - 1
    )
    meeting = django_filters.NumberFilter(field_name="meeting_id", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = ActionItem
        fields = ["owner", "assignee", "status", "overdue", "working_group", "meeting"]

    def filter_owner(self, queryset, name, value):
        return queryset.filter(owner_id=_person(self.request, name, value))

    def filter_assignee(self, queryset, name, value):
        return queryset.filter(assignee_id=_person(self.request, name, value))

    def filter_mine(self, queryset, name, value):
        value = _flag(name, value)
        mine = Q(owner_id=self.request.user.pk) | Q(assignee_id=self.request.user.pk)
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_open(self, queryset, name, value):
        value = _flag(name, value)
        return queryset.open() if value else queryset.exclude(status__in=ActionItem.OPEN_STATUSES)

    def filter_overdue(self, queryset, name, value):
        value = _flag(name, value)
        overdue = Q(status__in=ActionItem.OPEN_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class MeetingFilter(django_filters.FilterSet):
    working_group = django_filters.NumberFilter(
        field_name="working_group_id", min_value=1, max_value=2**63 - 1
    )
    series = django_filters.NumberFilter(field_name="series_id", min_value=1, max_value=2**63 - 1)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices)
    upcoming = FlagFilter(method="filter_upcoming")

    class Meta:
        model = Meeting
        fields = ["working_group", "series", "kind", "status", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        value = _flag(name, value)
        now = timezone.now()
        return queryset.filter(starts_at__gte=now) if value else queryset.filter(starts_at__lt=now)


# Plain numbers, not model choices: a model choice answers "not a valid choice" for an id
# that does not exist and an empty list for another group's, telling the two apart.


class AgendaItemFilter(django_filters.FilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = AgendaItem
        fields = ["meeting"]


class DecisionFilter(django_filters.FilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting_id", min_value=1, max_value=2**63 - 1)
    kind = django_filters.CharFilter(max_length=80)

    class Meta:
        model = Decision
        fields = ["meeting", "kind"]


class MeetingSeriesFilter(django_filters.FilterSet):
    working_group = django_filters.NumberFilter(
        field_name="working_group_id", min_value=1, max_value=2**63 - 1
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    active = FlagFilter(method="filter_active")

    class Meta:
        model = MeetingSeries
        fields = ["working_group", "kind", "active"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=_flag(name, value))
