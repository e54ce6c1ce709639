"""Power and sample size for a two-sided comparison of each treatment with the control.

Normal approximation with a standardised effect size e and equal arms:

    n per variant = 2 (z_{1−α'/2} + z_{power})² / e²

Two proportions use Cohen's h, e = 2 asin √p₂ − 2 asin √p₁ (p₁ the baseline, p₂ the
baseline plus the MDE), which is what statsmodels' NormalIndPower solves with
proportion_effectsize; two means use Cohen's d, e = MDE / baseline_sd. The far rejection
tail is left out, which errs on the safe side by a fraction of a unit.

With more than two variants the planned family-wise error rate is kept by Bonferroni
across the variants − 1 comparisons with the control, α' = α / (variants − 1), unless
`correction` is "none". The result is rounded up to whole units; the duration is
⌈n_total / (daily traffic × allocated share)⌉ days.
"""

import math
from dataclasses import dataclass

from scipy import stats

from .errors import StatsError
from .settings import MetricType
from .statistics import MAX_UNITS

MDE_TYPES = ("absolute", "relative")
DESIGN_METRIC_TYPES = (MetricType.BINOMIAL, MetricType.CONTINUOUS)
SAMPLE_SIZE_CORRECTIONS = ("bonferroni", "none")


def _number(value, name: str) -> float:
    if isinstance(value, bool) or value is None:
        raise StatsError(name, "must be a number.")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise StatsError(name, "must be a number.") from None
    if not math.isfinite(number):
        raise StatsError(name, "must be a finite number.")
    return number


def _open_unit(value, name: str) -> float:
    number = _number(value, name)
    if not 0 < number < 1:
        raise StatsError(name, "must lie strictly between 0 and 1.")
    return number


@dataclass(frozen=True)
class Design:
    """What the sample size depends on, validated: the metric, the MDE and the error rates."""

    metric_type: MetricType | str
    mde: float
    mde_type: str = "relative"
    baseline: float | None = None
    baseline_mean: float | None = None
    baseline_sd: float | None = None
    alpha: float = 0.05
    power: float = 0.8
    variants: int = 2
    correction: str = "bonferroni"

    def __post_init__(self):
        set_ = object.__setattr__
        try:
            set_(self, "metric_type", MetricType(self.metric_type))
        except ValueError:
            raise StatsError("metric_type", "must be one of binomial, continuous.") from None
        if self.metric_type not in DESIGN_METRIC_TYPES:
            # A ratio's spread is that of its linearised units, which nobody planning a test
            # knows offhand; size it as a continuous metric with that sd instead.
            raise StatsError(
                "metric_type",
                "must be one of binomial, continuous; size a ratio metric as continuous with "
                "its mean and the sd of its linearised units.",
            )
        if self.mde_type not in MDE_TYPES:
            raise StatsError("mde_type", "must be one of absolute, relative.")
        if self.correction not in SAMPLE_SIZE_CORRECTIONS:
            raise StatsError("correction", "must be one of bonferroni, none.")
        set_(self, "alpha", _open_unit(self.alpha, "alpha"))
        set_(self, "power", _open_unit(self.power, "power"))
        variants = _number(self.variants, "variants")
        if variants != int(variants) or not 2 <= variants <= 100:
            raise StatsError("variants", "must be a whole number from 2 to 100.")
        set_(self, "variants", int(variants))
        mde = _number(self.mde, "mde")
        if mde <= 0:
            raise StatsError("mde", "must be greater than 0.")
        set_(self, "mde", mde)
        if self.metric_type == MetricType.BINOMIAL:
            set_(self, "baseline", _open_unit(self.baseline, "baseline"))
            if not self.baseline + self.mde_absolute < 1:
                raise StatsError("mde", "the baseline plus the MDE must stay below 1 (100 %).")
        else:
            set_(self, "baseline_mean", _number(self.baseline_mean, "baseline_mean"))
            sd = _number(self.baseline_sd, "baseline_sd")
            if sd <= 0:
                raise StatsError("baseline_sd", "must be greater than 0.")
            set_(self, "baseline_sd", sd)
            if self.mde_type == "relative" and self.baseline_mean == 0:
                raise StatsError("mde_type", "a relative MDE needs a non-zero baseline_mean.")

    @property
    def mde_absolute(self) -> float:
        """The MDE on the metric's own scale."""
        if self.mde_type == "absolute":
            return self.mde
        base = self.baseline if self.metric_type == MetricType.BINOMIAL else self.baseline_mean
        return self.mde * abs(base)

    @property
    def comparisons(self) -> int:
        return self.variants - 1

    @property
    def alpha_per_comparison(self) -> float:
        """α' = α / (variants − 1) under Bonferroni, else α."""
        return self.alpha / self.comparisons if self.correction == "bonferroni" else self.alpha

    @property
    def z_total(self) -> float:
        """z_{1−α'/2} + z_{power}."""
        return stats.norm.ppf(1 - self.alpha_per_comparison / 2) + stats.norm.ppf(self.power)

    @property
    def effect_size(self) -> float:
        """Cohen's h for proportions, Cohen's d for means."""
        if self.metric_type == MetricType.BINOMIAL:
            treated = self.baseline + self.mde_absolute
            return 2 * math.asin(math.sqrt(treated)) - 2 * math.asin(math.sqrt(self.baseline))
        return self.mde_absolute / self.baseline_sd


@dataclass(frozen=True)
class SampleSize:
    n_per_variant: int
    n_total: int
    duration_days: int | None
    alpha_per_comparison: float
    effect_size: float
    mde_absolute: float

    def to_dict(self) -> dict:
        """The API contract: n_per_variant, n_total and duration_days (None without traffic)."""
        return {
            "n_per_variant": self.n_per_variant,
            "n_total": self.n_total,
            "duration_days": self.duration_days,
        }


def duration_days(n_total: int, daily_traffic, allocation=1.0) -> int:
    """⌈n_total / (daily_traffic × allocation)⌉: days until every arm is full."""
    traffic = _number(daily_traffic, "daily_traffic")
    if traffic <= 0:
        raise StatsError("daily_traffic", "must be greater than 0.")
    share = _number(allocation, "allocation")
    if not 0 < share <= 1:
        raise StatsError(
            "allocation", "must lie in (0, 1]: the share of traffic in the experiment."
        )
    days = n_total / (traffic * share)
    if days > 1e9:
        raise StatsError("daily_traffic", "is too small: the experiment would never finish.")
    return max(1, math.ceil(days - 1e-9))


def sample_size(design: Design, daily_traffic=None, allocation=1.0) -> SampleSize:
    """Units per variant for `design`, n = ⌈2 (z_{1−α'/2} + z_{power})² / e²⌉."""
    exact = 2 * design.z_total**2 / design.effect_size**2
    if not math.isfinite(exact) or exact > MAX_UNITS:
        raise StatsError("mde", "is too small: it would need more than 10¹² units per variant.")
    # Rounding noise must not turn an exact whole number into the next one up.
    n = max(2, math.ceil(exact - 1e-9))
    total = n * design.variants
    return SampleSize(
        n_per_variant=n,
        n_total=total,
        duration_days=None
        if daily_traffic is None
        else duration_days(total, daily_traffic, allocation),
        alpha_per_comparison=design.alpha_per_comparison,
        effect_size=design.effect_size,
        mde_absolute=design.mde_absolute,
    )


def minimum_detectable_effect(design: Design, n_per_variant) -> float | None:
    """The smallest upward effect (in `design.mde_type` units) n per variant detects.

    The inverse of `sample_size`: e = (z_{1−α'/2} + z_{power}) √(2/n). For means the MDE is
    e · sd; for proportions p₂ = sin²(asin √p₁ + e/2), None if that passes 100 %.
    The design's own MDE is ignored.
    """
    n = _number(n_per_variant, "n_per_variant")
    if n < 2:
        raise StatsError("n_per_variant", "must be at least 2.")
    effect = design.z_total * math.sqrt(2 / n)
    if design.metric_type == MetricType.BINOMIAL:
        angle = math.asin(math.sqrt(design.baseline)) + effect / 2
        if angle >= math.pi / 2:
            return None
        absolute = math.sin(angle) ** 2 - design.baseline
        base = design.baseline
    else:
        absolute = effect * design.baseline_sd
        base = abs(design.baseline_mean)
    return absolute if design.mde_type == "absolute" else absolute / base
