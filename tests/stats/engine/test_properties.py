"""Invariants that hold for any input, checked with hypothesis."""

import json

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from apps.stats.engine import AnalysisSettings, Prior, VariantStatistic, analyze

from .samples import aggregate, from_moments, ratio_from_moments

METHODS = ["frequentist", "bayesian", "sequential"]


@st.composite
def binomial_pair(draw):
    arms = []
    for name in ("control", "B"):
        n = draw(st.integers(0, 10**7))
        conversions = draw(st.integers(0, n))
        arms.append(VariantStatistic(name, n, conversions, conversions))
    return "binomial", arms


@st.composite
def continuous_pair(draw):
    arms = []
    for name in ("control", "B"):
        n = draw(st.integers(2, 10**7))
        mean = draw(st.floats(1e-3, 1e4))
        sd = draw(st.floats(0, 1e4))
        arms.append(from_moments(name, n, mean, sd**2))
    return "continuous", arms


@st.composite
def ratio_pair(draw, tiny_numerators: bool = True):
    """Σy/Σx per arm with any spread and correlation the sums allow, Σx > 0 always.

    Without `tiny_numerators` a mean numerator is 0 or at least 1e-3, as continuous_pair's
    means are: a ratio 1e-300 times the other arm's leaves a lift of −1 to within rounding.
    """
    some = st.floats(0, 1e4) if tiny_numerators else st.just(0.0) | st.floats(1e-3, 1e4)
    arms = []
    for name in ("control", "B"):
        arms.append(
            ratio_from_moments(
                name,
                n=draw(st.integers(2, 10**7)),
                mean_y=draw(some),
                sd_y=draw(st.floats(0, 1e4)),
                mean_x=draw(st.floats(1e-2, 1e3)),
                sd_x=draw(st.floats(0, 1e3)),
                correlation=draw(st.floats(-1, 1)),
            )
        )
    return "ratio", arms


ANY_PAIR = st.one_of(binomial_pair(), continuous_pair(), ratio_pair())


def settings_for(metric_type: str, method: str) -> AnalysisSettings:
    prior = Prior(0.0, 0.5) if method == "bayesian" else None
    return AnalysisSettings(metric_type, method=method, prior=prior)


@pytest.mark.parametrize("method", METHODS)
@given(case=ANY_PAIR)
def test_it_keeps_p_values_and_chances_in_the_unit_interval(method, case):
    metric_type, pair = case
    result = analyze(pair, settings_for(metric_type, method))
    arm = result.arms[0]

    for value in (arm.p_value, arm.p_value_unadjusted, arm.chance_to_win, result.srm_p_value):
        assert value is None or 0 <= value <= 1
    json.dumps(result.to_dict(), allow_nan=False)


@pytest.mark.parametrize("method", METHODS)
@given(case=ANY_PAIR)
def test_it_puts_every_interval_around_its_estimate(method, case):
    metric_type, pair = case
    arm = analyze(pair, settings_for(metric_type, method)).arms[0]

    if arm.ci_low is not None:
        assert arm.ci_low <= arm.relative_lift <= arm.ci_high
    if arm.absolute_ci_low is not None:
        assert arm.absolute_ci_low <= arm.absolute_effect <= arm.absolute_ci_high


@given(case=st.one_of(continuous_pair(), ratio_pair()))
def test_it_flips_the_absolute_effect_when_the_arms_swap(case):
    metric_type, pair = case
    forward = analyze(pair, AnalysisSettings(metric_type)).arms[0]
    backward = analyze(pair[::-1], AnalysisSettings(metric_type)).arms[0]

    assert backward.absolute_effect == pytest.approx(-forward.absolute_effect, rel=1e-9, abs=1e-12)
    if forward.absolute_ci_low is not None:
        assert backward.absolute_ci_low == pytest.approx(
            -forward.absolute_ci_high, rel=1e-9, abs=1e-12
        )


@pytest.mark.parametrize("method", METHODS)
@given(case=continuous_pair(), scale=st.floats(1e-3, 1e3))
def test_it_leaves_the_relative_lift_unchanged_when_the_metric_is_rescaled(method, case, scale):
    _, plain = case
    # Every value y becomes c·y: Σy scales by c, Σy² by c².
    rescaled = [
        VariantStatistic(v.name, v.n, v.sum * scale, v.sum_squares * scale**2) for v in plain
    ]

    a = analyze(plain, settings_for("continuous", method)).arms[0]
    b = analyze(rescaled, settings_for("continuous", method)).arms[0]

    for name in ("relative_lift", "ci_low", "ci_high", "p_value", "chance_to_win"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None)
        if x is not None:
            assert y == pytest.approx(x, rel=1e-6, abs=1e-9), name


@pytest.mark.parametrize("method", METHODS)
@given(
    case=ratio_pair(tiny_numerators=False),
    numerator=st.floats(1e-3, 1e3),
    denominator=st.floats(1e-3, 1e3),
)
def test_it_leaves_a_ratios_relative_lift_unchanged_when_either_side_is_rescaled(
    method, case, numerator, denominator
):
    _, plain = case
    # y becomes a·y and x becomes b·x: R scales by a/b, R_t/R_c does not move.
    a, b = numerator, denominator
    rescaled = [
        VariantStatistic(
            v.name,
            v.n,
            v.sum * a,
            v.sum_squares * a**2,
            denominator_sum=v.denominator_sum * b,
            denominator_sum_squares=v.denominator_sum_squares * b**2,
            cross_sum=v.cross_sum * a * b,
        )
        for v in plain
    ]

    before = analyze(plain, settings_for("ratio", method)).arms[0]
    after = analyze(rescaled, settings_for("ratio", method)).arms[0]

    if before.mean_control is not None:
        assert after.mean_control == pytest.approx(before.mean_control * a / b, rel=1e-9)
    for name in ("relative_lift", "ci_low", "ci_high", "p_value", "chance_to_win"):
        x, y = getattr(before, name), getattr(after, name)
        assert (x is None) == (y is None), name
        if x is not None:
            assert y == pytest.approx(x, rel=1e-6, abs=1e-9), name


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2000, 6000))
def test_it_changes_almost_nothing_with_an_uncorrelated_covariate(seed, n):
    rng = np.random.default_rng(seed)
    y_c, y_t = rng.normal(10, 3, n), rng.normal(10.2, 3, n)
    x_c, x_t = rng.normal(5, 2, n), rng.normal(5, 2, n)
    raw = analyze([aggregate("control", y_c), aggregate("B", y_t)], AnalysisSettings("continuous"))
    adjusted = analyze(
        [aggregate("control", y_c, x_c), aggregate("B", y_t, x_t)], AnalysisSettings("continuous")
    )
    before, after = raw.arms[0], adjusted.arms[0]
    assume(before.ci_low is not None)

    se = (before.ci_high - before.ci_low) / (2 * 1.96)
    assert abs(after.relative_lift - before.relative_lift) < 0.1 * se
    assert abs(after.variance_reduction) < 0.01
    assert after.ci_high - after.ci_low == pytest.approx(before.ci_high - before.ci_low, rel=0.01)
