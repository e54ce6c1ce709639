"""The experiments index: the group's experiments by status, filtered by status, type and
owner, each with its primary metric's headline lift."""

from django.shortcuts import render
from django.views import View

from apps.accounts import policy
from apps.accounts.models import Role, User, WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.backlog.models import Hypothesis
from apps.backlog.models import Status as HypothesisStatus
from apps.experiments import selectors
from apps.experiments.forms import IndexFilterForm
from apps.experiments.models import Status


def index_context(request) -> dict:
    user = request.user
    groups = list(WorkingGroup.objects.visible_to(user).order_by("name"))
    owners = list(
        User.objects.filter(
            memberships__working_group__in=groups,
            memberships__role__in=[r for r in Role.values if r != Role.STAKEHOLDER],
        )
        .distinct()
        .order_by("first_name", "username")
    )
    form = IndexFilterForm(request.GET or None, groups=groups, owners=owners)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    group = next((g for g in groups if g.slug == data.get("group")), None)
    qs = selectors.experiments_for(user, group)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("type"):
        qs = qs.filter(type=data["type"])
    if data.get("owner"):
        qs = qs.filter(owner_id=data["owner"])
    by_status: dict[str, list] = {status: [] for status in selectors.STATUS_ORDER}
    for exp in qs:
        headline = selectors.headline(getattr(exp, "current_metrics", None))
        by_status[exp.status].append({"e": exp, "headline": headline})
    sections = [
        {"status": status, "label": Status(status).label, "rows": rows}
        for status, rows in by_status.items() if rows
    ]  # fmt: skip
    writable = [g for g in groups if policy.allows(user, g, Action.CREATE)]
    ready = (
        Hypothesis.objects.filter(working_group__in=writable, status=HypothesisStatus.ACCEPTED)
        .select_related("working_group")
        .order_by("title")
        if writable
        else Hypothesis.objects.none()
    )
    return {
        "form": form,
        "groups": groups,
        "group": group,
        "sections": sections,
        "count": sum(len(s["rows"]) for s in sections),
        "ready": ready,
        "library_group": group or (groups[0] if groups else None),
    }


class IndexView(PolicyRequiredMixin, View):
    def get_policy_target(self) -> PolicyTarget:
        return PolicyTarget(group=None)  # reading the list: every experiment is scoped below

    def get(self, request):
        context = index_context(request)
        if request.htmx and request.htmx.target == "experiments-body":
            return render(request, "experiments/_list.html", context)
        return render(request, "experiments/index.html", context)
