"""The roadmap page: plans by quarter, the portfolio share and the plan list, filtered."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import TemplateView

from apps.accounts import policy
from apps.accounts.models import BusinessUnit, WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.roadmap import plan_table, selectors, timeline
from apps.roadmap.models import Category, PlanStatus


class RoadmapFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title or goal"}),
    )
    group = forms.ChoiceField(required=False)
    category = forms.ChoiceField(required=False, choices=[("", "Any"), *Category.choices])
    unit = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(required=False, choices=[("", "Any"), *PlanStatus.choices])

    def __init__(self, *args, groups, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "All my groups"), *((g.slug, g.name) for g in groups)]
        self.fields["unit"].choices = [("", "Any"), *((u.pk, u.name) for u in units)]


def roadmap_context(request) -> dict:
    """The timeline, share and plan list for the filters in the query string."""
    user = request.user
    groups = list(WorkingGroup.objects.visible_to(user).order_by("name"))
    units = list(BusinessUnit.objects.order_by("name"))
    form = RoadmapFilterForm(request.GET or None, groups=groups, units=units)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    group = next((g for g in groups if g.slug == data.get("group")), None)
    filters = selectors.RoadmapFilters(
        group=group,
        category=data.get("category") or "",
        business_unit_id=data.get("unit"),
        status=data.get("status") or "",
        q=(data.get("q") or "").strip(),
    )
    plans = selectors.timeline_plans(user, filters)
    today = timezone.localdate()
    scope = group or (groups[0] if len(groups) == 1 else None)
    return {
        "form": form,
        "groups": groups,
        "group": group,
        "plans": plans,
        "timeline": timeline.layout(plans, today=today),
        "plan_rows": plan_table.plan_rows(plans),
        "share": selectors.share_of(plans, scope.product_share_target if scope else None),
        "today": today,
        "create_groups": [g for g in groups if policy.allows(user, g, Action.CREATE)],
        "update_group": scope,
    }


class RoadmapView(PolicyRequiredMixin, TemplateView):
    """Plans by quarter: bars from start to end, milestones as diamonds coloured by state."""

    template_name = "roadmap/index.html"

    def get_policy_target(self) -> PolicyTarget:
        return PolicyTarget(group=None)  # reading the roadmap: every plan is scoped below

    def get(self, request, *args, **kwargs):
        context = roadmap_context(request)
        if request.htmx and request.htmx.target == "roadmap-body":
            return render(request, "roadmap/_roadmap.html", context)
        return render(request, self.template_name, context)
