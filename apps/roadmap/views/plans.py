"""One plan: its page, writing a new one, editing it (with the conflict view), and moving
it between draft, active and paused."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from apps.accounts import policy
from apps.accounts.models import Role, User, WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.forms import add_service_errors
from apps.roadmap import selectors, services
from apps.roadmap.forms import MilestoneForm, PlanEditForm, PlanForm, TransitionForm
from apps.roadmap.hooks import evidence_for
from apps.roadmap.models import Category, Milestone, PlanStatus, ResearchPlan


def error_text(exc: ValidationError) -> str:
    """A service's refusal as one sentence, for a page that shows it above a list."""
    return " ".join(m for ms in exc.message_dict.values() for m in ms)


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
    evidence = evidence_for([m.pk for m in milestones], user)
    for row in rows:
        row["label"] = selectors.STATE_LABELS[row["state"]]
        row["evidence"] = evidence.get(row["m"].pk, [])
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
            s
            for s in (PlanStatus.ACTIVE, PlanStatus.PAUSED)
            if s in services.TRANSITIONS.get(plan.status, set())
        ]
        if can_edit
        else [],
        "add_form": MilestoneForm() if can_edit else None,
    }
    context.update(extra)
    return context


class PlanView(PlanMixin, View):
    def get(self, request, pk):
        return render(request, "roadmap/plan.html", plan_context(request, self.get_plan()))


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
                error = error_text(exc)
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
