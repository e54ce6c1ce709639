"""Backlog pages: the ranked backlog with its scatter and portfolio balance, a hypothesis with
its history and scores, the propose/edit forms, and the framework settings.

Views stay thin: forms check shapes, services change data and apply the role policy,
selectors read. Inline scoring is an htmx swap of the ranking partial.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from apps.accounts import policy
from apps.accounts import services as account_services
from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.accounts.views import GroupPageMixin
from apps.core.forms import add_service_errors

from . import scoring, selectors, services
from .filters import PageFilter
from .forms import (
    CriterionFormSet,
    FrameworkForm,
    HypothesisForm,
    ScoreForm,
    TargetForm,
    TransitionForm,
    criteria_from,
)
from .models import SCOREABLE_STATUSES, Hypothesis, Score, ScoringFramework, Status

PAGE_SIZE = 50
SORTS = [
    ("-score", "Score, best first"),
    ("-spread", "Disagreement first"),
    ("scorer_count", "Fewest scorers first"),
    ("-created_at", "Newest first"),
    ("title", "Title"),
]


def _backlog_url(group: WorkingGroup, query: str = "") -> str:
    params = QueryDict(query, mutable=True)
    params["group"] = group.slug
    return f"{reverse('backlog:index')}?{params.urlencode()}"


# --- scatter -----------------------------------------------------------------------------

PLOT_W, PLOT_H, PLOT_M = 560, 360, 44


def _plot(rows: list[Hypothesis]) -> list[dict]:
    """Impact (up) against effort (right), both as positions 0–1 on the framework's scales.

    The plot shows the rows of the table (same filters, same page), so the two read together
    and the plot costs no query of its own. Links and labels are made here, not per point in
    the template, which would reverse a URL and localise numbers for every point.
    """
    inner_w, inner_h = PLOT_W - 2 * PLOT_M, PLOT_H - 2 * PLOT_M
    link = reverse("backlog:hypothesis", args=[0]).removesuffix("0/")
    return [
        {
            "href": f"{link}{p.pk}/",
            "label": f"{p.title} — score {p.score:.2f}" if p.score is not None else p.title,
            "category": p.category,
            # Strings, so the template does not localise 300 numbers on every render.
            "x": f"{PLOT_M + p.effort * inner_w:.1f}",
            "y": f"{PLOT_H - PLOT_M - p.impact * inner_h:.1f}",
        }
        for p in rows
        if p.impact is not None and p.effort is not None
    ]


def _frame(points: list[dict]) -> dict:
    """The plot's points with the coordinates of its frame, quadrants and labels."""
    left, top, right, bottom = PLOT_M, PLOT_M, PLOT_W - PLOT_M, PLOT_H - PLOT_M
    return {
        "points": points,
        "w": PLOT_W,
        "h": PLOT_H,
        "left": left,
        "top": top,
        "right": right,
        "bottom": bottom,
        "inner_w": right - left,
        "inner_h": bottom - top,
        "mid_x": (left + right) / 2,
        "mid_y": (top + bottom) / 2,
        "half_w": (right - left) / 2,
        "half_h": (bottom - top) / 2,
    }


# --- ranked backlog ----------------------------------------------------------------------


def ranking_context(request, group: WorkingGroup, params: QueryDict, highlight=None) -> dict:
    """The ranked table, its filters and the scatter for one group, in a constant few queries."""
    user = request.user
    settings = selectors.backlog_settings(group)
    framework = settings.framework
    base = selectors.ranked(
        Hypothesis.objects.filter(working_group=group)
        .select_related("owner", "business_unit")
        .defer("change", "rationale", "evidence"),  # the rows show title and metric only
        framework_ids=[framework.pk],
        viewer=user,
    )
    filters = PageFilter(params, queryset=base, group=group, request=request)
    sort = params.get("sort", "-score")
    if sort not in dict(SORTS):
        sort = "-score"
    ranked = selectors.order_ranked(filters.qs, [sort])
    page = Paginator(ranked, PAGE_SIZE).get_page(params.get("page"))
    page.object_list = list(page.object_list)
    query = params.copy()
    query.pop("page", None)
    return {
        "group": group,
        "settings": settings,
        "framework": framework,
        "filters": filters,
        "sort": sort,
        "sorts": SORTS,
        "page": page,
        # Row links are built from this prefix: reversing two URLs for each of 50 rows
        # costs more than the rest of the row.
        "backlog_root": reverse("backlog:index"),
        "query": query.urlencode(),
        "can_score": policy.allows(user, group, Action.CREATE),
        "scoreable": SCOREABLE_STATUSES,
        "highlight": highlight,
        "plot": _frame(_plot(page.object_list)),
        "portfolio": selectors.portfolio(group),
        "can_manage": policy.allows(user, group, Action.MANAGE),
    }


class BacklogView(PolicyRequiredMixin, TemplateView):
    """The ranked backlog of one of your groups (`?group=<slug>`, else your first)."""

    template_name = "backlog/index.html"

    def get_policy_target(self) -> PolicyTarget:
        groups = list(WorkingGroup.objects.visible_to(self.request.user).order_by("name"))
        slug = self.request.GET.get("group")
        if slug:
            self.group = next((g for g in groups if g.slug == slug), None)
            if self.group is None:
                raise Http404("No such working group.")
        else:
            self.group = groups[0] if groups else None
        self.groups = groups
        return PolicyTarget(group=self.group)

    def get(self, request, *args, **kwargs):
        if self.group is None:
            return render(request, "backlog/no_group.html")
        context = ranking_context(request, self.group, request.GET)
        if request.htmx and request.htmx.target == "ranking":
            return render(request, "backlog/_ranking.html", context)
        context.update(groups=self.groups, can_create=context["can_score"])
        return render(request, self.template_name, context)


# --- one hypothesis ----------------------------------------------------------------------


class HypothesisMixin(PolicyRequiredMixin):
    """Pages about one hypothesis; one in a group you are not in is a 404."""

    def get_hypothesis(self) -> Hypothesis:
        if not hasattr(self, "_hypothesis"):
            try:
                self._hypothesis = selectors.hypothesis_detail(self.kwargs["pk"], self.request.user)
            except Hypothesis.DoesNotExist as exc:
                raise Http404("No such hypothesis.") from exc
        return self._hypothesis

    def get_policy_target(self) -> PolicyTarget:
        h = self.get_hypothesis()
        return PolicyTarget(group=h.working_group_id, owner_id=h.owner_id)


def _transition_choices(user, hypothesis: Hypothesis) -> list[tuple[str, str]]:
    """The steps this person may take from here, for the transition form."""
    labels = dict(Status.choices)
    return [
        (status, labels[status])
        for status in services.allowed_transitions(hypothesis)
        if policy.allows(
            user,
            hypothesis.working_group_id,
            services.transition_action(hypothesis.status, status),
            owner_id=hypothesis.owner_id,
        )
    ]


class HypothesisDetailView(HypothesisMixin, View):
    template_name = "backlog/detail.html"

    def context(self, score_form=None, transition_form=None) -> dict:
        request, h = self.request, self.get_hypothesis()
        group = h.working_group
        settings = selectors.backlog_settings(group)
        criteria = list(settings.framework.criteria.all())
        scores = list(selectors.scores_for(h).prefetch_related("revisions"))
        summaries = selectors.summaries_for(h)
        mine = next(
            (
                s
                for s in scores
                if s.scorer_id == request.user.pk and s.framework_id == settings.framework_id
            ),
            None,
        )
        can_score = h.status in SCOREABLE_STATUSES and policy.allows(
            request.user, group, Action.CREATE
        )
        if score_form is None and can_score:
            initial = {**(mine.values if mine else {}), "comment": mine.comment if mine else ""}
            score_form = ScoreForm(criteria=criteria, initial=initial)
        choices = _transition_choices(request.user, h)
        if transition_form is None and choices:
            transition_form = TransitionForm(choices=choices)
        by_framework: dict[int, dict] = {}
        for s in scores:
            entry = by_framework.setdefault(
                s.framework_id,
                {"framework": s.framework, "summary": summaries.get(s.framework_id), "scores": []},
            )
            entry["scores"].append(s)
        current = by_framework.pop(settings.framework_id, None)
        return {
            "h": h,
            "group": group,
            "framework": settings.framework,
            "criteria": criteria,
            "current": current,
            "earlier": list(by_framework.values()),
            "my_score": mine,
            "can_score": can_score,
            "can_edit": policy.allows(request.user, group, Action.EDIT, owner_id=h.owner_id),
            "score_form": score_form,
            "transition_form": transition_form,
            "discuss_spread": scoring.DISCUSS_SPREAD,
        }

    def get(self, request, pk):
        return render(request, self.template_name, self.context())


class TransitionView(HypothesisDetailView):
    """Move the hypothesis along the workflow; the service decides who may take which step."""

    def get(self, request, pk):
        return redirect("backlog:hypothesis", pk=pk)

    def post(self, request, pk):
        h = self.get_hypothesis()
        form = TransitionForm(request.POST, choices=[(s, s) for s in Status.values])
        if form.is_valid():
            try:
                services.hypothesis_transition(
                    actor=request.user,
                    hypothesis=h,
                    to_status=form.cleaned_data["to_status"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                messages.success(request, f"Moved to {h.get_status_display().lower()}.")
                return redirect("backlog:hypothesis", pk=pk)
        form.fields["to_status"].choices = _transition_choices(request.user, h)
        return render(request, self.template_name, self.context(transition_form=form), status=400)


class ScoreView(HypothesisDetailView):
    """Score inline (htmx: the ranking re-renders with the new order) or on the detail page."""

    def _criteria(self):
        return list(
            selectors.backlog_settings(self.get_hypothesis().working_group).framework.criteria.all()
        )

    def get(self, request, pk):
        if not request.htmx:
            return redirect("backlog:hypothesis", pk=pk)
        h = self.get_hypothesis()
        mine = Score.objects.filter(
            hypothesis=h,
            scorer=request.user,
            framework=selectors.backlog_settings(h.working_group).framework,
        ).first()
        initial = {**(mine.values if mine else {}), "comment": mine.comment if mine else ""}
        return render(
            request,
            "backlog/_score_form.html",
            {
                "h": h,
                "form": ScoreForm(criteria=self._criteria(), initial=initial),
                "return_query": request.GET.get("return_query", ""),
            },
        )

    def post(self, request, pk):
        h = self.get_hypothesis()
        form = ScoreForm(request.POST, criteria=self._criteria())
        if form.is_valid():
            try:
                services.score_submit(
                    actor=request.user,
                    hypothesis=h,
                    values=form.values(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                add_service_errors(exc, form, prefix="values.")
            else:
                if not request.htmx:
                    messages.success(request, "Your score is saved.")
                    return redirect("backlog:hypothesis", pk=pk)
                params = QueryDict(request.POST.get("return_query", "")[:2000])
                context = ranking_context(request, h.working_group, params, highlight=h.pk)
                return render(request, "backlog/_ranking.html", context)
        if request.htmx:
            response = render(
                request,
                "backlog/_score_form.html",
                {"h": h, "form": form, "return_query": request.POST.get("return_query", "")},
            )
            # htmx swaps only 2xx answers: send the form back in place of itself.
            response["HX-Retarget"] = f"#score-form-{h.pk}"
            response["HX-Reswap"] = "outerHTML"
            return response
        return render(request, self.template_name, self.context(score_form=form), status=400)


# --- propose and edit --------------------------------------------------------------------


class ProposeView(GroupPageMixin, View):
    policy_action = Action.CREATE
    template_name = "backlog/form.html"

    def get(self, request, slug):
        form = HypothesisForm(group=self.get_group())
        return render(request, self.template_name, {"form": form, "group": self.get_group()})

    def post(self, request, slug):
        group = self.get_group()
        form = HypothesisForm(request.POST, group=group)
        if form.is_valid():
            try:
                h = services.hypothesis_propose(
                    actor=request.user, group=group, **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                messages.success(request, "Proposed. Score it to place it in the ranking.")
                return redirect("backlog:hypothesis", pk=h.pk)
        return render(request, self.template_name, {"form": form, "group": group}, status=400)


class EditView(HypothesisMixin, View):
    policy_action = Action.EDIT
    template_name = "backlog/form.html"

    def get(self, request, pk):
        h = self.get_hypothesis()
        form = HypothesisForm(instance=h, group=h.working_group)
        return render(request, self.template_name, {"form": form, "group": h.working_group, "h": h})

    def post(self, request, pk):
        h = self.get_hypothesis()
        form = HypothesisForm(request.POST, instance=h, group=h.working_group)
        if form.is_valid():
            changes = form.service_kwargs()
            if changes.get("owner") is None:
                changes.pop("owner")
            try:
                services.hypothesis_update(
                    actor=request.user, hypothesis=Hypothesis.objects.get(pk=pk), **changes
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                messages.success(request, "Saved.")
                return redirect("backlog:hypothesis", pk=pk)
        return render(
            request,
            self.template_name,
            {"form": form, "group": h.working_group, "h": h},
            status=400,
        )


# --- framework settings ------------------------------------------------------------------


class FrameworkSettingsView(GroupPageMixin, View):
    """Everyone in the group sees the frameworks; the program manager chooses and defines them."""

    template_name = "backlog/frameworks.html"

    def context(self, framework_form=None, criteria_formset=None, target_form=None) -> dict:
        group = self.get_group()
        user = self.request.user
        return {
            "group": group,
            "settings": selectors.backlog_settings(group),
            "frameworks": selectors.frameworks_for(group),
            "can_manage": policy.allows(user, group, Action.MANAGE),
            "can_configure": policy.allows(user, group, Action.CONFIGURE),
            "framework_form": framework_form or FrameworkForm(),
            "criteria_formset": criteria_formset or CriterionFormSet(prefix="criteria"),
            "target_form": target_form
            or TargetForm(initial={"product_share_target": group.product_share_target}),
            "discuss_spread": scoring.DISCUSS_SPREAD,
        }

    def get(self, request, slug):
        return render(request, self.template_name, self.context())


class FrameworkCreateView(FrameworkSettingsView):
    policy_action = Action.MANAGE

    def get(self, request, slug):
        return redirect("backlog:frameworks", slug=slug)

    def post(self, request, slug):
        form = FrameworkForm(request.POST)
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if form.is_valid() and formset.is_valid():
            try:
                framework = services.framework_create(
                    actor=request.user,
                    group=self.get_group(),
                    criteria=criteria_from(formset),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                messages.success(request, f"{framework.name} is ready; choose it to use it.")
                return redirect("backlog:frameworks", slug=slug)
        return render(
            request,
            self.template_name,
            self.context(framework_form=form, criteria_formset=formset),
            status=400,
        )


class TargetView(FrameworkSettingsView):
    policy_action = Action.MANAGE

    def get(self, request, slug):
        return redirect("backlog:frameworks", slug=slug)

    def post(self, request, slug):
        form = TargetForm(request.POST)
        if form.is_valid():
            account_services.working_group_update(
                actor=request.user, group=self.get_group(), **form.cleaned_data
            )
            messages.success(request, "Portfolio target saved.")
            return redirect(_backlog_url(self.get_group()))
        return render(request, self.template_name, self.context(target_form=form), status=400)


class FrameworkActionView(PolicyRequiredMixin, View):
    """Choose or delete one framework (a POST from the settings page)."""

    policy_action = Action.MANAGE
    operation = ""

    def get_policy_target(self) -> PolicyTarget:
        groups = WorkingGroup.objects.visible_to(self.request.user)
        self.framework = get_object_or_404(
            ScoringFramework.objects.select_related("working_group"),
            pk=self.kwargs["pk"],
            working_group__in=groups,
        )
        return PolicyTarget(group=self.framework.working_group)

    def get(self, request, pk):
        return redirect("backlog:frameworks", slug=self.framework.working_group.slug)

    def post(self, request, pk):
        framework = self.framework
        try:
            if self.operation == "choose":
                services.framework_choose(actor=request.user, framework=framework)
                messages.success(
                    request,
                    f"The group now scores with {framework.name}. Earlier scores are kept; "
                    "members are asked to rescore.",
                )
            else:
                services.framework_delete(actor=request.user, framework=framework)
                messages.success(request, f"{framework.name} deleted.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("backlog:frameworks", slug=framework.working_group.slug)
