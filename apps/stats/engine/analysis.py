"""The engine's entry point: analyse an experiment's variants from their statistics."""

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from . import caveats
from .comparison import Side, compare, conclude
from .errors import StatsError
from .settings import AnalysisSettings, Correction, Method, MetricType
from .srm import srm_p_value
from .statistics import VariantStatistic

CONTRACT_ARM_FIELDS = (
    "name",
    "mean_control",
    "mean_treatment",
    "absolute_effect",
    "absolute_ci_low",
    "absolute_ci_high",
    "relative_lift",
    "ci_low",
    "ci_high",
    "p_value",
    "p_value_unadjusted",
    "chance_to_win",
    "expected_loss",
    "significant",
    "variance_reduction",
    "warnings",
)


@dataclass(frozen=True)
class ArmResult:
    """One treatment against the control. Intervals `ci_*` are on the relative lift.

    `expected_loss` is the risk of shipping this treatment, `expected_loss_control` that
    of keeping the control (Bayesian only); the second is not part of the API contract.
    """

    name: str
    mean_control: float | None
    mean_treatment: float | None
    absolute_effect: float | None
    absolute_ci_low: float | None
    absolute_ci_high: float | None
    relative_lift: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    p_value_unadjusted: float | None
    chance_to_win: float | None
    expected_loss: float | None
    significant: bool | None
    variance_reduction: float | None
    warnings: list[str] = field(default_factory=list)
    expected_loss_control: float | None = None

    def to_dict(self) -> dict:
        values = asdict(self)
        return {name: values[name] for name in CONTRACT_ARM_FIELDS}


@dataclass(frozen=True)
class AnalysisResult:
    srm_p_value: float | None
    srm_flag: bool
    warnings: list[str]
    arms: list[ArmResult]

    def to_dict(self) -> dict:
        """The API contract's JSON: no NaN or infinity anywhere, undefined fields None."""
        return {
            "srm_p_value": self.srm_p_value,
            "srm_flag": self.srm_flag,
            "warnings": list(self.warnings),
            "arms": [arm.to_dict() for arm in self.arms],
        }


def as_number(value) -> float | None:
    """A plain float, or None for NaN and infinities."""
    number = float(value)
    return number if math.isfinite(number) else None


def arm_result(name: str, comparison, index) -> ArmResult:
    """Read one cell of a concluded `Comparison` out as an ArmResult."""
    significant = float(comparison.significant[index])
    return ArmResult(
        name=name,
        significant=None if math.isnan(significant) else bool(significant),
        warnings=caveats.messages(int(comparison.flags[index])),
        **{
            name: as_number(getattr(comparison, name)[index])
            for name in (
                "mean_control",
                "mean_treatment",
                "absolute_effect",
                "absolute_ci_low",
                "absolute_ci_high",
                "relative_lift",
                "ci_low",
                "ci_high",
                "p_value",
                "p_value_unadjusted",
                "chance_to_win",
                "expected_loss",
                "variance_reduction",
                "expected_loss_control",
            )
        },
    )


def srm_warning(p_value: float | None, threshold: float) -> str | None:
    if p_value is not None and p_value < threshold:
        return (
            f"Sample ratio mismatch: the arms' sizes are unlikely under the expected split "
            f"(p = {p_value:.2g} < {threshold:g}); check assignment before trusting the results."
        )
    return None


def settings_warnings(settings: AnalysisSettings) -> list[str]:
    if settings.method == Method.BAYESIAN and settings.correction != Correction.NONE:
        return [
            "Corrections adjust p-values; the Bayesian method reports none, so it was not applied."
        ]
    return []


def _side(variants: list[VariantStatistic], pre: bool, ratio: bool) -> Side:

    def column(name: str):
        return np.array(
            [np.nan if getattr(v, name) is None else getattr(v, name) for v in variants]
        )

    return Side(
        n=column("n"),
        total=column("sum"),
        squares=column("sum_squares"),
        pre_total=column("pre_sum") if pre else None,
        pre_squares=column("pre_sum_squares") if pre else None,
        product=column("sum_product") if pre else None,
        denominator_total=column("denominator_sum") if ratio else None,
        denominator_squares=column("denominator_sum_squares") if ratio else None,
        cross=column("cross_sum") if ratio else None,
    )


def analyze(variants: list[VariantStatistic], settings: AnalysisSettings) -> AnalysisResult:
    """Every treatment against the first variant, the control, with `settings.method`.

    Raises StatsError naming the field for input that cannot be analysed: fewer than two
    variants, a binomial variant whose sums are not conversion counts, a ratio variant
    without its denominator (or with Σx ≤ 0, or with a CUPED covariate), a denominator
    on a metric that is not a ratio, an expected split of the wrong length, or a
    negative control mean (the relative lift would be meaningless).
    """
    if len(variants) < 2:
        raise StatsError("variants", "needs at least two variants: the control and a treatment.")
    for i, variant in enumerate(variants):
        if not isinstance(variant, VariantStatistic):
            raise StatsError(f"variants[{i}]", "must be a VariantStatistic.")
        try:
            if settings.metric_type == MetricType.RATIO:
                variant.check_ratio()
            else:
                variant.check_not_ratio()
            if settings.metric_type == MetricType.BINOMIAL:
                variant.check_binomial()
        except StatsError as error:
            raise error.at(f"variants[{i}]") from None
    split = settings.split_for(len(variants))

    pre = any(v.has_pre for v in variants)
    is_ratio = settings.metric_type == MetricType.RATIO
    control = _side(variants[:1], pre, is_ratio)
    treatments = _side(variants[1:], pre, is_ratio)
    binomial = settings.metric_type == MetricType.BINOMIAL
    comparison = compare(control, treatments, settings, binomial)
    if comparison.negative_control.any():
        raise StatsError(
            "variants[0].sum",
            "the control mean is negative, so a relative lift is meaningless; "
            "shift the metric so that it is positive.",
        )
    conclude(comparison, settings, family_axes=(0,))

    srm = as_number(srm_p_value([v.n for v in variants], split))
    warnings = settings_warnings(settings)
    srm_text = srm_warning(srm, settings.srm_threshold)
    if srm_text:
        warnings.insert(0, srm_text)
    arms = [arm_result(v.name, comparison, i) for i, v in enumerate(variants[1:])]
    return AnalysisResult(
        srm_p_value=srm,
        srm_flag=srm_text is not None,
        warnings=warnings,
        arms=arms,
    )
