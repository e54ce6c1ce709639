"""What an analysis says, in words: the calculators' one-sentence verdicts and the numbers
formatted as the page shows them.

The verdict follows the test that decides: the relative lift, whose interval and p-value
come from one estimate and one standard error (delta method), so they cannot disagree.
The difference in the metric's own units has its own interval from Welch's t on the
difference; it ignores that the lift divides by the control mean, which is uncertain too,
so near the boundary it can exclude 0 while the lift's interval does not (or the other way
round). The page shows that interval beside the explanation, never as the verdict.
"""

from dataclasses import dataclass

from .engine import AnalysisResult, ArmResult
from .engine.settings import AnalysisSettings, Method, MetricType

DASH = "—"


def signed_percent(value: float | None, digits: int = 2) -> str:
    return DASH if value is None else f"{value * 100:+.{digits}f} %"


def percent(value: float | None, digits: int = 1) -> str:
    return DASH if value is None else f"{value * 100:.{digits}f} %"


def p_text(value: float | None) -> str:
    if value is None:
        return DASH
    return "< 0.0001" if value < 1e-4 else f"{value:.4f}"


def level_text(alpha: float) -> str:
    """0.05 → "95", 0.1 → "90", 0.005 → "99.5"."""
    return f"{(1 - alpha) * 100:.4g}"


@dataclass(frozen=True)
class ArmReading:
    """One treatment as the page shows it."""

    arm: ArmResult
    verdict: str
    mean_control: str
    mean_treatment: str
    difference: str
    difference_interval: str
    # The difference's own interval and the lift's disagree about excluding 0.
    scales_disagree: bool


def _mean(value: float | None, binomial: bool) -> str:
    if value is None:
        return DASH
    return f"{value * 100:.2f} %" if binomial else f"{value:.4g}"


def _difference(value: float | None, binomial: bool) -> str:
    if value is None:
        return DASH
    return f"{value * 100:+.2f} pp" if binomial else f"{value:+.4g}"


def _excludes_zero(low: float | None, high: float | None) -> bool | None:
    if low is None or high is None:
        return None
    return low > 0 or high < 0


def _verdict(arm: ArmResult, settings: AnalysisSettings, control: str) -> str:
    noun = "conversion" if settings.metric_type == MetricType.BINOMIAL else "the metric's mean"
    level = level_text(settings.alpha)
    lift, low, high = arm.relative_lift, arm.ci_low, arm.ci_high
    if lift is None or low is None or high is None:
        return f"{arm.name}: no lift could be estimated against {control} (see the warnings)."
    interval = f"{signed_percent(low, 1)} to {signed_percent(high, 1)}"
    size = percent(abs(lift), 1)
    if settings.method == Method.BAYESIAN:
        return (
            f"{arm.name} has a {percent(arm.chance_to_win, 0)} chance to beat {control}; its "
            f"lift in {noun} is most likely {signed_percent(lift, 1)} ({level} % credible "
            f"interval {interval})."
        )
    name = "confidence sequence" if settings.method == Method.SEQUENTIAL else "CI"
    corrected = "" if arm.p_value == arm.p_value_unadjusted else " after the correction"
    shown = p_text(arm.p_value)
    p = f"p {shown if shown.startswith('<') else '= ' + shown}{corrected}"
    if arm.significant:
        verb = "raised" if lift > 0 else "lowered"
        return (
            f"{arm.name} {verb} {noun} by {size} ({level} % {name} {interval}); a difference "
            f"this large is unlikely to be chance ({p})."
        )
    way = "higher" if lift >= 0 else "lower"
    return (
        f"{arm.name}'s {noun} was {size} {way} than {control}'s ({level} % {name} {interval}), "
        f"but chance alone could produce a difference like this ({p}): no clear effect yet."
    )


def read(result: AnalysisResult, settings: AnalysisSettings, control: str) -> list[ArmReading]:
    binomial = settings.metric_type == MetricType.BINOMIAL
    readings = []
    for arm in result.arms:
        lift_excludes = _excludes_zero(arm.ci_low, arm.ci_high)
        difference_excludes = _excludes_zero(arm.absolute_ci_low, arm.absolute_ci_high)
        readings.append(
            ArmReading(
                arm=arm,
                verdict=_verdict(arm, settings, control),
                mean_control=_mean(arm.mean_control, binomial),
                mean_treatment=_mean(arm.mean_treatment, binomial),
                difference=_difference(arm.absolute_effect, binomial),
                difference_interval=DASH
                if arm.absolute_ci_low is None
                else f"{_difference(arm.absolute_ci_low, binomial)} to "
                f"{_difference(arm.absolute_ci_high, binomial)}",
                scales_disagree=None not in (lift_excludes, difference_excludes)
                and lift_excludes != difference_excludes,
            )
        )
    return readings
