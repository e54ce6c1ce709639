"""CUPED against ordinary least squares on the raw data it summarises."""

import numpy as np
import pytest
import statsmodels.api as sm

from apps.stats.engine import AnalysisSettings, analyze, cuped

from .samples import aggregate


def simulate(seed: int, n_c=3000, n_t=3200, effect=0.3, slope=0.8):
    rng = np.random.default_rng(seed)
    x_c, x_t = rng.gamma(2.0, 2.0, n_c), rng.gamma(2.0, 2.0, n_t)
    y_c = 5 + slope * x_c + rng.normal(0, 1.5, n_c)
    y_t = 5 + effect + slope * x_t + rng.normal(0, 1.5, n_t)
    return (x_c, y_c), (x_t, y_t)


def ols(control, treatment):
    (x_c, y_c), (x_t, y_t) = control, treatment
    y = np.concatenate([y_c, y_t])
    design = np.column_stack(
        [np.ones(len(y)), np.r_[np.zeros(len(y_c)), np.ones(len(y_t))], np.r_[x_c, x_t]]
    )
    return sm.OLS(y, design).fit()


def test_it_estimates_theta_as_the_regression_slope_on_the_covariate():
    control, treatment = simulate(1)
    c, t = aggregate("control", control[1], control[0]), aggregate("B", treatment[1], treatment[0])

    theta = cuped.theta(
        c.n, c.sum, c.pre_sum, c.pre_sum_squares, c.sum_product,
        t.n, t.sum, t.pre_sum, t.pre_sum_squares, t.sum_product,
    )  # fmt: skip

    assert float(theta) == pytest.approx(ols(control, treatment).params[2], rel=1e-9)


def test_it_adjusts_the_effect_like_the_regressions_treatment_coefficient():
    control, treatment = simulate(2)
    variants = [
        aggregate("control", control[1], control[0]),
        aggregate("B", treatment[1], treatment[0]),
    ]
    fit = ols(control, treatment)

    arm = analyze(variants, AnalysisSettings("continuous")).arms[0]

    assert arm.absolute_effect == pytest.approx(fit.params[1], rel=1e-9)
    # Welch-style per-arm residual variances versus OLS's pooled one: close, not equal.
    half = (arm.absolute_ci_high - arm.absolute_ci_low) / 2
    assert half == pytest.approx(1.96 * fit.bse[1], rel=0.03)
    # The relative lift divides by the raw control mean.
    assert arm.relative_lift == pytest.approx(fit.params[1] / control[1].mean(), rel=1e-9)
    assert arm.mean_control == pytest.approx(control[1].mean())


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
