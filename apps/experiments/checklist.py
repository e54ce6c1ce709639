"""The pre-launch checklist: what must hold before an experiment may start running.

Checks are registered, so a capability that arrives later adds its own without editing
this module: the conflicts app registers "no blocking conflicts" from its own
`launch_checks.py` (found by ExperimentsConfig.ready). A check is
`fn(experiment) -> CheckOutcome`; it may read the data source, and it must not write.
"""

from collections.abc import Callable
from dataclasses import dataclass

from apps.experiments.models import Experiment, Status


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    detail: str


@dataclass(frozen=True)
class CheckResult:
    name: str
    label: str
    passed: bool
    detail: str

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "passed": self.passed,
                "detail": self.detail}  # fmt: skip


@dataclass(frozen=True)
class LaunchCheck:
    name: str
    label: str
    order: int
    fn: Callable[[Experiment], CheckOutcome]


_CHECKS: dict[str, LaunchCheck] = {}


def launch_check(name: str, *, label: str, order: int):
    """Register `fn(experiment) -> CheckOutcome`; re-registering a name replaces it."""

    def register(fn):
        _CHECKS[name] = LaunchCheck(name=name, label=label, order=order, fn=fn)
        return fn

    return register


def run_checklist(experiment: Experiment) -> list[CheckResult]:
    results = []
    for check in sorted(_CHECKS.values(), key=lambda c: (c.order, c.name)):
        outcome = check.fn(experiment)
        results.append(CheckResult(check.name, check.label, outcome.passed, outcome.detail))
    return results


# --- the checks this app brings -----------------------------------------------------------


@launch_check("approved", label="Design approved by the statistics lead", order=10)
def _approved(exp: Experiment) -> CheckOutcome:
    if exp.approved_by_id and exp.status in (Status.APPROVED, Status.RUNNING, Status.STOPPED):
        name = exp.approved_by.display_name if exp.approved_by else "the statistics lead"
        return CheckOutcome(True, f"Approved by {name} on {exp.approved_at:%-d %b %Y}.")
    return CheckOutcome(False, "The statistics lead has not approved this design yet.")


@launch_check(
    "metrics", label="Every metric compiles and returns rows on its data source", order=20
)
def _metrics(exp: Experiment) -> CheckOutcome:
    from apps.experiments.sources import connect, metric_query
    from apps.experiments.warehouse import WarehouseError, probe_metric

    links = list(exp.metric_links.select_related("metric"))
    if exp.data_source is None:
        return CheckOutcome(False, "Choose the data source the results come from.")
    if not links:
        return CheckOutcome(False, "The design names no metrics.")
    empty = []
    try:
        warehouse = connect(exp.data_source)
        try:
            for link in links:
                rows = probe_metric(
                    warehouse, exp.data_source.assignment_sql, metric_query(link.metric)
                )
                if not rows:
                    empty.append(link.metric.name)
        finally:
            warehouse.close()
    except WarehouseError as error:
        return CheckOutcome(False, str(error))
    if empty:
        return CheckOutcome(False, f"No rows yet for: {', '.join(empty)}.")
    return CheckOutcome(True, f"{len(links)} metric(s) ran on {exp.data_source.name}.")


@launch_check("sample", label="The sample size is reachable within the planned dates", order=30)
def _sample(exp: Experiment) -> CheckOutcome:
    from apps.experiments.services.sizing import experiment_sizing

    sizing = experiment_sizing(exp)
    if sizing.problem:
        return CheckOutcome(False, sizing.problem)
    if sizing.duration_days is None:
        return CheckOutcome(False, "Give the daily traffic, or measure it on the data source.")
    if sizing.planned_days is None:
        return CheckOutcome(False, "Give the planned start and end.")
    words = (f"{sizing.n_total:,} {sizing.counts} in {sizing.duration_days} days; "
             f"{sizing.planned_days} planned.")  # fmt: skip
    return CheckOutcome(bool(sizing.reachable), words)
