"""API filters for plans, milestones and decisions: `?working_group=…&status=active`."""

import django_filters

from apps.accounts.models import BusinessUnit, User, WorkingGroup

from .models import Category, Decision, Milestone, Outcome, PlanStatus, ResearchPlan


class PlanFilter(django_filters.FilterSet):
    working_group = django_filters.ModelChoiceFilter(queryset=WorkingGroup.objects.all())
    category = django_filters.ChoiceFilter(choices=Category.choices)
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    business_unit = django_filters.ModelChoiceFilter(queryset=BusinessUnit.objects.all())
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    sponsor = django_filters.ModelChoiceFilter(queryset=User.objects.all())
    q = django_filters.CharFilter(method="filter_text", max_length=200, label="Text search")

    class Meta:
        model = ResearchPlan
        fields = ["working_group", "category", "status", "business_unit", "owner", "sponsor"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(title__icontains=value) | queryset.filter(goal__icontains=value)


class MilestoneFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", min_value=1, max_value=2**62)

    class Meta:
        model = Milestone
        fields = ["plan"]


class DecisionFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(
        field_name="milestone__plan_id", min_value=1, max_value=2**62
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    working_group = django_filters.NumberFilter(
        field_name="milestone__plan__working_group_id", min_value=1, max_value=2**62
    )

    class Meta:
        model = Decision
        fields = ["plan", "outcome", "working_group"]
