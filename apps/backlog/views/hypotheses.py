"""One hypothesis: its page with history and scores, moving it along, scoring it, and the
propose and edit forms.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.views import View
from django_htmx.http import reswap, retarget

from apps.accounts import policy
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.accounts.views import GroupPageMixin
from apps.backlog import scoring, selectors, services
from apps.backlog.forms import (
    HypothesisForm,
    ScoreForm,
    TransitionForm,
)
from apps.backlog.models import SCOREABLE_STATUSES, Hypothesis, Score, Status
from apps.backlog.signals import hypothesis_proposed
from apps.core.forms import add_service_errors

from .ranking import ranking_context


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

    def _flag_every_value(self, form: ScoreForm) -> None:
        """A form with an empty or unreadable value never reaches the service: check the
        values that did parse against their scales too, so every bad value shows at once."""
        framework = selectors.backlog_settings(self.get_hypothesis().working_group).framework
        parsed = {
            c.key: form.cleaned_data[c.key]
            for c in form.criteria
            if form.cleaned_data.get(c.key) is not None
        }
        errors = scoring.value_errors(framework.rule, form.criteria, parsed, partial=True)
        for field, message in errors.items():
            name = field.removeprefix("values.")
            if name in form.fields and name not in form.errors:
                form.add_error(name, message)

    def post(self, request, pk):
        h = self.get_hypothesis()
        form = ScoreForm(request.POST, criteria=self._criteria())
        if not form.is_valid():
            self._flag_every_value(form)
        else:
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
                status=422,  # htmx swaps it (base.html's responseHandling)
            )
            # The form targets the ranking for a saved score: send it back in place of itself.
            return reswap(retarget(response, f"#score-form-{h.pk}"), "outerHTML")
        return render(request, self.template_name, self.context(score_form=form), status=400)


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
                with transaction.atomic():
                    h = services.hypothesis_propose(
                        actor=request.user, group=group, **form.service_kwargs()
                    )
                    hypothesis_proposed.send(
                        sender=Hypothesis, actor=request.user, hypothesis=h, data=request.POST
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
