"""From a snapshot's sufficient statistics to what the results page says.

The one converter between stored statistics and the engine: rows of (metric, variant,
segment) sums become the engine's arrays shaped (metrics, arms, segments), and
`analyze_many` runs every metric × arm × segment in one pass with the correction across
metrics × arms. Around it: SRM on the assignment counts, each guardrail's verdict, the
recommendation per treatment, Simpson's flag per segment breakdown, the A/A red flag, and
"provisional" while a fixed-horizon test has not reached its planned sample.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from apps.stats.engine import (
    AnalysisSettings,
    BatchInput,
    StatsError,
    analyze_many,
    guardrail_status,
    recommend,
    simpsons_paradox,
)

SUM_FIELDS = ("n", "sum", "sum_squares")
CUPED_FIELDS = ("pre_sum", "pre_sum_squares", "sum_product")
RATIO_FIELDS = ("denominator_sum", "denominator_sum_squares", "cross_sum")
PEEKING = (
    "Provisional: a fixed-horizon test read before its planned sample is reached; peeking "
    "inflates false positives. Keep it running, or analyse with the sequential method."
)


@dataclass(frozen=True)
class MetricPlan:
    """What the analysis needs to know of one metric of the design."""

    key: str
    name: str
    kind: str
    role: str
    higher_is_better: bool
    harm_threshold: float | None


@dataclass(frozen=True)
class AnalysisPlan:
    type: str  # experiment type: "aa" raises the red flag on any significant result
    variants: tuple[str, ...]  # control first
    weights: tuple[float, ...]
    metrics: tuple[MetricPlan, ...]
    method: str
    alpha: float
    correction: str
    cuped: bool
    planned_units: int | None
    running: bool


def _clean(value):
    """JSON has no NaN or infinity: undefined numbers are None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _clean(value.item())
    return value


def _cells(rows: list[dict], plan: AnalysisPlan, segments: Sequence[tuple[str | None, str | None]]):
    """Arrays shaped (metrics, arms, segments) from the rows; a missing cell holds zeros."""
    shape = (len(plan.metrics), len(plan.variants), len(segments))
    index_m = {m.key: i for i, m in enumerate(plan.metrics)}
    index_v = {v: i for i, v in enumerate(plan.variants)}
    index_s = {s: i for i, s in enumerate(segments)}
    arrays = {name: np.zeros(shape) for name in SUM_FIELDS}
    for name in CUPED_FIELDS + RATIO_FIELDS:
        arrays[name] = np.full(shape, np.nan)
    for m, metric in enumerate(plan.metrics):
        if metric.kind == "ratio":
            for name in RATIO_FIELDS:
                arrays[name][m] = 0.0
        elif plan.cuped:
            for name in CUPED_FIELDS:
                arrays[name][m] = 0.0
    for row in rows:
        key = (row.get("segment"), row.get("segment_value"))
        cell = (index_m.get(row["metric"]), index_v.get(row["variant"]), index_s.get(key))
        if None in cell:
            continue
        for name in SUM_FIELDS:
            arrays[name][cell] = row[name]
        for name in CUPED_FIELDS + RATIO_FIELDS:
            if row.get(name) is not None and not np.isnan(arrays[name][cell]):
                arrays[name][cell] = row[name]
    has_cuped = plan.cuped and any(m.kind != "ratio" for m in plan.metrics)
    has_ratio = any(m.kind == "ratio" for m in plan.metrics)
    return BatchInput(
        n=arrays["n"],
        sum=arrays["sum"],
        sum_squares=arrays["sum_squares"],
        metric_types=tuple(m.kind for m in plan.metrics),
        pre_sum=arrays["pre_sum"] if has_cuped else None,
        pre_sum_squares=arrays["pre_sum_squares"] if has_cuped else None,
        sum_product=arrays["sum_product"] if has_cuped else None,
        denominator_sum=arrays["denominator_sum"] if has_ratio else None,
        denominator_sum_squares=arrays["denominator_sum_squares"] if has_ratio else None,
        cross_sum=arrays["cross_sum"] if has_ratio else None,
        arm_names=plan.variants,
    )


def _settings(plan: AnalysisPlan) -> AnalysisSettings:
    total = sum(plan.weights)
    return AnalysisSettings(
        metric_type="continuous",
        method=plan.method,
        alpha=plan.alpha,
        correction=plan.correction,
        expected_split=tuple(w / total for w in plan.weights),
    )


def analyse(rows: list[dict], plan: AnalysisPlan) -> dict:
    """The analysis stored with a snapshot, as JSON the API and the page share."""
    if not plan.metrics:
        return {"error": "The design names no metrics.", "metrics": [], "segments": []}
    settings = _settings(plan)
    whole = [(None, None)]
    try:
        result = analyze_many(_cells(rows, plan, whole), settings, correction_scope="metrics_arms")
    except StatsError as error:
        return {"error": f"{error.field}: {error.message}", "metrics": [], "segments": []}
    primary = next((i for i, m in enumerate(plan.metrics) if m.role == "primary"), 0)
    counts = _counts(rows, plan)
    units = int(sum(counts.values()))
    srm_p = _clean(float(result.srm_p_value[primary, 0]))
    srm_flag = bool(result.srm_flag[primary, 0])
    metrics: list[dict] = []
    guardrails: dict[int, list] = {}
    for m, metric in enumerate(plan.metrics):
        arms = []
        for t in range(len(plan.variants) - 1):
            arm = result.arm(m, t, 0)
            entry = {k: _clean(v) for k, v in arm.to_dict().items()}
            if metric.role == "guardrail":
                status = guardrail_status(
                    arm, metric.harm_threshold or 0.0, metric.higher_is_better
                )
                entry["guardrail"] = str(status)
                guardrails.setdefault(t, []).append(status)
            arms.append(entry)
        metrics.append({
            "key": metric.key, "name": metric.name, "role": metric.role, "kind": metric.kind,
            "higher_is_better": metric.higher_is_better, "harm_threshold": metric.harm_threshold,
            "arms": arms,
        })  # fmt: skip
    provisional = (
        plan.method == "frequentist"
        and plan.running
        and (plan.planned_units is None or units < plan.planned_units)
    )
    recommendations = []
    for t in range(len(plan.variants) - 1):
        decision = recommend(
            result.arm(primary, t, 0),
            guardrails.get(t, []),
            units=units,
            planned_units=plan.planned_units or units + 1,
            higher_is_better=plan.metrics[primary].higher_is_better,
            srm_flag=srm_flag,
        )
        verdict, reason = str(decision.recommendation), decision.reason
        if provisional and verdict in ("ship", "don't ship"):
            verdict, reason = "keep running", PEEKING
        recommendations.append({"arm": plan.variants[t + 1], "verdict": verdict, "reason": reason})
    analysis = {
        "units": units,
        "planned_units": plan.planned_units,
        "provisional": provisional,
        "provisional_reason": PEEKING if provisional else "",
        "srm": {
            "p_value": srm_p,
            "flag": srm_flag,
            "observed": counts,
            "expected_split": dict(zip(plan.variants, settings.expected_split, strict=True)),
        },
        "metrics": metrics,
        "recommendations": recommendations,
        "segments": _segments(rows, plan, settings, result),
        "warnings": list(result.warnings),
    }
    if plan.type == "aa":
        analysis["aa"] = _aa_flag(metrics, srm_flag)
    return analysis


def _counts(rows: list[dict], plan: AnalysisPlan) -> dict[str, int]:
    """Units per variant in the whole population, from the first metric's rows."""
    first = plan.metrics[0].key
    counts = dict.fromkeys(plan.variants, 0)
    for row in rows:
        if row["metric"] == first and row.get("segment") is None and row["variant"] in counts:
            counts[row["variant"]] = int(row["n"])
    return counts


def _aa_flag(metrics: list[dict], srm_flag: bool) -> dict:
    reasons = []
    if srm_flag:
        reasons.append("Sample ratio mismatch: the split differs from the design.")
    for metric in metrics:
        for arm in metric["arms"]:
            if arm.get("significant"):
                reasons.append(f"{metric['name']} differs significantly between identical arms.")
    return {"red_flag": bool(reasons), "reasons": reasons}


def _segments(rows: list[dict], plan: AnalysisPlan, settings, whole_result) -> list[dict]:
    """Each segment's lift per metric and arm, with Simpson's flag per breakdown."""
    attributes = sorted({r["segment"] for r in rows if r.get("segment") is not None})
    out = []
    for attribute in attributes:
        values = sorted({str(r["segment_value"]) for r in rows if r.get("segment") == attribute})
        keys = [(attribute, v) for v in values]
        segment_rows = [
            {**r, "segment_value": str(r["segment_value"])} for r in rows
            if r.get("segment") == attribute
        ]  # fmt: skip
        try:
            result = analyze_many(_cells(segment_rows, plan, keys), settings,
                                  correction_scope="metrics_arms")  # fmt: skip
        except StatsError:
            continue
        effects = np.array(result.comparison.relative_lift, dtype=float)
        units = np.asarray(_cells(segment_rows, plan, keys).n).sum(axis=1)  # (metrics, segments)
        pooled = np.array(whole_result.comparison.relative_lift, dtype=float)[:, :, 0]
        flags = simpsons_paradox(pooled, effects, units[:, None, :])
        for m, metric in enumerate(plan.metrics):
            for t in range(len(plan.variants) - 1):
                for s, value in enumerate(values):
                    arm = result.arm(m, t, s)
                    out.append({
                        "attribute": attribute, "value": value, "metric": metric.key,
                        "arm": plan.variants[t + 1], "n": int(units[m, s]),
                        "relative_lift": _clean(arm.relative_lift), "ci_low": _clean(arm.ci_low),
                        "ci_high": _clean(arm.ci_high), "p_value": _clean(arm.p_value),
                        "simpson": bool(flags[m, t]),
                    })  # fmt: skip
    return out
