import pytest

from apps.stats.engine import (
    AnalysisSettings,
    GuardrailStatus,
    Recommendation,
    StatsError,
    analyze,
    guardrail_status,
    recommend,
)
from apps.stats.engine.analysis import ArmResult

from .samples import binomial


def arm(low: float | None, high: float | None, significant: bool | None = None) -> ArmResult:
    middle = None if low is None else (low + high) / 2
    return ArmResult(
        name="B", mean_control=1.0, mean_treatment=1.0, absolute_effect=0.0,
        absolute_ci_low=None, absolute_ci_high=None, relative_lift=middle, ci_low=low,
        ci_high=high, p_value=None, p_value_unadjusted=None, chance_to_win=None,
        expected_loss=None, significant=significant, variance_reduction=None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("low", "high", "higher_is_better", "status"),
    [
        (-0.05, -0.01, True, GuardrailStatus.FAIL),
        (-0.01, 0.03, True, GuardrailStatus.PASS),
        (-0.04, 0.01, True, GuardrailStatus.INCONCLUSIVE),
        (0.01, 0.05, False, GuardrailStatus.FAIL),
        (-0.03, 0.01, False, GuardrailStatus.PASS),
        (None, None, True, GuardrailStatus.INCONCLUSIVE),
    ],
)
def test_it_judges_a_guardrail_against_its_threshold(low, high, higher_is_better, status):
    assert guardrail_status(arm(low, high), 0.02, higher_is_better) == status


def test_it_refuses_a_negative_guardrail_threshold():
    with pytest.raises(StatsError):
        guardrail_status(arm(0, 0.1), -0.1)


def test_it_ships_a_significant_win_with_healthy_guardrails():
    primary = analyze(
        [binomial("control", 20000, 2000), binomial("B", 20000, 2300)], AnalysisSettings("binomial")
    ).arms[0]

    decision = recommend(primary, [GuardrailStatus.PASS], units=40000, planned_units=40000)

    assert decision.recommendation == Recommendation.SHIP


@pytest.mark.parametrize(
    ("primary", "guardrails", "units", "kwargs", "expected"),
    [
        (arm(0.01, 0.05, True), [GuardrailStatus.FAIL], 100, {}, Recommendation.DISCUSS),
        (arm(-0.01, 0.05, False), [GuardrailStatus.FAIL], 100, {}, Recommendation.DONT_SHIP),
        (arm(-0.05, -0.01, True), [], 100, {}, Recommendation.DONT_SHIP),
        (arm(-0.01, 0.05, False), [], 50, {}, Recommendation.KEEP_RUNNING),
        (arm(-0.01, 0.05, False), [], 100, {}, Recommendation.DONT_SHIP),
        (arm(-0.05, -0.01, True), [], 100, {"higher_is_better": False}, Recommendation.SHIP),
        (arm(0.01, 0.05, True), [], 100, {"srm_flag": True}, Recommendation.DISCUSS),
    ],
)
def test_it_recommends_from_the_primary_metric_guardrails_and_sample(
    primary, guardrails, units, kwargs, expected
):
    decision = recommend(primary, guardrails, units=units, planned_units=100, **kwargs)

    assert decision.recommendation == expected
    assert decision.reason
