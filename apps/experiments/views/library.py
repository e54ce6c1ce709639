"""The metric library and the data sources it reads.

Members write metrics; a metric's SQL is run once on its source when saved, and the
database's or the parser's words come back beside the SQL field. Data sources are
configuration: only admins create or change one, and only admins see their settings and
SQL; the others see their names.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts import policy
from apps.accounts.models import WorkingGroup
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.core.forms import add_service_errors
from apps.experiments import services
from apps.experiments.forms import MetricForm, SourceForm
from apps.experiments.models import DataSource, Metric

from .common import GroupMixin, error_text, form_error_status


def _to(request, name: str, group: WorkingGroup):
    url = f"{reverse(name)}?group={group.slug}"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _form_page(request, template: str, context: dict, status: int = 200):
    """The form alone for htmx (its errors swapped in place), the whole page otherwise."""
    if request.htmx:
        return render(request, "experiments/_form.html", context, status=status)
    return render(request, template, context, status=status)


class MetricListView(GroupMixin, View):
    def get(self, request):
        user, group = request.user, self.group
        metrics = [
            {"m": m, "can_edit": policy.allows(user, group, Action.EDIT, owner_id=m.owner_id)}
            for m in Metric.objects.filter(working_group=group).select_related(
                "data_source", "owner"
            )
        ]
        return render(request, "experiments/metrics.html", {
            "group": group,
            "groups": WorkingGroup.objects.visible_to(user).order_by("name"),
            "metrics": metrics,
            "can_create": policy.allows(user, group, Action.CREATE),
            "has_sources": DataSource.objects.filter(working_group=group).exists(),
        })  # fmt: skip


class MetricCreateView(GroupMixin, View):
    policy_action = Action.CREATE

    def _page(self, request, form, status=200):
        return _form_page(request, "experiments/metric_form.html", {
            "form": form, "group": self.group, "action": request.path + f"?group={self.group.slug}",
            "title": "New metric", "submit": "Save the metric",
            "cancel": f"{reverse('experiments:metrics')}?group={self.group.slug}",
        }, status)  # fmt: skip

    def get(self, request):
        return self._page(request, MetricForm(group=self.group))

    def post(self, request):
        form = MetricForm(request.POST, group=self.group)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.metric_create(
                    actor=request.user, group=self.group, source=data.pop("data_source"), **data
                )
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _to(request, "experiments:metrics", self.group)
        return self._page(request, form, form_error_status(request))


class MetricEditView(PolicyRequiredMixin, View):
    policy_action = Action.EDIT
    metric: Metric

    def get_policy_target(self) -> PolicyTarget:
        groups = WorkingGroup.objects.visible_to(self.request.user)
        metric = (
            Metric.objects.filter(working_group__in=groups, pk=self.kwargs["pk"])
            .select_related("working_group", "data_source")
            .first()
        )
        if metric is None:
            raise Http404("No such metric.")
        self.metric = metric
        return PolicyTarget(group=metric.working_group_id, owner_id=metric.owner_id)

    def _form(self, data=None) -> MetricForm:
        m = self.metric
        initial = {"name": m.name, "direction": m.direction, "description": m.description,
                   "tags": ", ".join(m.tags), "sql": m.sql, "covariate_sql": m.covariate_sql}  # fmt: skip
        return MetricForm(data, group=m.working_group, editing=True, initial=initial)

    def _page(self, request, form, status=200):
        m = self.metric
        return _form_page(request, "experiments/metric_form.html", {
            "form": form, "group": m.working_group, "metric": m, "action": request.path,
            "title": f"Edit “{m.name}”", "submit": "Save",
            "cancel": f"{reverse('experiments:metrics')}?group={m.working_group.slug}",
        }, status)  # fmt: skip

    def get(self, request, pk):
        return self._page(request, self._form())

    def post(self, request, pk):
        form = self._form(request.POST)
        if form.is_valid():
            changes = {f: form.cleaned_data[f] for f in form.changed_data}
            try:
                if changes:
                    services.metric_update(actor=request.user, metric=self.metric, **changes)
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _to(request, "experiments:metrics", self.metric.working_group)
        return self._page(request, form, form_error_status(request))


def shown_config(source: DataSource) -> str:
    """An admin's view of a source's settings: names of environment variables, a path or a
    host; never a secret, since the service stores none."""
    return json.dumps(source.config, indent=1, sort_keys=True)


def source_row(source: DataSource, *, configure: bool, error: str = "") -> dict:
    """A source as its row shows it: the settings only to admins."""
    return {
        "s": source,
        "config": shown_config(source) if configure else "",
        "measure_error": error,
    }


def sources_context(request, group: WorkingGroup, errors: dict | None = None) -> dict:
    """The group's sources; settings and SQL only for admins. `errors` maps a source's id to
    why measuring its traffic failed."""
    user = request.user
    configure = policy.allows(user, group, Action.CONFIGURE)
    sources = [
        source_row(s, configure=configure, error=(errors or {}).get(s.pk, ""))
        for s in DataSource.objects.filter(working_group=group)
    ]
    return {
        "group": group,
        "groups": WorkingGroup.objects.visible_to(user).order_by("name"),
        "sources": sources,
        "can_configure": configure,
        "can_measure": configure,
    }


class SourceListView(GroupMixin, View):
    def get(self, request):
        return render(request, "experiments/sources.html", sources_context(request, self.group))


class SourceCreateView(GroupMixin, View):
    policy_action = Action.CONFIGURE

    def _page(self, request, form, status=200):
        return _form_page(request, "experiments/source_form.html", {
            "form": form, "group": self.group, "action": request.path + f"?group={self.group.slug}",
            "title": "New data source", "submit": "Save the data source",
            "cancel": f"{reverse('experiments:sources')}?group={self.group.slug}",
        }, status)  # fmt: skip

    def get(self, request):
        return self._page(request, SourceForm(initial={"config": '{"path": ""}'}))

    def post(self, request):
        form = SourceForm(request.POST)
        if form.is_valid():
            try:
                services.data_source_create(actor=request.user, group=self.group,
                                            **form.cleaned_data)  # fmt: skip
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _to(request, "experiments:sources", self.group)
        return self._page(request, form, form_error_status(request))


class SourceMixin(PolicyRequiredMixin):
    policy_action = Action.CONFIGURE
    request: HttpRequest
    kwargs: dict[str, Any]
    source: DataSource

    def get_policy_target(self) -> PolicyTarget:
        groups = WorkingGroup.objects.visible_to(self.request.user)
        source = (
            DataSource.objects.filter(working_group__in=groups, pk=self.kwargs["pk"])
            .select_related("working_group")
            .first()
        )
        if source is None:
            raise Http404("No such data source.")
        self.source = source
        return PolicyTarget(group=source.working_group_id)


class SourceEditView(SourceMixin, View):
    def _form(self, data=None) -> SourceForm:
        s = self.source
        initial = {"name": s.name, "config": shown_config(s), "assignment_sql": s.assignment_sql,
                   "segment_columns": ", ".join(s.segment_columns)}  # fmt: skip
        return SourceForm(data, editing=True, initial=initial)

    def _page(self, request, form, status=200):
        s = self.source
        return _form_page(request, "experiments/source_form.html", {
            "form": form, "group": s.working_group, "source": s, "action": request.path,
            "title": f"Edit “{s.name}”", "submit": "Save",
            "cancel": f"{reverse('experiments:sources')}?group={s.working_group.slug}",
        }, status)  # fmt: skip

    def get(self, request, pk):
        return self._page(request, self._form())

    def post(self, request, pk):
        form = self._form(request.POST)
        if form.is_valid():
            changes = {f: form.cleaned_data[f] for f in form.changed_data}
            try:
                if changes:
                    services.data_source_update(actor=request.user, source=self.source, **changes)
            except ValidationError as exc:
                add_service_errors(exc, form)
            else:
                return _to(request, "experiments:sources", self.source.working_group)
        return self._page(request, form, form_error_status(request))


class TrafficMeasureView(SourceMixin, View):
    """Measure the units first exposed per day on a source, for sample-size durations: one
    of an admin's tools on the source, as in the API."""

    def post(self, request, pk):
        error = ""
        try:
            source = services.traffic_measure(actor=request.user, source=self.source)
        except ValidationError as exc:
            source, error = self.source, error_text(exc)
        group = source.working_group
        if request.htmx:
            configure = policy.allows(request.user, group, Action.CONFIGURE)
            row = source_row(source, configure=configure, error=error)
            context = {"row": row, "can_configure": configure, "can_measure": True}
            return render(request, "experiments/_source_row.html", context)
        if error:
            context = sources_context(request, group, errors={source.pk: error})
            return render(request, "experiments/sources.html", context, status=400)
        return _to(request, "experiments:sources", group)
