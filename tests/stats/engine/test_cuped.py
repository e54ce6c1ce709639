"""CUPED held to an independent computation on the raw data it summarises.

The convention (Deng et al. 2013, as GrowthBook's gbstats computes it): θ is the slope of
the metric on the pre-period covariate over all units of the two arms compared (the total
covariance), each unit's metric is adjusted by θ(x − x̄), and the adjusted values get
Welch's t-test. The reference below does exactly that with numpy and scipy on unit-level
rows; the engine sees only the sums.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from apps.stats.engine import AnalysisSettings, analyze, cuped

from .samples import aggregate


def simulate(seed: int, n_c=3000, n_t=3200, effect=0.3, slope=0.8, shift=0.0):
    rng = np.random.default_rng(seed)
    x_c, x_t = rng.gamma(2.0, 2.0, n_c), rng.gamma(2.0, 2.0, n_t) + shift
    y_c = 5 + slope * x_c + rng.normal(0, 1.5, n_c)
    y_t = 5 + effect + slope * x_t + rng.normal(0, 1.5, n_t)
    return (x_c, y_c), (x_t, y_t)


def reference(control, treatment, alpha=0.05):
    """Adjust each unit by θ(x − x̄) with θ from the pooled units, then scipy's Welch test."""
    (x_c, y_c), (x_t, y_t) = control, treatment
    x, y = np.r_[x_c, x_t], np.r_[y_c, y_t]
    theta = np.cov(x, y)[0, 1] / np.var(x, ddof=1)
    adj_c = y_c - theta * (x_c - x.mean())
    adj_t = y_t - theta * (x_t - x.mean())
    test = stats.ttest_ind(adj_t, adj_c, equal_var=False)
    estimate = adj_t.mean() - adj_c.mean()
    se = np.sqrt(adj_t.var(ddof=1) / len(adj_t) + adj_c.var(ddof=1) / len(adj_c))
    ci = test.confidence_interval(1 - alpha)
    return {
        "theta": theta,
        "estimate": estimate,
        "se": se,
        "df": test.df,
        "low": ci.low,
        "high": ci.high,
        "p": test.pvalue,
    }


def engine_theta(control, treatment):
    c = aggregate("control", control[1], control[0])
    t = aggregate("B", treatment[1], treatment[0])
    return float(
        cuped.theta(
            c.n, c.sum, c.pre_sum, c.pre_sum_squares, c.sum_product,
            t.n, t.sum, t.pre_sum, t.pre_sum_squares, t.sum_product,
        )
    )  # fmt: skip


def test_it_takes_theta_from_the_total_covariance_of_the_two_arms():
    # A covariate shifted in the treatment separates total from within-arm slope.
    control, treatment = simulate(1, shift=1.5, effect=2.0)
    within = (
        np.cov(control[0], control[1])[0, 1] * (len(control[0]) - 1)
        + np.cov(treatment[0], treatment[1])[0, 1] * (len(treatment[0]) - 1)
    ) / (
        np.var(control[0], ddof=1) * (len(control[0]) - 1)
        + np.var(treatment[0], ddof=1) * (len(treatment[0]) - 1)
    )

    theta = engine_theta(control, treatment)

    assert theta == pytest.approx(reference(control, treatment)["theta"], rel=1e-9)
    assert abs(theta - within) > 0.01


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_it_matches_a_welch_test_on_the_adjusted_units(seed):
    control, treatment = simulate(seed, shift=0.2 * seed)
    variants = [
        aggregate("control", control[1], control[0]),
        aggregate("B", treatment[1], treatment[0]),
    ]
    ref = reference(control, treatment)

    arm = analyze(variants, AnalysisSettings("continuous")).arms[0]

    assert arm.absolute_effect == pytest.approx(ref["estimate"], rel=1e-9)
    assert arm.absolute_ci_low == pytest.approx(ref["low"], rel=1e-7)
    assert arm.absolute_ci_high == pytest.approx(ref["high"], rel=1e-7)
    # se and df: the interval's half-width is t_{0.975, df} · se.
    half = (arm.absolute_ci_high - arm.absolute_ci_low) / 2
    assert half == pytest.approx(stats.t.ppf(0.975, ref["df"]) * ref["se"], rel=1e-7)
    # The relative lift divides by the raw control mean.
    assert arm.relative_lift == pytest.approx(ref["estimate"] / control[1].mean(), rel=1e-9)
    assert arm.mean_control == pytest.approx(control[1].mean())


def test_its_interval_uses_welch_t_not_z_in_the_bayesian_method_too():
    control, treatment = simulate(6, n_c=40, n_t=35)
    variants = [
        aggregate("control", control[1], control[0]),
        aggregate("B", treatment[1], treatment[0]),
    ]
    ref = reference(control, treatment)

    arm = analyze(variants, AnalysisSettings("continuous", method="bayesian")).arms[0]

    assert arm.absolute_ci_low == pytest.approx(ref["low"], rel=1e-7)
    assert arm.absolute_ci_high == pytest.approx(ref["high"], rel=1e-7)


def test_it_computes_theta_per_pair_with_more_arms():
    rng = np.random.default_rng(7)
    arms = []
    for shift, slope in ((0.0, 0.8), (2.0, 0.8), (-1.0, 0.8)):
        x = rng.gamma(2.0, 2.0, 2000) + shift
        arms.append((x, 5 + slope * x + 0.5 * shift + rng.normal(0, 1.5, 2000)))
    variants = [
        aggregate(name, y, x) for name, (x, y) in zip(("control", "B", "C"), arms, strict=True)
    ]

    result = analyze(variants, AnalysisSettings("continuous"))

    for arm, treatment in zip(result.arms, arms[1:], strict=True):
        ref = reference(arms[0], treatment)
        assert arm.absolute_effect == pytest.approx(ref["estimate"], rel=1e-9)
        assert arm.absolute_ci_low == pytest.approx(ref["low"], rel=1e-7)
    assert engine_theta(arms[0], arms[1]) != pytest.approx(engine_theta(arms[0], arms[2]))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_c=st.integers(5, 300),
    n_t=st.integers(5, 300),
    slope=st.floats(-0.5, 3),
    shift=st.floats(-2, 2),
)
def test_it_agrees_with_the_unit_level_computation_for_any_data(seed, n_c, n_t, slope, shift):
    control, treatment = simulate(seed, n_c=n_c, n_t=n_t, slope=slope, shift=shift)
    variants = [
        aggregate("control", control[1], control[0]),
        aggregate("B", treatment[1], treatment[0]),
    ]
    ref = reference(control, treatment)

    arm = analyze(variants, AnalysisSettings("continuous")).arms[0]

    assert arm.absolute_effect == pytest.approx(ref["estimate"], rel=1e-6, abs=1e-9)
    assert arm.absolute_ci_low <= arm.absolute_effect <= arm.absolute_ci_high
    assert arm.absolute_ci_low == pytest.approx(ref["low"], rel=1e-5, abs=1e-8)
    assert arm.absolute_ci_high == pytest.approx(ref["high"], rel=1e-5, abs=1e-8)
    assert 0 <= arm.p_value <= 1


def test_it_reports_the_variance_reduction_the_covariate_buys():
    control, treatment = simulate(3)
    with_pre = [
        aggregate("control", control[1], control[0]),
        aggregate("B", treatment[1], treatment[0]),
    ]
    without = [aggregate("control", control[1]), aggregate("B", treatment[1])]

    adjusted = analyze(with_pre, AnalysisSettings("continuous")).arms[0]
    raw = analyze(without, AnalysisSettings("continuous")).arms[0]

    # Reduction ≈ ρ², the squared correlation of y with x.
    rho = np.corrcoef(np.r_[control[0], treatment[0]], np.r_[control[1], treatment[1]])[0, 1]
    assert adjusted.variance_reduction == pytest.approx(rho**2, abs=0.03)
    raw_width = raw.absolute_ci_high - raw.absolute_ci_low
    adjusted_width = adjusted.absolute_ci_high - adjusted.absolute_ci_low
    assert adjusted_width**2 / raw_width**2 == pytest.approx(
        1 - adjusted.variance_reduction, rel=0.01
    )
    assert raw.variance_reduction is None


def test_it_reduces_to_the_plain_delta_method_when_theta_is_zero():
    args = dict(mean_c=2.0, var_adj_t=3.0, var_adj_c=2.5, var_c=2.5, cov_c=0.7, theta_=0.0)
    lift, n_t, n_c = 0.1, 400, 500
    plain = 3.0 / (4 * n_t) + 2.5 * (2.0 * 1.1) ** 2 / (16 * n_c)

    assert cuped.adjusted_relative_variance(lift=lift, n_t=n_t, n_c=n_c, **args) == pytest.approx(
        plain
    )


def test_it_skips_cuped_with_a_warning_when_the_control_lacks_the_covariate():
    control, treatment = simulate(4)
    variants = [aggregate("control", control[1]), aggregate("B", treatment[1], treatment[0])]

    arm = analyze(variants, AnalysisSettings("continuous")).arms[0]

    assert arm.variance_reduction is None
    assert any("CUPED" in text for text in arm.warnings)


def test_it_skips_cuped_when_the_covariate_is_constant():
    control, treatment = simulate(5)
    variants = [
        aggregate("control", control[1], np.ones_like(control[0])),
        aggregate("B", treatment[1], np.ones_like(treatment[0])),
    ]

    arm = analyze(variants, AnalysisSettings("continuous")).arms[0]

    assert arm.variance_reduction is None
    assert any("does not vary" in text for text in arm.warnings)
    assert arm.p_value is not None
