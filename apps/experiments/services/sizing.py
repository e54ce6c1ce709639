"""How many units an experiment needs and how long that takes, from its design.

The engine's `sample_size` gives units per variant for the primary metric's baseline, the
MDE, α, power and the number of arms (Bonferroni across treatments). Duration divides the
total by the daily traffic the experiment receives: the audience's units per day (typed in
the design, or measured on the data source over the last 28 days) times the allocated share
and, in a layer, its share of the layer.
"""

import datetime
from dataclasses import dataclass

from apps.experiments.models import Experiment, MetricKind, MetricRole, Unit
from apps.stats.engine import Design, StatsError, sample_size


@dataclass(frozen=True)
class Sizing:
    n_per_variant: int | None
    n_total: int | None
    daily_traffic: float | None
    traffic_source: str  # "typed", "measured" or "" (unknown)
    duration_days: int | None
    planned_days: int | None
    reachable: bool | None  # None: not enough known to say
    problem: str  # why it could not be computed, in words
    counts: str  # what a unit is: "users", or "clusters" for cluster randomisation

    def to_dict(self) -> dict:
        return {
            "n_per_variant": self.n_per_variant,
            "n_total": self.n_total,
            "daily_traffic": self.daily_traffic,
            "traffic_source": self.traffic_source,
            "duration_days": self.duration_days,
            "planned_days": self.planned_days,
            "reachable": self.reachable,
            "problem": self.problem,
            "counts": self.counts,
        }


def _primary_kind(exp: Experiment) -> str | None:
    for link in exp.metric_links.all():
        if link.role == MetricRole.PRIMARY:
            return link.metric.kind
    return None


def experiment_sizing(exp: Experiment) -> Sizing:
    counts = "clusters" if exp.unit == Unit.CLUSTER else f"{exp.get_unit_display().lower()}s"
    planned = (
        (exp.planned_end - exp.planned_start).days
        if isinstance(exp.planned_start, datetime.date)
        and isinstance(exp.planned_end, datetime.date)
        else None
    )
    if exp.daily_traffic:
        traffic, source = exp.daily_traffic, "typed"
    elif exp.data_source is not None and exp.data_source.daily_traffic:
        traffic, source = exp.data_source.daily_traffic, "measured"
    else:
        traffic, source = None, ""

    def unknown(problem: str) -> Sizing:
        return Sizing(None, None, traffic, source, None, planned, None, problem, counts)

    kind = _primary_kind(exp)
    if kind is None:
        return unknown("Name a primary metric to size the experiment.")
    if exp.baseline is None:
        return unknown("Give the primary metric's baseline (today's rate or mean).")
    binomial = kind == MetricKind.BINOMIAL
    if not binomial and not exp.baseline_sd:
        return unknown("Give the baseline's standard deviation per unit.")
    arms = max(2, len(exp.variants.all()))
    try:
        design = Design(
            metric_type="binomial" if binomial else "continuous",
            mde=exp.mde,
            baseline=exp.baseline if binomial else None,
            baseline_mean=None if binomial else exp.baseline,
            baseline_sd=None if binomial else exp.baseline_sd,
            alpha=exp.alpha,
            power=exp.power,
            variants=arms,
        )
        share = (exp.allocation / 100) * (exp.layer_share / 100 if exp.layer_id else 1)
        size = sample_size(design, daily_traffic=traffic, allocation=share)
    except StatsError as error:
        return unknown(f"{error.field}: {error.message}")
    reachable = None
    if size.duration_days is not None and planned is not None:
        reachable = size.duration_days <= planned
    return Sizing(
        size.n_per_variant, size.n_total, traffic, source, size.duration_days, planned,
        reachable, "", counts,
    )  # fmt: skip
