"""One experiment's page: the design document, the lifecycle buttons its viewer may use,
the pre-launch checklist, sample size and duration, the history, and the results."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts import policy
from apps.accounts.policy import Action
from apps.experiments import services
from apps.experiments.checklist import run_checklist
from apps.experiments.forms import ConcludeForm, TransitionForm
from apps.experiments.models import Experiment, Status
from apps.experiments.services.lifecycle import REASON_REQUIRED

from .common import ExperimentMixin, form_error_status
from .results import results_context

ACTION_LABELS = {
    "submit": "Submit for review",
    "approve": "Approve the design",
    "request_changes": "Request changes",
    "start": "Start",
    "stop": "Stop",
    "conclude": "Conclude",
    "reset": "Reset: start a clean run",
}
ACTION_HELP = {
    "request_changes": "Back to draft; say what to change.",
    "reset": "For a setup bug: the current run's results are set aside and a new run starts. "
    "Say why.",
}
# Statuses before launch, when the checklist says what still stands in the way.
PRE_LAUNCH = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
WITH_RESULTS = (Status.RUNNING, Status.STOPPED, Status.CONCLUDED)


def lifecycle_context(request, exp: Experiment, **extra) -> dict:
    names = services.allowed_actions(exp, request.user)
    actions = [
        {"name": n, "label": ACTION_LABELS[n], "help": ACTION_HELP.get(n, ""),
         "needs_reason": n in REASON_REQUIRED}
        for n in names if n != "conclude"
    ]  # fmt: skip
    context = {
        "experiment": exp,
        "actions": actions,
        "conclude_form": extra.pop("conclude_form", None)
        or (ConcludeForm() if "conclude" in names else None),
        "errors": [],
    }
    context.update(extra)
    return context


def detail_context(request, exp: Experiment, **extra) -> dict:
    user = request.user
    can_write = policy.allows(user, exp.working_group_id, Action.CREATE)
    context = {
        "experiment": exp,
        "variants": list(exp.variants.all()),
        "metric_links": list(exp.metric_links.all()),
        "surfaces": list(exp.surfaces.all()),
        "transitions": list(exp.transitions.all()),
        "sizing": services.experiment_sizing(exp),
        "can_edit": exp.is_editable
        and policy.allows(user, exp.working_group_id, Action.EDIT, owner_id=exp.owner_id),
        "show_checklist": can_write and exp.status in PRE_LAUNCH,
        "show_results": exp.status in WITH_RESULTS,
        **lifecycle_context(request, exp, **extra),
    }
    if context["show_results"]:
        context.update(results_context(request, exp, sizing=context["sizing"]))
    return context


class DetailView(ExperimentMixin, View):
    def get(self, request, pk):
        return render(request, "experiments/detail.html",
                      detail_context(request, self.get_experiment()))  # fmt: skip


class TransitionView(ExperimentMixin, View):
    """Take one lifecycle step. Who may take which step is the service's call (it asks the
    policy): the page only offers the steps `allowed_actions` gives the viewer."""

    def post(self, request, pk):
        exp = self.get_experiment()
        action = request.POST.get("action", "")
        form = ConcludeForm(request.POST) if action == "conclude" else TransitionForm(request.POST)
        errors: list[str] = []
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.experiment_transition(
                    actor=request.user, experiment=exp, action=action,
                    reason=data.get("reason", ""), decision=data.get("decision", ""),
                    rationale=data.get("rationale", ""),
                )  # fmt: skip
            except services.ChecklistFailed as failed:
                errors = [f"{r.label}: {r.detail}" for r in failed.results if not r.passed]
            except ValidationError as exc:
                if action == "conclude":
                    for field, messages in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, messages)
                else:
                    errors = [m for ms in exc.message_dict.values() for m in ms]
            else:
                url = reverse("experiments:detail", args=[exp.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        else:
            errors = [m for ms in form.errors.values() for m in ms]
        extra = {"errors": errors, "failed_action": action}
        if action == "conclude":
            extra["conclude_form"] = form
        status = form_error_status(request)
        if request.htmx:
            return render(request, "experiments/_lifecycle.html",
                          lifecycle_context(request, exp, **extra), status=status)  # fmt: skip
        return render(request, "experiments/detail.html",
                      detail_context(request, exp, **extra), status=status)  # fmt: skip


class ChecklistView(ExperimentMixin, View):
    """The pre-launch checklist, loaded after the page: its checks run the metrics on the
    data source, which takes longer than the page should."""

    policy_action = Action.CREATE

    def get(self, request, pk):
        exp = self.get_experiment()
        results = run_checklist(exp)
        context = {"experiment": exp, "results": results,
                   "ready": all(r.passed for r in results)}  # fmt: skip
        name = "experiments/_checklist.html" if request.htmx else "experiments/checklist.html"
        return render(request, name, context)
