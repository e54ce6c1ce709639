"""Roadmap pages: the timeline across plans, one page per plan, its forms, and the
stakeholder update.

Views stay thin: forms check shapes, services apply the policy and the rules, selectors
read. Editing a milestone and recording a decision are htmx swaps of the milestone list.
"""

import datetime

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from apps.accounts import policy
from apps.accounts.models import BusinessUnit, Role, User, WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.forms import add_service_errors

from . import plan_table, selectors, services, timeline, updates
from .forms import (
    DecideForm,
    MilestoneForm,
    PlanEditForm,
    PlanForm,
    TransitionForm,
    UpdateRangeForm,
)
from .models import Category, Milestone, PlanStatus, ResearchPlan

# --- the roadmap -------------------------------------------------------------------------


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


# --- one plan ----------------------------------------------------------------------------


class PlanMixin(PolicyRequiredMixin):
    """Pages about one plan; a plan the person may not see is a 404."""

    def get_plan(self) -> ResearchPlan:
        if not hasattr(self, "_plan"):
            try:
                self._plan = selectors.plan_for(self.request.user, self.kwargs["pk"])
            except ResearchPlan.DoesNotExist as exc:
                raise Http404("No such research plan.") from exc
        return self._plan

    def get_policy_target(self) -> PolicyTarget:
        plan = self.get_plan()
        return PolicyTarget(group=plan.working_group_id, owner_id=plan.owner_id)


def next_step(plan: ResearchPlan, current: Milestone | None) -> str:
    """What happens next, in one sentence a stakeholder can read."""
    latest = plan.latest_decision()
    if plan.status == PlanStatus.ABANDONED:
        return "The plan was abandoned; its learnings stay on record."
    if plan.status == PlanStatus.CONCLUDED:
        if latest is not None and latest.outcome == "ship":
            return "The work shipped; the plan is concluded."
        return "The plan reached its last decision point and is concluded."
    if plan.status == PlanStatus.DRAFT:
        return "The plan is being drafted; it starts once it is activated."
    if current is None:
        return "The path is being revised after a pivot: the next decision point comes next."
    prefix = "Paused. When it resumes, the" if plan.status == PlanStatus.PAUSED else "The"
    return (
        f"{prefix} next decision — “{current.title}” — is due "
        f"{current.target_date:%-d %b %Y}: {current.question}"
    )


def plan_context(request, plan: ResearchPlan, **extra) -> dict:
    user = request.user
    today = timezone.localdate()
    cadence = plan.working_group.cadence_days
    milestones = plan.ordered_milestones()
    current = plan.current_milestone()
    role = policy.role_in(user, plan.working_group_id)
    can_edit = not plan.is_closed and policy.allows(
        user, plan.working_group_id, Action.EDIT, owner_id=plan.owner_id
    )
    rows = [
        {
            "m": m,
            "state": selectors.milestone_state(m, today=today, due_within=cadence),
            "is_current": current is not None and m.pk == current.pk,
            "started": m.plan.status == PlanStatus.ACTIVE and m.window_start() <= today,
        }
        for m in milestones
    ]
    for row in rows:
        row["label"] = selectors.STATE_LABELS[row["state"]]
    decided = sum(1 for m in milestones if m.is_decided)
    context = {
        "plan": plan,
        "rows": rows,
        "current": current,
        "latest": plan.latest_decision(),
        "next_step": next_step(plan, current),
        "decided_count": decided,
        "progress_pct": round(100 * decided / len(milestones)) if milestones else 0,
        # Stakeholders read the plan without the backlog links and the criteria log.
        "insider": user.is_superuser or (role is not None and role != Role.STAKEHOLDER),
        "can_edit": can_edit,
        "can_decide": can_edit and plan.status == PlanStatus.ACTIVE and current is not None,
        "can_remove": can_edit and plan.path_open,
        "transitions": [
            s for s in (PlanStatus.ACTIVE, PlanStatus.PAUSED) if s in _next_statuses(plan)
        ]
        if can_edit
        else [],
        "add_form": MilestoneForm() if can_edit else None,
    }
    context.update(extra)
    return context


def _next_statuses(plan: ResearchPlan) -> set[str]:
    return {
        PlanStatus.DRAFT: {PlanStatus.ACTIVE},
        PlanStatus.ACTIVE: {PlanStatus.PAUSED},
        PlanStatus.PAUSED: {PlanStatus.ACTIVE},
    }.get(plan.status, set())


class PlanView(PlanMixin, View):
    def get(self, request, pk):
        return render(request, "roadmap/plan.html", plan_context(request, self.get_plan()))


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


class PlanCreateView(PolicyRequiredMixin, View):
    """Write a new plan in one of your groups (`?group=<slug>`)."""

    policy_action = Action.CREATE

    def get_policy_target(self) -> PolicyTarget:
        slug = self.request.GET.get("group") or self.request.POST.get("group")
        groups = WorkingGroup.objects.visible_to(self.request.user)
        self.group = groups.filter(slug=slug).first() if slug else groups.order_by("name").first()
        if self.group is None:
            raise Http404("No such working group.")
        return PolicyTarget(group=self.group)

    def get(self, request):
        form = PlanForm(group=self.group, initial={"owner": request.user.pk})
        return render(request, "roadmap/plan_form.html", {"form": form, "group": self.group})

    def post(self, request):
        form = PlanForm(request.POST, group=self.group)
        if form.is_valid():
            try:
                plan = services.plan_create(
                    actor=request.user, group=self.group, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return redirect("roadmap:plan", pk=plan.pk)
        return render(
            request, "roadmap/plan_form.html", {"form": form, "group": self.group}, status=400
        )


def _shown(value) -> str:
    """A plan field's value as the conflict table shows it."""
    if isinstance(value, User):
        return value.display_name
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "all"):  # linked hypotheses: a queryset or a related manager
        return ", ".join(sorted(h.title for h in value.all()))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and value in Category.values:
        return Category(value).label
    return "" if value is None else str(value)


def _conflict_rows(form: PlanForm, saved: ResearchPlan) -> list[dict]:
    """Each field where the saved plan and what you sent differ, side by side."""
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        now, yours = _shown(getattr(saved, name)), _shown(form.cleaned_data.get(name))
        if now != yours:
            rows.append({"label": field.label or name.replace("_", " ").capitalize(),
                         "saved": now, "yours": yours})  # fmt: skip
    return rows


class PlanEditView(PlanMixin, View):
    """Edit a plan. The form carries the version it was opened at; if someone saved the plan
    since, nothing is overwritten: their values are shown beside yours."""

    policy_action = Action.EDIT

    def _form(self, data=None) -> PlanEditForm:
        plan = self.get_plan()
        initial = {
            "title": plan.title,
            "goal": plan.goal,
            "value_path": plan.value_path,
            "feature_teams": ", ".join(plan.feature_teams),
            "category": plan.category,
            "owner": plan.owner_id,
            "sponsor": plan.sponsor_id,
            "start_date": plan.start_date,
            "end_date": plan.end_date,
            "kill_criteria": plan.kill_criteria,
            "confidential": plan.confidential,
            "hypotheses": [h.pk for h in plan.hypotheses.all()],
            "version": plan.version,
        }
        return PlanEditForm(data, group=plan.working_group, initial=initial)

    def _render(self, request, form, status=200, **extra):
        plan = self.get_plan()
        context = {"form": form, "group": plan.working_group, "plan": plan, **extra}
        return render(request, "roadmap/plan_form.html", context, status=status)

    def get(self, request, pk):
        return self._render(request, self._form())

    def post(self, request, pk):
        plan = self.get_plan()
        form = self._form(request.POST)
        if form.is_valid():
            changes = {
                f: form.cleaned_data[f]
                for f in form.changed_data
                if f not in ("hypotheses", "version")
            }
            hypotheses = (
                form.cleaned_data["hypotheses"] if "hypotheses" in form.changed_data else None
            )
            try:
                services.plan_update(
                    actor=request.user,
                    plan=plan,
                    hypotheses=hypotheses,
                    version=form.cleaned_data["version"],
                    **changes,
                )
            except services.PlanConflict as conflict:
                # Your values stay in the form, now at the saved version: saving again
                # applies them over the other person's change, knowingly.
                data = request.POST.copy()
                data["version"] = str(conflict.plan.version)
                return self._render(
                    request,
                    self._form(data),
                    status=409,
                    conflict=conflict.plan,
                    conflict_rows=_conflict_rows(form, conflict.plan),
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return redirect("roadmap:plan", pk=plan.pk)
        return self._render(request, form, status=400)


class PlanTransitionView(PlanMixin, View):
    policy_action = Action.EDIT

    def post(self, request, pk):
        plan = self.get_plan()
        form = TransitionForm(request.POST)
        error = None
        if form.is_valid():
            try:
                services.plan_transition(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                error = " ".join(m for ms in exc.message_dict.values() for m in ms)
        else:
            error = "Choose active or paused."
        if error:
            return render(
                request,
                "roadmap/plan.html",
                plan_context(request, plan, transition_error=error),
                status=400,
            )
        return redirect("roadmap:plan", pk=plan.pk)


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
            request, plan.pk, status=200 if request.htmx else 400, add_form=form
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


class MilestoneEditView(MilestoneMixin, View):
    def get(self, request, pk):
        m = self.get_milestone()
        form = MilestoneForm(
            initial={
                "title": m.title,
                "question": m.question,
                "target_date": m.target_date,
                "decision_criteria": m.decision_criteria,
            }
        )
        return render(request, "roadmap/_milestone_edit.html", {"m": m, "form": form})

    def post(self, request, pk):
        m = self.get_milestone()
        form = MilestoneForm(
            request.POST,
            initial={
                "title": m.title,
                "question": m.question,
                "target_date": m.target_date,
                "decision_criteria": m.decision_criteria,
            },
        )
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
            status=200 if request.htmx else 400,
        )


class MilestoneRemoveView(MilestoneMixin, View):
    def post(self, request, pk):
        m = self.get_milestone()
        try:
            services.milestone_remove(actor=request.user, milestone=m)
        except ValidationError as exc:
            message = " ".join(x for ms in exc.message_dict.values() for x in ms)
            return _milestones_response(
                request, m.plan_id, status=200 if request.htmx else 400, milestone_error=message
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
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse("roadmap:plan", args=[m.plan_id])
                    return response
                return redirect("roadmap:plan", pk=m.plan_id)
        return render(
            request,
            "roadmap/_decide_form.html",
            {"m": m, "form": form},
            status=200 if request.htmx else 400,
        )


# --- stakeholder update ------------------------------------------------------------------


class UpdateMixin(PolicyRequiredMixin):
    """The update of one of your groups (`group=<slug>`) for `since`–`until`."""

    def get_policy_target(self) -> PolicyTarget:
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        groups = WorkingGroup.objects.visible_to(self.request.user).order_by("name")
        slug = params.get("group")
        self.group = groups.filter(slug=slug).first() if slug else groups.first()
        if self.group is None:
            raise Http404("No such working group.")
        today = timezone.localdate()
        defaults = {"since": today - datetime.timedelta(days=28), "until": today}
        self.range_form = UpdateRangeForm(
            {
                "since": params.get("since") or defaults["since"],
                "until": params.get("until") or defaults["until"],
            }
        )
        return PolicyTarget(group=self.group)

    def get_update(self):
        if not self.range_form.is_valid():
            return None
        data = self.range_form.cleaned_data
        try:
            services.check_update_range(data["since"], data["until"])
        except ValidationError as exc:
            add_service_errors(exc, self.range_form)
            return None
        return selectors.stakeholder_update(
            self.request.user, self.group, data["since"], data["until"]
        )


class UpdateView(UpdateMixin, View):
    def get(self, request):
        update = self.get_update()
        can_send = policy.allows(request.user, self.group, Action.MANAGE)
        return render(
            request,
            "roadmap/update.html",
            {
                "group": self.group,
                "groups": WorkingGroup.objects.visible_to(request.user).order_by("name"),
                "form": self.range_form,
                "u": update,
                "can_send": can_send,
                "last_dispatch": selectors.last_dispatch(self.group) if can_send else None,
                "recipients": selectors.stakeholders_of(self.group),
                "query": request.GET.urlencode(),
            },
            status=200 if update is not None else 400,
        )


class UpdateMarkdownView(UpdateMixin, View):
    def get(self, request):
        update = self.get_update()
        if update is None:
            return HttpResponse(
                "Bad range: " + self.range_form.errors.as_text(),
                status=400,
                content_type="text/plain",
            )
        body = updates.as_markdown(update, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{updates.filename(update)}"'
        return response


class UpdateSendView(UpdateMixin, View):
    """Queue the emailing; the answer shows its progress (htmx polls it) or leads to it."""

    policy_action = Action.MANAGE

    def post(self, request):
        if not self.range_form.is_valid():
            return HttpResponse(
                self.range_form.errors.as_text(), status=400, content_type="text/plain"
            )
        data = self.range_form.cleaned_data
        try:
            dispatch = services.stakeholder_update_send(
                actor=request.user, group=self.group, since=data["since"], until=data["until"]
            )
        except ValidationError as exc:
            message = " ".join(x for ms in exc.message_dict.values() for x in ms)
            return HttpResponse(message, status=400, content_type="text/plain")
        dispatch.refresh_from_db()  # without a broker the job has already run
        if request.htmx:
            return render(request, "roadmap/_dispatch.html", {"dispatch": dispatch})
        return redirect("roadmap:update-dispatch", pk=dispatch.pk)


class UpdateDispatchView(LoginRequiredMixin, View):
    """How the emailing of an update is going: queued, sending (n of m), sent or failed."""

    def get(self, request, pk):
        dispatch = selectors.dispatch_for(request.user, pk)
        if request.htmx:
            return render(request, "roadmap/_dispatch.html", {"dispatch": dispatch})
        return render(request, "roadmap/dispatch.html", {"dispatch": dispatch})
