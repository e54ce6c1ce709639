"""Guardrails and ship decisions, in the manner of Eppo's and Statsig's decision frameworks.

A guardrail is a metric the change must not harm beyond a tolerated relative threshold
(for instance −2 % on page speed). The recommendation reads the primary metric, the
guardrails and whether the planned sample has been reached.
"""

from dataclasses import dataclass
from enum import StrEnum

from .analysis import ArmResult
from .errors import StatsError


class GuardrailStatus(StrEnum):
    PASS = "pass"
    INCONCLUSIVE = "inconclusive"
    FAIL = "fail"


class Recommendation(StrEnum):
    SHIP = "ship"
    KEEP_RUNNING = "keep running"
    DISCUSS = "discuss"
    DONT_SHIP = "don't ship"


def _oriented(arm: ArmResult, higher_is_better: bool) -> tuple[float, float] | None:
    """The relative-lift interval turned so that positive is good."""
    if arm.ci_low is None or arm.ci_high is None:
        return None
    if higher_is_better:
        return arm.ci_low, arm.ci_high
    return -arm.ci_high, -arm.ci_low


def guardrail_status(arm: ArmResult, threshold: float, higher_is_better: bool = True):
    """Pass, inconclusive or fail for one guardrail metric of one treatment.

    With the interval turned so that positive is good and the tolerated harm `threshold`
    (a relative lift ≥ 0, e.g. 0.02):
      fail          the interval lies wholly on the harmful side of 0 and reaches beyond
                    −threshold: the data show harm, possibly more than is tolerated;
      pass          the interval's harmful end stays above −threshold: harm beyond the
                    threshold is ruled out (non-inferiority);
      inconclusive  otherwise, including when no interval could be computed.
    """
    if not threshold >= 0:
        raise StatsError("threshold", "must be 0 or greater.")
    interval = _oriented(arm, higher_is_better)
    if interval is None:
        return GuardrailStatus.INCONCLUSIVE
    low, high = interval
    if high < 0 and low < -threshold:
        return GuardrailStatus.FAIL
    if low > -threshold:
        return GuardrailStatus.PASS
    return GuardrailStatus.INCONCLUSIVE


@dataclass(frozen=True)
class Decision:
    recommendation: Recommendation
    reason: str


def recommend(
    primary: ArmResult,
    guardrails: list[GuardrailStatus],
    *,
    units: int,
    planned_units: int,
    higher_is_better: bool = True,
    srm_flag: bool = False,
) -> Decision:
    """Ship / keep running / discuss / don't ship for one treatment.

    In order: a sample ratio mismatch means the data cannot be trusted (discuss); a failed
    guardrail blocks shipping (discuss when the primary metric won, else don't ship); a
    significant win ships and a significant loss does not; with no clear result the test
    keeps running until the planned sample is reached, after which the change has not
    shown it helps (don't ship).
    """
    if srm_flag:
        return Decision(Recommendation.DISCUSS, "Sample ratio mismatch: check assignment first.")
    interval = _oriented(primary, higher_is_better)
    won = bool(primary.significant) and interval is not None and interval[0] > 0
    lost = bool(primary.significant) and interval is not None and interval[1] < 0
    if GuardrailStatus.FAIL in guardrails:
        if won:
            return Decision(
                Recommendation.DISCUSS, "The primary metric won but a guardrail failed."
            )
        return Decision(Recommendation.DONT_SHIP, "A guardrail failed.")
    if won:
        return Decision(Recommendation.SHIP, "The primary metric improved significantly.")
    if lost:
        return Decision(Recommendation.DONT_SHIP, "The primary metric got significantly worse.")
    if units < planned_units:
        return Decision(Recommendation.KEEP_RUNNING, "No clear result before the planned sample.")
    return Decision(Recommendation.DONT_SHIP, "No significant effect at the planned sample.")
