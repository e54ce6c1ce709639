"""The conflicts list (open, acknowledged, resolved; filtered by group, surface, layer and
kind) and the timeline of running and scheduled experiments with their overlaps."""

from django.shortcuts import render
from django.views import View

from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import PolicyTarget
from apps.conflicts import selectors
from apps.conflicts.forms import FilterForm, TimelineForm
from apps.conflicts.models import ConflictStatus
from apps.conflicts.timeline import timeline_for

PAGE = 100


class SignedInMixin(PolicyRequiredMixin):
    """Pages over all of the person's groups: each read is narrowed by `visible_to`."""

    def get_policy_target(self) -> PolicyTarget:
        return PolicyTarget(group=None)


class IndexView(SignedInMixin, View):
    def get(self, request):
        choices = selectors.filter_choices(request.user)
        form = FilterForm(request.GET or None, choices=choices)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        filters = selectors.ConflictFilters(
            status=data.get("status") or ConflictStatus.OPEN, group=data.get("group"),
            surface=data.get("surface"), layer=data.get("layer"), kind=data.get("kind") or None,
        )  # fmt: skip
        rows = list(selectors.conflicts_for(request.user, filters)[: PAGE + 1])
        params = request.GET.copy()
        tabs = []
        counts = selectors.status_counts(request.user, filters)
        for value, label in ConflictStatus.choices:
            params["status"] = value
            tabs.append({"value": value, "label": label, "count": counts[value],
                         "query": params.urlencode(), "current": value == filters.status})  # fmt: skip
        context = {
            "form": form, "rows": rows[:PAGE], "more": len(rows) > PAGE, "tabs": tabs,
            "status": filters.status, "choices": choices,
        }  # fmt: skip
        name = "conflicts/_list.html" if request.htmx else "conflicts/index.html"
        return render(request, name, context)


class TimelineView(SignedInMixin, View):
    def get(self, request):
        groups = list(WorkingGroup.objects.visible_to(request.user).order_by("name"))
        form = TimelineForm(request.GET or None, groups=groups)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        by = data.get("by") or "surface"
        timeline = timeline_for(request.user, by=by, group_id=data.get("group"))
        context = {"form": form, "timeline": timeline, "by": by}
        name = "conflicts/_timeline.html" if request.htmx else "conflicts/timeline.html"
        return render(request, name, context)
