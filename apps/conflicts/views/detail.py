"""One conflict: what collides and why, the remedy, the interaction check, and the
statistics lead's acknowledgement (an htmx form whose errors show in place). Also the
conflicts card each experiment page loads."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts import policy
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.conflicts import selectors, services
from apps.conflicts.forms import AcknowledgeForm
from apps.conflicts.models import Conflict, ConflictStatus
from apps.experiments.models import Experiment


def _error_status(request) -> int:
    """422 for htmx (base.html lets htmx swap it in), 400 for a plain form post."""
    return 422 if request.htmx else 400


class ConflictMixin(PolicyRequiredMixin):
    """Pages about one conflict; one the person may not read (either experiment) is a 404."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def get_conflict(self) -> Conflict:
        if not hasattr(self, "_conflict"):
            try:
                self._conflict = selectors.conflict_for(self.request.user, self.kwargs["pk"])
            except Conflict.DoesNotExist as exc:
                raise Http404("No such conflict.") from exc
        return self._conflict

    def get_policy_target(self) -> PolicyTarget:
        return PolicyTarget(group=self.get_conflict().working_group_id)


def detail_context(request, conflict: Conflict, **extra) -> dict:
    can_review = policy.allows(request.user, conflict.working_group_id, Action.REVIEW)
    return {
        "conflict": conflict,
        "can_acknowledge": can_review and conflict.status == ConflictStatus.OPEN,
        "can_check": conflict.experiment_b_id is not None
        and policy.allows(request.user, conflict.working_group_id, Action.CREATE),
        "form": extra.pop("form", None) or AcknowledgeForm(),
        **extra,
    }


class DetailView(ConflictMixin, View):
    def get(self, request, pk):
        return render(request, "conflicts/detail.html",
                      detail_context(request, self.get_conflict()))  # fmt: skip


class AcknowledgeView(ConflictMixin, View):
    """The statistics lead acknowledges, with a reason; the service asks the policy."""

    def post(self, request, pk):
        conflict = self.get_conflict()
        form = AcknowledgeForm(request.POST)
        if form.is_valid():
            try:
                services.conflict_acknowledge(actor=request.user, conflict=conflict,
                                              reason=form.cleaned_data["reason"])  # fmt: skip
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
                status = _error_status(request)
            else:
                url = reverse("conflicts:detail", args=[conflict.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        else:
            status = _error_status(request)
        context = detail_context(request, conflict, form=form)
        name = "conflicts/_acknowledge.html" if request.htmx else "conflicts/detail.html"
        return render(request, name, context, status=status)


class InteractionView(ConflictMixin, View):
    """Queue the interaction check on the two experiments' shared data source."""

    policy_action = Action.CREATE

    def post(self, request, pk):
        conflict = self.get_conflict()
        try:
            services.conflict_interaction_queue(conflict=conflict)
        except ValidationError as exc:
            context = detail_context(request, conflict,
                                     interaction_error=" ".join(exc.messages))  # fmt: skip
            return render(request, "conflicts/detail.html", context,
                          status=_error_status(request))  # fmt: skip
        url = reverse("conflicts:detail", args=[conflict.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


class ExperimentPanelView(PolicyRequiredMixin, View):
    """The conflicts card of an experiment's page, loaded after the page (htmx)."""

    def get_policy_target(self) -> PolicyTarget:
        try:
            self.experiment = Experiment.objects.visible_to(self.request.user).get(
                pk=self.kwargs["pk"]
            )
        except Experiment.DoesNotExist as exc:
            raise Http404("No such experiment.") from exc
        return PolicyTarget(group=self.experiment.working_group_id)

    def get(self, request, pk):
        rows = selectors.conflicts_of_experiment(request.user, self.experiment)
        return render(request, "conflicts/_experiment_panel.html",
                      {"experiment": self.experiment, "rows": rows})  # fmt: skip
