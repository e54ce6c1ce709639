"""Scoring formulas and the standard frameworks, as data.

A framework combines its criteria with one of three rules:

    mean     total = Σ wᵢ·vᵢ / Σ|wᵢ|      (ICE and PIE: the average of their criteria)
    sum      total = Σ wᵢ·vᵢ              (custom weighted; a negative weight subtracts a cost)
    product  total = Π vᵢ^wᵢ              (RICE: reach × impact × confidence ÷ effort)

To compare members across criteria with different scales, each member's score is also
normalised to [0, 1]: every value's position on its scale (reversed for a cost, i.e. a
negative weight), averaged with weights |wᵢ|. The spread of a hypothesis is the range
(max − min) of its members' normalised scores; at `DISCUSS_SPREAD` (0.3, a third of the
scale) or more, with two scorers or more, it is flagged "discuss". On ICE's 1–10 scales
that is members about three points apart on every criterion.
"""

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

DISCUSS_SPREAD = 0.3

# Bounds that keep every total a finite float: scales within ±1e9, weights within ±10.
SCALE_LIMIT = 1e9
WEIGHT_LIMIT = 10.0
MAX_CRITERIA = 12


class CriterionLike(Protocol):
    key: str
    name: str
    scale_min: float
    scale_max: float
    weight: float
    axis: str


class ScoreError(ValueError):
    """Values a framework cannot score: `errors` names every criterion at fault (so a form
    reports them all at once); `field` and `message` are the first of them."""

    def __init__(self, field: str, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.errors = errors or {field: message}


@dataclass(frozen=True)
class Computed:
    values: dict[str, float]
    total: float
    normalised: float
    impact: float | None
    effort: float | None


def number_label(value: float) -> str:
    """10000000 → "10,000,000", 0.25 → "0.25": scales read as people write them."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def scale_label(criterion: CriterionLike) -> str:
    return f"{number_label(criterion.scale_min)}–{number_label(criterion.scale_max)}"


def _position(criterion: CriterionLike, value: float) -> float:
    """Where a value sits on its criterion's scale, 0 at the minimum and 1 at the maximum."""
    return (value - criterion.scale_min) / (criterion.scale_max - criterion.scale_min)


def value_errors(
    rule: str, criteria: Sequence[CriterionLike], values: Mapping, *, partial: bool = False
) -> dict[str, str]:
    """What is wrong with each value, by field (`values.<key>`): unknown keys, missing
    criteria (unless `partial`: a form checks the values that parsed), a zero divisor and
    values off their scale. Empty when every value can be scored."""
    known = {c.key for c in criteria}
    errors = {
        f"values.{key}": (
            f"Unknown criterion {key!r}; this framework scores: {', '.join(sorted(known))}."
        )
        for key in values
        if key not in known
    }
    for c in criteria:
        field = f"values.{c.key}"
        if c.key not in values or values[c.key] is None:
            if not partial:
                errors[field] = f"Missing criterion: {c.name} needs a value ({scale_label(c)})."
            continue
        value = float(values[c.key])
        if rule == "product" and c.weight < 0 and value <= 0:
            errors[field] = f"{c.name} must be greater than 0: the score is divided by it."
        elif not c.scale_min <= value <= c.scale_max:
            errors[field] = f"{c.name} must be within its scale {scale_label(c)}; got {value:g}."
    return errors


def check_values(rule: str, criteria: Sequence[CriterionLike], values: Mapping) -> dict:
    """Every criterion present, on its scale, and no unknown key; returns the clean values.
    Raises one ScoreError naming every value at fault."""
    errors = value_errors(rule, criteria, values)
    if errors:
        field, message = next(iter(errors.items()))
        raise ScoreError(field, message, errors)
    return {c.key: float(values[c.key]) for c in criteria}


def total(rule: str, criteria: Sequence[CriterionLike], values: Mapping[str, float]) -> float:
    if rule == "product":
        try:
            result = math.prod(values[c.key] ** c.weight for c in criteria)
        except (OverflowError, ZeroDivisionError):
            result = math.inf
    else:
        result = math.fsum(c.weight * values[c.key] for c in criteria)
        if rule == "mean":
            result /= math.fsum(abs(c.weight) for c in criteria)
    if not math.isfinite(result):
        raise ScoreError("values", "These values give a total too large to store.")
    return result


def normalised(criteria: Sequence[CriterionLike], values: Mapping[str, float]) -> float:
    weights = math.fsum(abs(c.weight) for c in criteria)
    parts = []
    for c in criteria:
        position = _position(c, values[c.key])
        parts.append(abs(c.weight) * (1 - position if c.weight < 0 else position))
    return math.fsum(parts) / weights


def _axis(
    criteria: Sequence[CriterionLike], values: Mapping[str, float], axis: str
) -> float | None:
    """Mean position of the criteria feeding one scatter axis; ease counts as inverse effort."""
    positions = [_position(c, values[c.key]) for c in criteria if c.axis == axis]
    if axis == "effort":
        positions += [1 - _position(c, values[c.key]) for c in criteria if c.axis == "ease"]
    return sum(positions) / len(positions) if positions else None


def compute(rule: str, criteria: Sequence[CriterionLike], values: Mapping) -> Computed:
    clean = check_values(rule, criteria, values)
    return Computed(
        values=clean,
        total=total(rule, criteria, clean),
        normalised=normalised(criteria, clean),
        impact=_axis(criteria, clean, "impact"),
        effort=_axis(criteria, clean, "effort"),
    )


@dataclass(frozen=True)
class Aggregate:
    scorer_count: int
    mean: float
    median: float
    spread: float
    discuss: bool
    impact: float | None
    effort: float | None


def aggregate(rows: Sequence[tuple[float, float, float | None, float | None]]) -> Aggregate:
    """Members' (total, normalised, impact, effort) → mean, median, spread and the flag."""
    totals = [r[0] for r in rows]
    norms = [r[1] for r in rows]
    impacts = [r[2] for r in rows if r[2] is not None]
    efforts = [r[3] for r in rows if r[3] is not None]
    spread = max(norms) - min(norms)
    return Aggregate(
        scorer_count=len(rows),
        mean=statistics.fmean(totals),
        median=statistics.median(totals),
        spread=spread,
        discuss=len(rows) >= 2 and spread >= DISCUSS_SPREAD - 1e-9,
        impact=statistics.fmean(impacts) if impacts else None,
        effort=statistics.fmean(efforts) if efforts else None,
    )


# name, rule, description, criteria: (key, name, unit, min, max, weight, axis, description)
STANDARD_FRAMEWORKS = [
    (
        "ICE",
        "mean",
        "Impact, confidence and ease, each 1–10; the score is their average. "
        "Quick to use for product ideas.",
        [
            ("impact", "Impact", "", 1, 10, 1, "impact", "How much the metric moves if it works"),
            ("confidence", "Confidence", "", 1, 10, 1, "", "How sure we are it will work"),
            ("ease", "Ease", "", 1, 10, 1, "ease", "How cheap it is to build and run"),
        ],
    ),
    (
        "RICE",
        "product",
        "Reach × impact × confidence ÷ effort: reach in units per quarter, impact 0.25–3, "
        "confidence as a fraction, effort in person-weeks.",
        [
            (
                "reach",
                "Reach",
                "units / quarter",
                0,
                10_000_000,
                1,
                "",
                "Units affected per quarter",
            ),
            ("impact", "Impact", "", 0.25, 3, 1, "impact", "0.25 minimal … 3 massive"),
            ("confidence", "Confidence", "fraction", 0, 1, 1, "", "0.5 low, 0.8 medium, 1 high"),
            ("effort", "Effort", "person-weeks", 0, 52, -1, "effort", "Work to ship and analyse"),
        ],
    ),
    (
        "PIE",
        "mean",
        "Potential, importance and ease, each 1–10; the score is their average. "
        "Made for pages: how much a page can improve, how valuable its traffic is.",
        [
            ("potential", "Potential", "", 1, 10, 1, "impact", "How much the page can improve"),
            ("importance", "Importance", "", 1, 10, 1, "", "How valuable the page's traffic is"),
            ("ease", "Ease", "", 1, 10, 1, "ease", "How easy the test is to run"),
        ],
    ),
]
DEFAULT_FRAMEWORK = "ICE"
