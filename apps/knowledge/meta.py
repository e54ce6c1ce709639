"""The program's meta-analysis: what its concluded experiments add up to.

Read from the experiments a person may see (so a confidential plan's experiments never
count for someone who may not read the plan), optionally narrowed to a working group, a
business unit (the tested hypothesis's) and a quarter (when the experiment concluded):

- velocity: experiments concluded per quarter, and how many shipped;
- win rate: the share that shipped a significant primary result in the good direction;
- the distribution of observed primary lifts, in each metric's good direction
  (+2 % is better whether the metric should rise or fall);
- cumulative impact per primary metric: the shipped experiments' lifts summed, raw and
  corrected for the winner's curse. The correction is the normal–normal empirical-Bayes
  shrinkage of `apps.stats.engine.shrinkage`, fitted across all concluded experiments on
  that metric (shipped or not: fitting on the winners alone would keep their luck) once at
  least six exist; with fewer, across the whole program's experiments (lifts in the good
  direction), again once at least six exist; below that, no correction is claimed;
- per metric (primary, secondary and guardrail), how often it moved significantly.

A/A checks test the platform, not an idea: they are counted in the velocity and left out of
every other figure. Lifts are relative and summed as such: a first-order total that ignores
compounding and interactions (the holdouts measure those).
"""

import datetime
import itertools
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from apps.accounts.models import BusinessUnit, WorkingGroup
from apps.experiments import selectors
from apps.experiments.models import Decision, ExperimentType, MetricRole, Status
from apps.stats.engine.shrinkage import MIN_EXPERIMENTS, Effect, StatsError, empirical_bayes

QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)
BIN_WIDTH = 0.01  # histogram bins of one percentage point
HIST_LIMIT = 0.10  # lifts beyond ±10 % fall in the two outer bins


@dataclass(frozen=True)
class MetaFilters:
    group: WorkingGroup | None = None
    business_unit: BusinessUnit | None = None
    quarter: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        return {
            "group": self.group.slug if self.group else None,
            "business_unit": self.business_unit.slug if self.business_unit else None,
            "quarter": quarter_label(*self.quarter) if self.quarter else None,
        }


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def parse_filters(user, params) -> MetaFilters:
    """The page's and the API's filters from query parameters; a bad one is a 400 naming it."""
    group = unit = None
    quarter = None
    slug = (params.get("group") or "").strip()
    if slug:
        if "\x00" in slug or len(slug) > 100:
            raise ValidationError({"group": "None of your working groups has that slug."})
        group = WorkingGroup.objects.visible_to(user).filter(slug=slug).first()
        if group is None:
            raise ValidationError({"group": "None of your working groups has that slug."})
    unit_slug = (params.get("business_unit") or "").strip()
    if unit_slug:
        if "\x00" in unit_slug or len(unit_slug) > 100:
            raise ValidationError({"business_unit": "No business unit has that slug."})
        unit = BusinessUnit.objects.filter(slug=unit_slug).first()
        if unit is None:
            raise ValidationError({"business_unit": "No business unit has that slug."})
    text = (params.get("quarter") or "").strip()
    if text:
        match = QUARTER.fullmatch(text)
        if match is None or not 2000 <= int(match.group(1)) <= 2100:
            raise ValidationError({"quarter": "A quarter like 2025-Q3 (years 2000 to 2100)."})
        quarter = (int(match.group(1)), int(match.group(2)))
    return MetaFilters(group=group, business_unit=unit, quarter=quarter)


def _quarter_of(moment: datetime.datetime | None) -> tuple[int, int] | None:
    if moment is None:
        return None
    return moment.year, (moment.month - 1) // 3 + 1


def _concluded(user, filters: MetaFilters) -> list:
    qs = selectors.experiments_for(user, filters.group).filter(status=Status.CONCLUDED)
    if filters.business_unit is not None:
        qs = qs.filter(hypothesis__business_unit=filters.business_unit)
    if filters.quarter is not None:
        year, q = filters.quarter
        start = datetime.datetime(year, 3 * q - 2, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1, tzinfo=datetime.UTC)
        qs = qs.filter(Q(concluded_at__gte=start) & Q(concluded_at__lt=end))
    return list(qs.order_by("concluded_at", "pk"))


def _primary(metrics: list | None) -> dict | None:
    """The primary metric's first treatment, with the sign turned to the good direction."""
    for metric in metrics or ():
        if metric.get("role") != MetricRole.PRIMARY or not metric.get("arms"):
            continue
        arm = metric["arms"][0]
        lift, low, high = arm.get("relative_lift"), arm.get("ci_low"), arm.get("ci_high")
        if lift is None:
            return None
        if not metric.get("higher_is_better", True):
            # Lower is better: -2 % is a 2 % improvement, and the interval turns round.
            lift, low, high = (
                -lift,
                (None if high is None else -high),
                (None if low is None else -low),
            )
        return {
            "key": metric.get("key", ""),
            "name": metric.get("name", ""),
            "lift": lift,
            "ci_low": low,
            "ci_high": high,
            "significant": bool(arm.get("significant")),
        }
    return None


def _histogram(lifts: list[float]) -> list[dict]:
    """Counts per percentage point from −10 % to +10 %, and one bin beyond each end."""
    edges = [
        round(-HIST_LIMIT + i * BIN_WIDTH, 4) for i in range(int(2 * HIST_LIMIT / BIN_WIDTH) + 1)
    ]
    bins: list[dict] = [{"low": None, "high": edges[0], "count": 0}]
    bins += [{"low": a, "high": b, "count": 0} for a, b in itertools.pairwise(edges)]
    bins.append({"low": edges[-1], "high": None, "count": 0})
    for lift in lifts:
        if lift < edges[0]:
            bins[0]["count"] += 1
        elif lift >= edges[-1]:
            bins[-1]["count"] += 1
        else:
            bins[1 + min(int((lift - edges[0]) / BIN_WIDTH), len(edges) - 2)]["count"] += 1
    return bins


def _effect(row: dict) -> Effect | None:
    if row["ci_low"] is None or row["ci_high"] is None or row["ci_high"] <= row["ci_low"]:
        return None
    try:
        return Effect.from_interval(row["lift"], row["ci_low"], row["ci_high"])
    except StatsError:
        return None


def _fit(rows: list[dict]):
    """Shrink these rows' lifts; (prior dict, {experiment id: shrunk effect}) or (None, {})."""
    usable = [(row, effect) for row in rows if (effect := _effect(row)) is not None]
    if len(usable) < MIN_EXPERIMENTS:
        return None, {}
    result = empirical_bayes([effect for _, effect in usable])
    shrunk = {row["id"]: s for (row, _), s in zip(usable, result.effects, strict=True)}
    return result.prior.to_dict(), shrunk


def meta_analysis(user, filters: MetaFilters) -> dict:
    """Every figure of the meta-analysis page, as JSON (the page renders it, the API returns it)."""
    experiments = _concluded(user, filters)
    velocity: dict[tuple[int, int], dict] = {}
    rows: list[dict] = []
    moved: dict[str, dict] = {}
    for exp in experiments:
        quarter = _quarter_of(exp.concluded_at)
        if quarter is not None:
            entry = velocity.setdefault(quarter, {"quarter": quarter_label(*quarter),
                                                  "concluded": 0, "shipped": 0, "won": 0})  # fmt: skip
            entry["concluded"] += 1
            entry["shipped"] += exp.decision == Decision.SHIP
        if exp.type == ExperimentType.AA:
            continue
        metrics = exp.current_metrics or []
        for metric in metrics:
            tally = moved.setdefault(metric.get("key", ""), {
                "key": metric.get("key", ""), "metric": metric.get("name", ""),
                "measured": 0, "moved": 0, "better": 0, "worse": 0, "as_primary": 0,
            })  # fmt: skip
            tally["measured"] += 1
            tally["as_primary"] += metric.get("role") == MetricRole.PRIMARY
            significant = [a for a in metric.get("arms") or () if a.get("significant")]
            if significant:
                tally["moved"] += 1
                up = (significant[0].get("relative_lift") or 0) > 0
                good = up == bool(metric.get("higher_is_better", True))
                tally["better" if good else "worse"] += 1
        primary = _primary(metrics)
        if primary is None:
            continue
        won = exp.decision == Decision.SHIP and primary["significant"] and primary["lift"] > 0
        if won and quarter is not None:
            velocity[quarter]["won"] += 1
        rows.append({
            "id": exp.pk, "key": exp.key, "title": exp.title, "metric_key": primary["key"],
            "metric": primary["name"], "lift": primary["lift"], "ci_low": primary["ci_low"],
            "ci_high": primary["ci_high"], "significant": primary["significant"],
            "shipped": exp.decision == Decision.SHIP, "won": won,
            "concluded_at": exp.concluded_at.isoformat() if exp.concluded_at else None,
        })  # fmt: skip
    program_prior, program_shrunk = _fit(rows)
    by_metric: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_metric[row["metric_key"]].append(row)
    impact = []
    for key, metric_rows in sorted(by_metric.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        prior, shrunk = _fit(metric_rows)
        scope = "metric" if prior is not None else "program" if program_prior is not None else None
        if prior is None:
            prior, shrunk = program_prior, program_shrunk
        shipped = [r for r in metric_rows if r["shipped"]]
        items = []
        for r in shipped:
            s = shrunk.get(r["id"])
            items.append({
                "id": r["id"], "key": r["key"], "title": r["title"], "lift": r["lift"],
                "ci_low": r["ci_low"], "ci_high": r["ci_high"],
                "shrunk": None if s is None else s.shrunk,
                "shrunk_low": None if s is None else s.interval()[0],
                "shrunk_high": None if s is None else s.interval()[1],
                "factor": None if s is None else s.factor,
            })  # fmt: skip
        corrected = [i["shrunk"] for i in items if i["shrunk"] is not None]
        impact.append({
            "metric_key": key, "metric": metric_rows[0]["metric"],
            "experiments": len(metric_rows), "shipped": len(shipped),
            "raw_total": math.fsum(i["lift"] for i in items),
            "corrected_total": math.fsum(corrected) if scope and len(corrected) == len(items)
            else None,
            "prior_scope": scope, "prior": prior if scope == "metric" else None,
            "items": items,
        })  # fmt: skip
    judged = len(rows)
    wins = sum(r["won"] for r in rows)
    return {
        "filters": filters.to_dict(),
        "concluded": len(experiments),
        "analysed": judged,
        "velocity": [velocity[q] for q in sorted(velocity)],
        "win_rate": {"wins": wins, "of": judged, "rate": wins / judged if judged else None},
        "histogram": {"bin_width": BIN_WIDTH, "bins": _histogram([r["lift"] for r in rows])},
        "program_prior": program_prior,
        "min_experiments": MIN_EXPERIMENTS,
        "impact": impact,
        "metrics_moved": sorted(moved.values(), key=lambda m: (-m["measured"], m["metric"])),
        "experiments": rows,
    }
