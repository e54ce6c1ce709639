"""The framework settings page: the group's frameworks, the current one, and the portfolio
target; the program manager defines, chooses and deletes frameworks here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apps.accounts import policy
from apps.accounts import services as account_services
from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.accounts.views import GroupPageMixin
from apps.backlog import scoring, selectors, services
from apps.backlog.forms import (
    CriterionFormSet,
    FrameworkForm,
    RankingSettingsForm,
    TargetForm,
    criteria_from,
)
from apps.backlog.models import ScoringFramework
from apps.core.forms import add_service_errors

from .ranking import backlog_url


class FrameworkSettingsView(GroupPageMixin, View):
    """Everyone in the group sees the frameworks; the program manager chooses and defines them."""

    template_name = "backlog/frameworks.html"

    def context(self, framework_form=None, criteria_formset=None, target_form=None) -> dict:
        group = self.get_group()
        user = self.request.user
        settings = selectors.backlog_settings(group)
        return {
            "group": group,
            "settings": settings,
            "ranking_form": RankingSettingsForm(
                initial={"proposer_scores_count": settings.proposer_scores_count}
            ),
            "prior_weight": selectors.PRIOR_WEIGHT,
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
            return redirect(backlog_url(self.get_group()))
        return render(request, self.template_name, self.context(target_form=form), status=400)


class RankingSettingsView(FrameworkSettingsView):
    """The program manager decides whether proposers' self-scores count in the ranking."""

    policy_action = Action.MANAGE

    def get(self, request, slug):
        return redirect("backlog:frameworks", slug=slug)

    def post(self, request, slug):
        form = RankingSettingsForm(request.POST)
        form.is_valid()  # one optional checkbox: always valid
        settings = services.ranking_settings_update(
            actor=request.user,
            group=self.get_group(),
            proposer_scores_count=form.cleaned_data["proposer_scores_count"],
        )
        messages.success(
            request,
            "Proposers' self-scores now count in the ranking."
            if settings.proposer_scores_count
            else "Proposers' self-scores no longer count in the ranking.",
        )
        return redirect(backlog_url(self.get_group()))


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
