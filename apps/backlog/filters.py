"""The backlog's filters, shared by the ranked page and `/api/v1/hypotheses/`."""

import django_filters
from rest_framework.filters import OrderingFilter

from apps.accounts.models import BusinessUnit, User, WorkingGroup

from . import selectors
from .models import OPEN_STATUSES, Category, Hypothesis, Status, Tag


class HypothesisFilter(django_filters.FilterSet):
    working_group = django_filters.ModelChoiceFilter(queryset=WorkingGroup.objects.all())
    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    open = django_filters.BooleanFilter(
        method="filter_open", label="Only open (proposed, accepted or in delivery)"
    )
    category = django_filters.ChoiceFilter(choices=Category.choices)
    business_unit = django_filters.ModelChoiceFilter(queryset=BusinessUnit.objects.all())
    tag = django_filters.CharFilter(field_name="tags__slug", max_length=40, label="Tag (slug)")
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    discuss = django_filters.BooleanFilter(label="Flagged for discussion")
    scored_by_me = django_filters.BooleanFilter(label="Scored by me")
    q = django_filters.CharFilter(method="filter_text", max_length=200, label="Text search")

    class Meta:
        model = Hypothesis
        fields = ["working_group", "status", "category", "business_unit", "owner"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES)

    def filter_text(self, queryset, name, value):
        return selectors.search(queryset, value)


ALL = "all"


class PageFilter(HypothesisFilter):
    """The page's filter form: one status at a time (open ones unless asked), and choices
    limited to the group being looked at."""

    status = django_filters.ChoiceFilter(
        choices=[(ALL, "All statuses"), *Status.choices],
        method="filter_status",
        empty_label="Open",
    )
    tag = django_filters.ChoiceFilter(field_name="tags__slug", label="Tag", empty_label="Any")

    def __init__(self, *args, group: WorkingGroup, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "business_unit", "owner"):
            self.filters[name].extra["empty_label"] = "Any"
        self.filters["owner"].queryset = User.objects.filter(
            memberships__working_group=group
        ).order_by("first_name", "username")
        self.filters["tag"].extra["choices"] = list(
            Tag.objects.filter(working_group=group).values_list("slug", "name")
        )

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.open()
        return super().filter_queryset(queryset)


class RankOrderingFilter(OrderingFilter):
    """`?ordering=-score`: like DRF's, but unscored hypotheses sort last either way."""

    def filter_queryset(self, request, queryset, view):
        return selectors.order_ranked(queryset, self.get_ordering(request, queryset, view))
