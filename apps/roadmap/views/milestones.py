"""A plan's decision points on its page: adding, editing, removing and deciding one, each
an htmx swap of the milestone list (or of the form, with its errors, as a 422)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.forms import add_service_errors
from apps.roadmap import selectors, services
from apps.roadmap.forms import DecideForm, MilestoneForm
from apps.roadmap.models import Milestone, ResearchPlan

from .plans import PlanMixin, error_text, plan_context


def form_error_status(request) -> int:
    """422 for an htmx request, so htmx swaps the form with its errors in (base.html's
    htmx-config lets 422 through and no other 4xx); 400 for a plain form post."""
    return 422 if request.htmx else 400


def _milestones_response(request, plan_pk: int, status: int = 200, **extra):
    plan = selectors.plan_for(request.user, plan_pk)
    if request.htmx:
        return render(
            request, "roadmap/_milestones.html", plan_context(request, plan, **extra), status=status
        )
    if status != 200:
        return render(
            request, "roadmap/plan.html", plan_context(request, plan, **extra), status=status
        )
    return redirect("roadmap:plan", pk=plan_pk)


class MilestoneAddView(PlanMixin, View):
    policy_action = Action.EDIT

    def post(self, request, pk):
        plan = self.get_plan()
        form = MilestoneForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("reason")
            try:
                services.milestone_add(actor=request.user, plan=plan, **data)
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _milestones_response(request, plan.pk)
        return _milestones_response(
            request, plan.pk, status=form_error_status(request), add_form=form
        )


class MilestoneMixin(PolicyRequiredMixin):
    policy_action = Action.EDIT

    def get_milestone(self) -> Milestone:
        if not hasattr(self, "_milestone"):
            plans = ResearchPlan.objects.visible_to(self.request.user)
            self._milestone = get_object_or_404(
                Milestone.objects.select_related("plan__working_group"),
                pk=self.kwargs["pk"],
                plan__in=plans,
            )
        return self._milestone

    def get_policy_target(self) -> PolicyTarget:
        plan = self.get_milestone().plan
        return PolicyTarget(group=plan.working_group_id, owner_id=plan.owner_id)


def _edit_form(m: Milestone, data=None) -> MilestoneForm:
    """The edit form opened at the milestone's values: `changed_data` is what the edit changes."""
    initial = {f: getattr(m, f) for f in services.MILESTONE_FIELDS}
    return MilestoneForm(data, initial=initial)


class MilestoneEditView(MilestoneMixin, View):
    def get(self, request, pk):
        m = self.get_milestone()
        form = _edit_form(m)
        return render(request, "roadmap/_milestone_edit.html", {"m": m, "form": form})

    def post(self, request, pk):
        m = self.get_milestone()
        form = _edit_form(m, request.POST)
        if form.is_valid():
            changes = {f: form.cleaned_data[f] for f in form.changed_data if f != "reason"}
            try:
                services.milestone_update(
                    actor=request.user,
                    milestone=m,
                    reason=form.cleaned_data.get("reason", ""),
                    **changes,
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _milestones_response(request, m.plan_id)
        return render(
            request,
            "roadmap/_milestone_edit.html",
            {"m": m, "form": form},
            status=form_error_status(request),
        )


class MilestoneRemoveView(MilestoneMixin, View):
    def post(self, request, pk):
        m = self.get_milestone()
        try:
            services.milestone_remove(actor=request.user, milestone=m)
        except ValidationError as exc:
            return _milestones_response(
                request,
                m.plan_id,
                status=form_error_status(request),
                milestone_error=error_text(exc),
            )
        return _milestones_response(request, m.plan_id)


class MilestoneDecideView(MilestoneMixin, View):
    def get(self, request, pk):
        m = self.get_milestone()
        form = DecideForm(category=m.plan.category, group=m.plan.working_group_id)
        return render(request, "roadmap/_decide_form.html", {"m": m, "form": form})

    def post(self, request, pk):
        m = self.get_milestone()
        form = DecideForm(request.POST, category=m.plan.category, group=m.plan.working_group_id)
        if form.is_valid():
            try:
                services.milestone_decide(actor=request.user, milestone=m, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                if request.htmx:
                    # The decision may conclude the plan or open a revision: reload it all.
                    return HttpResponseClientRedirect(reverse("roadmap:plan", args=[m.plan_id]))
                return redirect("roadmap:plan", pk=m.plan_id)
        return render(
            request,
            "roadmap/_decide_form.html",
            {"m": m, "form": form},
            status=form_error_status(request),
        )
