"""Welch's t against scipy, the delta method against a worked example."""

import math

import numpy as np
import pytest
from scipy import stats

from apps.stats.engine import AnalysisSettings, analyze
from apps.stats.engine.frequentist import relative_lift_variance, welch_df

from .samples import binomial, from_moments


def test_it_matches_scipys_welch_test_on_the_absolute_difference():
    control = from_moments("control", 800, 10.0, 16.0)
    treatment = from_moments("B", 650, 10.6, 25.0)

    arm = analyze([control, treatment], AnalysisSettings("continuous")).arms[0]

    reference = stats.ttest_ind_from_stats(10.6, 5.0, 650, 10.0, 4.0, 800, equal_var=False)
    df = welch_df(25.0 / 650, 16.0 / 800, 650, 800)
    half = stats.t.ppf(0.975, df) * math.sqrt(25.0 / 650 + 16.0 / 800)
    assert arm.absolute_effect == pytest.approx(0.6)
    assert arm.absolute_ci_low == pytest.approx(0.6 - half, rel=1e-12)
    assert arm.absolute_ci_high == pytest.approx(0.6 + half, rel=1e-12)
    # scipy's Welch statistic and p-value come from the same se and df as the interval.
    statistic = 0.6 / math.sqrt(25.0 / 650 + 16.0 / 800)
    assert statistic == pytest.approx(reference.statistic, rel=1e-12)
    assert 2 * stats.t.sf(statistic, df) == pytest.approx(reference.pvalue, rel=1e-9)


def test_it_computes_the_welch_satterthwaite_degrees_of_freedom_like_scipy():
    # scipy does not expose its df, but its p-value pins it down.
    rng = np.random.default_rng(3)
    for _ in range(20):
        n1, n2 = rng.integers(2, 500, 2)
        s1, s2 = rng.uniform(0.1, 10, 2)
        reference = stats.ttest_ind_from_stats(0, s1, n1, 1, s2, n2, equal_var=False)
        df = welch_df(s1**2 / n1, s2**2 / n2, n1, n2)

        p = 2 * stats.t.sf(abs(reference.statistic), df)
        assert p == pytest.approx(reference.pvalue, rel=1e-9)


def test_it_reproduces_the_worked_delta_method_example():
    # Control 100/1000 (p = 0.10), treatment 120/1000 (p = 0.12).
    #   lift = 0.12 / 0.10 − 1 = 0.2
    #   v_c = 0.1 · 0.9 = 0.09,  v_t = 0.12 · 0.88 = 0.1056
    #   Var = v_t / (m_c² n_t) + v_c m_t² / (m_c⁴ n_c)
    #       = 0.1056 / (0.01 · 1000) + 0.09 · 0.0144 / (0.0001 · 1000) = 0.01056 + 0.01296
    #       = 0.02352,  se = 0.153362...
    #   ν = (1.056e-4 + 9e-5)² / ((1.056e-4)² / 999 + (9e-5)² / 999) = 1985.37...
    arm = analyze(
        [binomial("control", 1000, 100), binomial("B", 1000, 120)],
        AnalysisSettings("binomial"),
    ).arms[0]

    se = math.sqrt(0.02352)
    df = (1.956e-4) ** 2 / ((1.056e-4**2 + 9e-5**2) / 999)
    assert df == pytest.approx(1985.37, abs=0.01)
    assert arm.relative_lift == pytest.approx(0.2)
    assert relative_lift_variance(0.1, 0.12, 0.09, 0.1056, 1000, 1000) == pytest.approx(0.02352)
    assert arm.ci_low == pytest.approx(0.2 - stats.t.ppf(0.975, df) * se, rel=1e-10)
    assert arm.ci_high == pytest.approx(0.2 + stats.t.ppf(0.975, df) * se, rel=1e-10)
    assert arm.p_value == pytest.approx(2 * stats.t.sf(0.2 / se, df), rel=1e-10)
    assert arm.p_value == pytest.approx(0.19235, abs=1e-5)  # t = 1.3041 on 1985 df
    assert arm.significant is False


@pytest.mark.parametrize("conversions", [100, 110, 118, 119, 125, 131, 140])
def test_it_declares_significance_exactly_when_the_interval_excludes_zero(conversions):
    arm = analyze(
        [binomial("control", 2000, 200), binomial("B", 2000, conversions)],
        AnalysisSettings("binomial", alpha=0.05),
    ).arms[0]

    excludes_zero = arm.ci_low > 0 or arm.ci_high < 0
    assert excludes_zero == (arm.p_value < 0.05) == arm.significant


def test_it_reports_no_bayesian_fields_for_a_frequentist_analysis():
    arm = analyze(
        [binomial("control", 1000, 100), binomial("B", 1000, 120)], AnalysisSettings("binomial")
    ).arms[0]

    assert arm.chance_to_win is None
    assert arm.expected_loss is None
    assert arm.variance_reduction is None
