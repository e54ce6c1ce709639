"""The results: the section on the experiment's page (and its own page), the CSV download,
"Refresh now" and the pull's progress that the page polls."""

import csv
import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from apps.accounts import policy
from apps.accounts.permissions import PolicyRequiredMixin
from apps.accounts.policy import Action, PolicyTarget
from apps.experiments import charts, selectors, services
from apps.experiments.models import Experiment, Snapshot
from apps.experiments.services.snapshots import PULLABLE

from .common import ExperimentMixin, error_text, form_error_status

RESULTS_CHANGED = "experiment-results-changed"


def pull_context(pull: dict | None) -> dict:
    """The pull's state for _pull.html: its time as a datetime, and the neutral sentence a
    failed pull shows those who may not read its error."""
    taken = (pull or {}).get("taken_at")
    return {
        "pull": pull,
        "pull_when": datetime.datetime.fromisoformat(taken) if taken else None,
        "neutral_failure": selectors.FAILED_PULL_NEUTRAL,
    }


def results_context(request, exp: Experiment, sizing=None, **extra) -> dict:
    """What the results section renders: the summary the API shares, laid out as charts.
    `sizing` is the experiment's, when the caller has computed it already."""
    summary = selectors.results_summary(exp, user=request.user)
    analysis = summary["analysis"]
    names = {m.get("key"): m.get("name") for m in analysis.get("metrics") or ()}
    segments = [
        {**seg, "metric_name": names.get(seg.get("metric")) or seg.get("metric")}
        for seg in analysis.get("segments") or ()
    ]
    taken = (summary["snapshot"] or {}).get("taken_at")
    points = summary["cumulative"]["points"]
    return {
        "experiment": exp,
        "summary": summary,
        "analysis": analysis,
        "forest": charts.forest(analysis),
        "forest_narrow": charts.forest(analysis, charts.FOREST_NARROW),
        "cumulative_chart": charts.cumulative(points),
        "cumulative_narrow": charts.cumulative(points, charts.LINE_NARROW),
        "segments": segments,
        "simpson": any(s.get("simpson") for s in segments),
        "can_refresh": exp.status in PULLABLE and exp.data_source_id is not None
        and policy.allows(request.user, exp.working_group_id, Action.CREATE),
        "refresh_error": "",
        "analysis_method": exp.method,
        "snapshot_when": datetime.datetime.fromisoformat(taken) if taken else None,
        # What a unit is called ("users", "clusters"): the sizing's one definition.
        "sizing": sizing or services.experiment_sizing(exp),
        **pull_context(summary["pull"]),
        **extra,
    }  # fmt: skip


class ResultsView(ExperimentMixin, View):
    def get(self, request, pk):
        exp = self.get_experiment()
        context = results_context(request, exp)
        name = "experiments/_results.html" if request.htmx else "experiments/results.html"
        return render(request, name, context)


class RefreshView(ExperimentMixin, View):
    """ "Refresh now": queue a pull (or find the one waiting) and show its progress."""

    policy_action = Action.CREATE

    def post(self, request, pk):
        exp = self.get_experiment()
        try:
            services.experiment_refresh(actor=request.user, experiment=exp)
        except ValidationError as exc:
            if not request.htmx:
                return HttpResponse(error_text(exc), status=400, content_type="text/plain")
            context = results_context(request, exp, refresh_error=error_text(exc))
            return render(request, "experiments/_results.html", context,
                          status=form_error_status(request))  # fmt: skip
        if request.htmx:
            # Without a broker the job has already run: the section shows its outcome.
            return render(request, "experiments/_results.html", results_context(request, exp))
        return redirect(reverse("experiments:detail", args=[exp.pk]) + "#results")


class SnapshotView(PolicyRequiredMixin, View):
    """How a pull is going: queued, running, done or failed (with why, to admins)."""

    def get_policy_target(self) -> PolicyTarget:
        try:
            self.snapshot = selectors.snapshot_for(self.request.user, self.kwargs["pk"])
        except Snapshot.DoesNotExist as exc:
            raise Http404("No such snapshot.") from exc
        return PolicyTarget(group=self.snapshot.experiment.working_group_id)

    def get(self, request, pk):
        snapshot, exp = self.snapshot, self.snapshot.experiment
        show_error = policy.allows(request.user, exp.working_group_id, Action.CONFIGURE)
        context = {
            "experiment": exp,
            **pull_context(selectors.pull_status(snapshot, show_error=show_error)),
        }
        if not request.htmx:
            return render(request, "experiments/pull.html", context)
        response = render(request, "experiments/_pull.html", context)
        if snapshot.is_finished:
            # The results section listens for this and reloads itself with the new snapshot.
            response["HX-Trigger"] = RESULTS_CHANGED
        return response


def _cell(value) -> str | float | int:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_COLUMNS = (
    "section", "metric", "metric_name", "role", "arm", "segment", "segment_value", "n", "sum",
    "sum_squares", "mean_control", "mean_treatment", "absolute_effect", "relative_lift",
    "ci_low", "ci_high", "p_value", "p_value_unadjusted", "significant", "guardrail", "simpson",
)  # fmt: skip
ARM_COLUMNS = (
    "mean_control", "mean_treatment", "absolute_effect", "relative_lift", "ci_low", "ci_high",
    "p_value", "p_value_unadjusted", "significant", "guardrail",
)  # fmt: skip
SEGMENT_COLUMNS = ("n", "relative_lift", "ci_low", "ci_high", "p_value", "simpson")
STATISTIC_COLUMNS = ("segment", "segment_value", "n", "sum", "sum_squares")


def csv_rows(snapshot: Snapshot) -> list[dict]:
    """The snapshot as one table: a `result` row per metric × treatment, a `segment` row per
    breakdown cell, then the sufficient `statistic` rows the analysis was computed from."""
    analysis = snapshot.analysis or {}
    metrics = {m.get("key"): m for m in analysis.get("metrics") or ()}

    def about(section: str, key, arm) -> dict:
        metric = metrics.get(key, {})
        return {"section": section, "metric": key, "metric_name": metric.get("name"),
                "role": metric.get("role"), "arm": arm}  # fmt: skip

    rows = [
        {**about("result", key, arm.get("name")), **{k: arm.get(k) for k in ARM_COLUMNS}}
        for key, metric in metrics.items()
        for arm in metric.get("arms") or ()
    ]
    rows += [
        {**about("segment", seg.get("metric"), seg.get("arm")), "segment": seg.get("attribute"),
         "segment_value": seg.get("value"), **{k: seg.get(k) for k in SEGMENT_COLUMNS}}
        for seg in analysis.get("segments") or ()
    ]  # fmt: skip
    rows += [
        {**about("statistic", stat.get("metric"), stat.get("variant")),
         **{k: stat.get(k) for k in STATISTIC_COLUMNS}}
        for stat in snapshot.stats or ()
    ]  # fmt: skip
    return rows


class ResultsCsvView(ExperimentMixin, View):
    def get(self, request, pk):
        exp = self.get_experiment()
        snapshot = selectors.current_snapshot(exp)
        if snapshot is None:
            raise Http404("No results yet.")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = f"{snapshot.taken_at:%Y%m%d-%H%M}" if snapshot.taken_at else "snapshot"
        response["Content-Disposition"] = (
            f'attachment; filename="{exp.key}-run{exp.run}-{stamp}.csv"'
        )
        writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in csv_rows(snapshot):
            writer.writerow({k: _cell(row.get(k)) for k in CSV_COLUMNS})
        return response
