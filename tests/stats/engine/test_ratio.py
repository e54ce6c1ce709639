"""Ratio metrics (Σy/Σx per arm) against the delta method computed from the units."""

import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from apps.stats.engine import (
    AnalysisSettings,
    BatchInput,
    Design,
    StatsError,
    VariantStatistic,
    analyze,
    analyze_many,
    pooled_over_segments,
)

from .samples import ratio


def orders(rng, n, lift=0.0):
    """Revenue (y) and orders (x) per user: many users order nothing, big spenders repeat.

    Each order is worth Gamma(2, 20 · spender), so a user's revenue is Gamma(2x, 20 · spender)
    and revenue per order is 40 · E[spender] · (1 + lift) in expectation.
    """
    x = rng.poisson(1.2, n).astype(float)
    spender = rng.gamma(1.0, 1.0, n)
    y = rng.gamma(2 * x, 20 * spender * (1 + lift))
    return y, x


def delta_reference(control, treatment):
    """Each arm's ratio and Var(R) = (v_y − 2R c_xy + R² v_x) / (n x̄²), with numpy's cov."""
    arms = []
    for y, x in (control, treatment):
        r = y.sum() / x.sum()
        (v_y, c_xy), (_, v_x) = np.cov(y, x)
        arms.append((r, (v_y - 2 * r * c_xy + r * r * v_x) / (len(y) * x.mean() ** 2), len(y)))
    (r_c, var_c, n_c), (r_t, var_t, n_t) = arms
    lift = r_t / r_c - 1
    return {
        "r_c": r_c,
        "r_t": r_t,
        "se_abs": math.sqrt(var_c + var_t),
        "lift": lift,
        # Delta method for R_t / R_c − 1 with independent arms.
        "se_rel": math.sqrt(var_t / r_c**2 + r_t**2 * var_c / r_c**4),
        "df": (var_c + var_t) ** 2 / (var_c**2 / (n_c - 1) + var_t**2 / (n_t - 1)),
        "n_total": n_c + n_t,
    }


def close(value):
    return pytest.approx(value, rel=1e-9, abs=1e-12)


@pytest.fixture
def revenue_per_order():
    rng = np.random.default_rng(20240611)
    return orders(rng, 4000), orders(rng, 4200, lift=0.04)


def test_it_matches_the_delta_method_computed_from_the_units(revenue_per_order):
    control, treatment = revenue_per_order
    ref = delta_reference(control, treatment)
    t = stats.t.ppf(0.975, ref["df"])
    diff = ref["r_t"] - ref["r_c"]

    arm = analyze([ratio("control", *control), ratio("B", *treatment)], AnalysisSettings("ratio"))
    arm = arm.arms[0]

    assert arm.mean_control == close(ref["r_c"])
    assert arm.mean_treatment == close(ref["r_t"])
    assert arm.absolute_effect == close(diff)
    assert arm.absolute_ci_low == close(diff - t * ref["se_abs"])
    assert arm.absolute_ci_high == close(diff + t * ref["se_abs"])
    assert arm.relative_lift == close(ref["lift"])
    assert arm.ci_low == close(ref["lift"] - t * ref["se_rel"])
    assert arm.ci_high == close(ref["lift"] + t * ref["se_rel"])
    p = 2 * stats.t.sf(abs(ref["lift"] / ref["se_rel"]), ref["df"])
    assert arm.p_value == close(p)
    assert arm.warnings == []


def test_it_runs_the_confidence_sequence_on_the_delta_method_se(revenue_per_order):
    control, treatment = revenue_per_order
    ref = delta_reference(control, treatment)
    alpha, tuning, n = 0.05, 5000, ref["n_total"]
    # Waudby-Smith et al. 2023, Gaussian mixture boundary, written out afresh.
    log_term = -2 * math.log(alpha)
    rho2 = (log_term + math.log(log_term + 1)) / tuning
    spread = n * rho2 + 1
    radius = math.sqrt(2 * spread / (n**2 * rho2) * math.log(math.sqrt(spread) / alpha))
    half = ref["se_rel"] * math.sqrt(n) * radius
    z = ref["lift"] / ref["se_rel"]
    p = min(1.0, math.exp(-(n * rho2 * z**2 / (2 * spread) - 0.5 * math.log(spread))))

    arm = analyze(
        [ratio("control", *control), ratio("B", *treatment)],
        AnalysisSettings("ratio", method="sequential", sequential_tuning_n=tuning),
    ).arms[0]

    assert arm.ci_low == close(ref["lift"] - half)
    assert arm.ci_high == close(ref["lift"] + half)
    assert arm.p_value == close(p)


def test_it_gives_each_ratio_statsmodels_robust_standard_error(revenue_per_order):
    # Weighted least squares of y/x on a constant with weights x estimates Σy/Σx, and its
    # HC1 sandwich variance is the delta method's: Σ(y − Rx)² / (Σx)² · n/(n − 1). y/x
    # needs x > 0, so both sides see only the users who ordered.
    arms = [(y[x > 0], x[x > 0]) for y, x in revenue_per_order]
    fits = [sm.WLS(y / x, np.ones(len(y)), weights=x).fit(cov_type="HC1") for y, x in arms]
    (r_c, se_c), (r_t, se_t) = ((fit.params[0], fit.bse[0]) for fit in fits)
    z = stats.norm.ppf(0.975)

    # The flat-prior Bayesian credible interval is estimate ± z·se, so it shows the se itself.
    arm = analyze(
        [ratio("control", *arms[0]), ratio("B", *arms[1])], AnalysisSettings("ratio", "bayesian")
    ).arms[0]

    assert arm.mean_control == close(r_c)
    # The difference's interval is Welch's t (no prior on it), with Welch–Satterthwaite df.
    (n_c, n_t), (a, b) = (len(y) for y, _ in arms), (se_t**2, se_c**2)
    df = (a + b) ** 2 / (a**2 / (n_t - 1) + b**2 / (n_c - 1))
    t = stats.t.ppf(0.975, df)
    assert (arm.absolute_ci_high - arm.absolute_ci_low) / (2 * t) == close(math.hypot(se_c, se_t))
    se_rel = math.sqrt(se_t**2 / r_c**2 + r_t**2 * se_c**2 / r_c**4)
    assert (arm.ci_high - arm.ci_low) / (2 * z) == close(se_rel)
    assert arm.chance_to_win == close(stats.norm.cdf((r_t / r_c - 1) / se_rel))


def test_it_agrees_with_a_bootstrap_of_the_units():
    rng = np.random.default_rng(7)
    control, treatment = orders(rng, 1500), orders(rng, 1500, lift=0.05)

    lifts = []
    for _ in range(4):  # 4 × 500 resamples keeps the index arrays small
        ratios = []
        for y, x in (control, treatment):
            picks = rng.integers(0, len(y), (500, len(y)))
            ratios.append(y[picks].sum(axis=1) / x[picks].sum(axis=1))
        lifts.append(ratios[1] / ratios[0] - 1)
    bootstrap_se = np.std(np.concatenate(lifts), ddof=1)

    arm = analyze(
        [ratio("control", *control), ratio("B", *treatment)], AnalysisSettings("ratio", "bayesian")
    ).arms[0]

    se = (arm.ci_high - arm.ci_low) / (2 * stats.norm.ppf(0.975))
    assert se == pytest.approx(bootstrap_se, rel=0.08)


@pytest.mark.parametrize("lift", [0.0, 0.03], ids=["a/a", "lift"])
def test_it_covers_the_true_lift_95_percent_of_the_time(lift):
    # Clicks per session: sessions vary, and a keen user both visits and clicks more, so the
    # units are not independent sessions and only the delta method gets the width right.
    sims, n = 2000, 400
    rng = np.random.default_rng(95 + int(lift * 100))
    sums = []
    for arm_lift in (0.0, lift):
        sessions = 1.0 + rng.poisson(2.0, (sims, n))
        keen = rng.gamma(0.5, 2.0, (sims, n))
        clicks = rng.poisson(0.3 * keen * sessions * (1 + arm_lift)).astype(float)
        sums.append(
            [
                np.full(sims, float(n)),
                clicks.sum(axis=1),
                (clicks**2).sum(axis=1),
                sessions.sum(axis=1),
                (sessions**2).sum(axis=1),
                (clicks * sessions).sum(axis=1),
            ]
        )
    # One metric, two arms, one simulation per segment.
    cells = [np.stack([c, t])[np.newaxis] for c, t in zip(*sums, strict=True)]
    batch = BatchInput(
        n=cells[0],
        sum=cells[1],
        sum_squares=cells[2],
        metric_types=("ratio",),
        denominator_sum=cells[3],
        denominator_sum_squares=cells[4],
        cross_sum=cells[5],
    )

    result = analyze_many(batch, AnalysisSettings("ratio"))

    low, high = result.comparison.ci_low[0, 0], result.comparison.ci_high[0, 0]
    assert np.isfinite(low).all()
    coverage = np.mean((low <= lift) & (lift <= high))
    assert 0.93 <= coverage <= 0.97


def test_it_is_the_mean_when_every_denominator_is_one():
    rng = np.random.default_rng(3)
    y_c, y_t = rng.exponential(10, 800), rng.exponential(11, 900)
    ones_c, ones_t = np.ones(800), np.ones(900)
    for method in ("frequentist", "sequential", "bayesian"):
        as_ratio = analyze(
            [ratio("control", y_c, ones_c), ratio("B", y_t, ones_t)],
            AnalysisSettings("ratio", method),
        ).arms[0]
        as_mean = analyze(
            [
                VariantStatistic("control", 800, y_c.sum(), (y_c**2).sum()),
                VariantStatistic("B", 900, y_t.sum(), (y_t**2).sum()),
            ],
            AnalysisSettings("continuous", method),
        ).arms[0]

        for name, value in as_mean.to_dict().items():
            if isinstance(value, float):
                assert getattr(as_ratio, name) == close(value), (method, name)
            else:
                assert getattr(as_ratio, name) == value, (method, name)


def test_it_pools_segments_into_the_ratio_of_all_units():
    rng = np.random.default_rng(11)
    arms = [orders(rng, 3000), orders(rng, 3000, lift=0.02)]
    segment = rng.integers(0, 3, 3000)

    def cells(pick):
        return np.array(
            [[[pick(y[segment == s], x[segment == s]) for s in range(3)] for y, x in arms]]
        )

    batch = BatchInput(
        n=cells(lambda y, x: len(y)),
        sum=cells(lambda y, x: y.sum()),
        sum_squares=cells(lambda y, x: (y * y).sum()),
        metric_types=("ratio",),
        denominator_sum=cells(lambda y, x: x.sum()),
        denominator_sum_squares=cells(lambda y, x: (x * x).sum()),
        cross_sum=cells(lambda y, x: (x * y).sum()),
    )
    settings = AnalysisSettings("ratio")

    pooled = analyze_many(pooled_over_segments(batch), settings).result(0, 0).arms[0]
    whole = analyze([ratio("control", *arms[0]), ratio("B", *arms[1])], settings).arms[0]

    assert pooled.relative_lift == close(whole.relative_lift)
    assert pooled.p_value == close(whole.p_value)


def test_it_reports_a_ratio_without_spread_as_untestable():
    # Every user's revenue is exactly 25 per order: the ratio has no sampling variance.
    x = np.array([1.0, 2, 3, 1, 4, 2, 2, 5])
    arm = analyze(
        [ratio("control", 25 * x, x), ratio("B", 27 * x + np.arange(8), x)],
        AnalysisSettings("ratio"),
    ).arms[0]

    assert arm.mean_control == close(25.0)
    assert arm.p_value is None and arm.ci_low is None
    assert any("control has no variance" in text for text in arm.warnings)


def test_it_reports_a_zero_control_ratio_without_a_relative_lift():
    x = np.array([1.0, 2, 3, 1])
    arm = analyze(
        [ratio("control", np.zeros(4), x), ratio("B", np.array([1.0, 0, 2, 0]), x)],
        AnalysisSettings("ratio"),
    ).arms[0]

    assert arm.relative_lift is None
    assert arm.absolute_effect == close(3 / 7)
    assert any("control mean is 0" in text for text in arm.warnings)


def test_it_leaves_an_empty_ratio_arm_unestimated():
    empty = VariantStatistic(
        "B", 0, 0, 0, denominator_sum=0, denominator_sum_squares=0, cross_sum=0
    )
    arm = analyze(
        [ratio("control", [3.0, 5.0, 1.0], [1.0, 2.0, 1.0]), empty], AnalysisSettings("ratio")
    ).arms[0]

    assert arm.absolute_effect is None
    assert any("no units" in text for text in arm.warnings)


# --- refusals ---------------------------------------------------------------------------


def ratio_variants(**changes):
    control = ratio("control", [3.0, 5.0, 1.0, 4.0], [1.0, 2.0, 1.0, 2.0])
    fields = {
        "name": "B",
        "n": 4,
        "sum": 14.0,
        "sum_squares": 56.0,
        "denominator_sum": 6.0,
        "denominator_sum_squares": 10.0,
        "cross_sum": 23.0,
    }
    return [control, VariantStatistic(**{**fields, **changes})]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"denominator_sum_squares": None}, "denominator_sum_squares"),
        ({"cross_sum": None}, "cross_sum"),
        ({"denominator_sum": None}, "denominator_sum"),
        ({"denominator_sum_squares": 8.0}, "denominator_sum_squares"),  # below (Σx)²/n = 9
        ({"cross_sum": 40.0}, "cross_sum"),  # implies a correlation above 1
        ({"denominator_sum_squares": -1.0}, "denominator_sum_squares"),
    ],
)
def test_it_refuses_impossible_denominator_sums(changes, field):
    with pytest.raises(StatsError) as error:
        ratio_variants(**changes)

    assert error.value.field == field


def test_it_names_the_missing_denominator_of_a_ratio_metric():
    variants = ratio_variants()
    plain = VariantStatistic("B", 4, 14.0, 56.0)

    with pytest.raises(StatsError) as error:
        analyze([variants[0], plain], AnalysisSettings("ratio"))

    assert error.value.field == "variants[1].denominator_sum"


def test_it_needs_a_positive_denominator_sum():
    variants = ratio_variants(denominator_sum=0.0, denominator_sum_squares=10.0, cross_sum=0.0)

    with pytest.raises(StatsError) as error:
        analyze(variants, AnalysisSettings("ratio"))

    assert error.value.field == "variants[1].denominator_sum"


def test_it_refuses_cuped_on_a_ratio_saying_why():
    control = ratio_variants()[0]
    with_covariate = VariantStatistic(
        **{**control.__dict__, "pre_sum": 10.0, "pre_sum_squares": 30.0, "sum_product": 35.0}
    )

    with pytest.raises(StatsError) as error:
        analyze([with_covariate, ratio_variants()[1]], AnalysisSettings("ratio"))

    assert error.value.field == "variants[0].pre_sum"
    assert "denominator" in error.value.message


def test_it_refuses_a_denominator_on_a_metric_that_is_not_a_ratio():
    with pytest.raises(StatsError) as error:
        analyze(ratio_variants(), AnalysisSettings("continuous"))

    assert error.value.field == "variants[0].denominator_sum"


def test_it_does_not_size_a_ratio_metric():
    with pytest.raises(StatsError) as error:
        Design("ratio", mde=0.05, baseline_mean=20, baseline_sd=30)

    assert error.value.field == "metric_type"
