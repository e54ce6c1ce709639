"""What the experiment pages share: finding the experiment or group a page is about, and
the status a refused form answers with."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import PolicyTarget
from apps.experiments import selectors
from apps.experiments.models import Experiment


def form_error_status(request) -> int:
    """422 for an htmx request, so htmx swaps the form with its errors in (base.html's
    htmx-config lets 422 through and no other 4xx); 400 for a plain form post."""
    return 422 if request.htmx else 400


def error_text(exc: ValidationError) -> str:
    """A service's refusal as one sentence, for a place that shows it above a list."""
    return " ".join(m for ms in exc.message_dict.values() for m in ms)


class ExperimentMixin(PolicyRequiredMixin):
    """Pages about one experiment; one the person may not read is a 404."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def get_experiment(self) -> Experiment:
        if not hasattr(self, "_experiment"):
            try:
                self._experiment = selectors.experiment_for(self.request.user, self.kwargs["pk"])
            except Experiment.DoesNotExist as exc:
                raise Http404("No such experiment.") from exc
        return self._experiment

    def get_policy_target(self) -> PolicyTarget:
        exp = self.get_experiment()
        return PolicyTarget(group=exp.working_group_id, owner_id=exp.owner_id)


class GroupMixin(PolicyRequiredMixin):
    """Pages about one of your groups (`?group=<slug>`, or your first group); a group you
    are not in is a 404."""

    request: HttpRequest
    group: WorkingGroup

    def get_policy_target(self) -> PolicyTarget:
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        groups = WorkingGroup.objects.visible_to(self.request.user).order_by("name")
        slug = params.get("group") or self.request.GET.get("group")
        group = groups.filter(slug=slug).first() if slug else groups.first()
        if group is None:
            raise Http404("No such working group.")
        self.group = group
        return PolicyTarget(group=group)
