"""Writing a design: drafting it from an accepted hypothesis and editing it while it is a
draft or in review. Errors come back beside their fields: a 422 the form swaps in under
htmx, a 400 page without it."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.backlog.models import Hypothesis
from apps.core.forms import add_service_errors
from apps.experiments import services
from apps.experiments.forms import (
    DesignEditForm,
    DesignForm,
    audience_text,
    design_initial,
    stages_text,
    variants_text,
)
from apps.experiments.models import ExperimentType
from apps.experiments.services.templates import template_for

from .common import ExperimentMixin, form_error_status


def _saved(request, exp):
    url = reverse("experiments:detail", args=[exp.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def template_initial(type_: str) -> dict:
    """What a design of this type starts from, as form values."""
    template = template_for(type_)
    values = dict(template.fields)
    initial = {k: v for k, v in values.items() if k in DesignForm.base_fields}
    if "audience" in values:
        initial["audience"] = audience_text(values["audience"])
    if "rollout_stages" in values:
        initial["rollout_stages"] = stages_text(values["rollout_stages"])
    else:
        initial["rollout_stages"] = ""
    initial["variants"] = variants_text(template.variants)
    initial["type"] = type_
    return initial


class CreateView(PolicyRequiredMixin, View):
    """`?hypothesis=<id>`: a new design testing that hypothesis, in its group."""

    policy_action = Action.CREATE

    def get_policy_target(self) -> PolicyTarget:
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        pk = params.get("hypothesis") or self.request.GET.get("hypothesis")
        if not str(pk or "").isdigit():
            raise Http404("Draft an experiment from an accepted hypothesis.")
        hypothesis = (
            Hypothesis.objects.visible_to(self.request.user)
            .select_related("working_group")
            .filter(pk=pk)
            .first()
        )
        if hypothesis is None:
            raise Http404("No such hypothesis.")
        self.hypothesis = hypothesis
        return PolicyTarget(group=hypothesis.working_group_id)

    def _render(self, request, form, status=200, partial=False):
        context = {"form": form, "hypothesis": self.hypothesis,
                   "group": self.hypothesis.working_group}  # fmt: skip
        name = "experiments/_design_form.html" if partial else "experiments/design_form.html"
        return render(request, name, context, status=status)

    def get(self, request):
        type_ = request.GET.get("type")
        if type_ not in ExperimentType.values:
            type_ = ExperimentType.AB
        initial = {
            "title": self.hypothesis.title,
            "owner": request.user.pk,
            "baseline": None,
            **template_initial(type_),
        }
        if request.htmx and "type" in request.GET:
            # The type changed on the open form: keep what was typed, refill the template's
            # fields (variants, allocation, stages, description).
            typed = {k: v for k, v in request.GET.items() if k in DesignForm.base_fields}
            typed.pop("csrfmiddlewaretoken", None)
            initial = {**initial, **typed, **template_initial(type_)}
            for key in ("surfaces",):
                initial[key] = request.GET.getlist(key)
            initial.update({k: v for k, v in request.GET.items()
                            if k.startswith(("role_", "harm_"))})  # fmt: skip
            form = DesignForm(group=self.hypothesis.working_group, user=request.user,
                              initial=initial)  # fmt: skip
            return self._render(request, form, partial=True)
        form = DesignForm(group=self.hypothesis.working_group, user=request.user, initial=initial)
        return self._render(request, form)

    def post(self, request):
        form = DesignForm(request.POST, group=self.hypothesis.working_group, user=request.user)
        if form.is_valid():
            try:
                exp = services.experiment_create(
                    actor=request.user, hypothesis=self.hypothesis, **form.design()
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _saved(request, exp)
        return self._render(request, form, status=form_error_status(request),
                            partial=bool(request.htmx))  # fmt: skip


class EditView(ExperimentMixin, View):
    """Edit a draft or in-review design; a design saved by someone else since the form was
    opened is not overwritten (409, with the form at the saved version)."""

    policy_action = Action.EDIT

    def _form(self, data=None) -> DesignEditForm:
        exp = self.get_experiment()
        return DesignEditForm(data, group=exp.working_group, user=self.request.user,
                              initial=design_initial(exp))  # fmt: skip

    def _render(self, request, form, status=200, **extra):
        exp = self.get_experiment()
        context = {"form": form, "experiment": exp, "hypothesis": exp.hypothesis,
                   "group": exp.working_group, **extra}  # fmt: skip
        name = "experiments/_design_form.html" if request.htmx else "experiments/design_form.html"
        return render(request, name, context, status=status)

    def get(self, request, pk):
        exp = self.get_experiment()
        if not exp.is_editable:
            return redirect("experiments:detail", pk=exp.pk)
        return self._render(request, self._form())

    def post(self, request, pk):
        exp = self.get_experiment()
        form = self._form(request.POST)
        if form.is_valid():
            design = form.design()
            version = design.pop("version")
            if design["metrics"] is None and exp.metric_links.all():
                design["metrics"] = []  # every role cleared: the service says what it needs
            try:
                services.experiment_update(
                    actor=request.user, experiment=exp, version=version, **design
                )
            except services.ExperimentConflict as conflict:
                data = request.POST.copy()
                data["version"] = str(conflict.experiment.version)
                # htmx swaps no 409 (base.html): under htmx the form comes back as a 422.
                status = 422 if request.htmx else 409
                return self._render(request, self._form(data), status=status, conflict=True)
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _saved(request, exp)
        return self._render(request, form, status=form_error_status(request))
