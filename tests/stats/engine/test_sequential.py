"""Asymptotic confidence sequences: the formula, and that peeking stays honest."""

import math

import numpy as np
import pytest

from apps.stats.engine import AnalysisSettings, BatchInput, analyze, analyze_many, sequential

from .samples import binomial

VARIANTS = [binomial("control", 10000, 1000), binomial("B", 10000, 1100)]


def test_it_follows_the_waudby_smith_boundary_by_hand():
    # α = 0.05, N* = 5000: ρ² = (−2 ln 0.05 + ln(−2 ln 0.05 + 1)) / 5000
    #                          = (5.991465 + 1.944690) / 5000 = 0.001587231
    alpha, tuning, n, se = 0.05, 5000, 20000, 0.01
    rho2 = (5.991464547 + 1.944690055) / 5000
    spread = n * rho2 + 1  # 32.7446
    expected = (
        se
        * math.sqrt(n)
        * math.sqrt(2 * spread / (n**2 * rho2) * math.log(math.sqrt(spread) / alpha))
    )

    assert sequential.rho_squared(alpha, tuning) == pytest.approx(rho2, rel=1e-9)
    assert sequential.half_width(se, n, alpha, tuning) == pytest.approx(expected, rel=1e-9)
    assert expected == pytest.approx(0.031271, rel=1e-4)


def test_it_turns_the_mixture_e_value_into_a_p_value():
    alpha, tuning, n = 0.05, 5000, 20000
    rho2 = sequential.rho_squared(alpha, tuning)
    z = 3.0
    log_e = n * rho2 * z**2 / (2 * (n * rho2 + 1)) - 0.5 * math.log(n * rho2 + 1)

    assert sequential.p_value(3.0, 1.0, n, alpha, tuning) == pytest.approx(math.exp(-log_e))
    assert sequential.p_value(0.0, 1.0, n, alpha, tuning) == 1.0


def test_it_is_wider_than_the_fixed_horizon_interval():
    fixed = analyze(VARIANTS, AnalysisSettings("binomial")).arms[0]
    always = analyze(VARIANTS, AnalysisSettings("binomial", method="sequential")).arms[0]

    assert always.relative_lift == fixed.relative_lift
    assert always.ci_high - always.ci_low > fixed.ci_high - fixed.ci_low
    assert always.p_value > fixed.p_value


@pytest.mark.parametrize("conversions", [1000, 1050, 1080, 1090, 1100, 1120, 1150, 1200])
def test_it_rejects_exactly_when_the_sequence_excludes_zero(conversions):
    variants = [binomial("control", 10000, 1000), binomial("B", 10000, conversions)]
    arm = analyze(variants, AnalysisSettings("binomial", method="sequential")).arms[0]

    assert (arm.ci_low > 0 or arm.ci_high < 0) == (arm.p_value < 0.05) == arm.significant


def test_it_keeps_the_false_positive_rate_under_alpha_when_peeking_daily():
    # 400 A/A experiments, 1000 units per arm a day, looked at on each of 20 days.
    rng = np.random.default_rng(20240611)
    experiments, days, daily, rate = 400, 20, 1000, 0.1
    conversions = rng.binomial(daily, rate, size=(experiments, 2, days)).cumsum(axis=2)
    units = daily * np.arange(1, days + 1) * np.ones((experiments, 2, 1))
    batch = BatchInput(n=units, sum=conversions, sum_squares=conversions)

    def stopped_early(method: str) -> float:
        result = analyze_many(batch, AnalysisSettings("binomial", method=method))
        p = result.comparison.p_value[:, 0, :]
        return float(np.mean((p < 0.05).any(axis=1)))

    assert stopped_early("sequential") <= 0.05
    assert stopped_early("frequentist") > 0.1  # peeking at a fixed-horizon test misleads
