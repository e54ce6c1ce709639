"""The vectorised path gives the scalar path's numbers, cell for cell."""

from dataclasses import replace

import numpy as np
import pytest

from apps.stats.engine import (
    AnalysisSettings,
    BatchInput,
    Prior,
    StatsError,
    VariantStatistic,
    analyze,
    analyze_many,
)

METRICS, ARMS, SEGMENTS = 6, 4, 6


def experiment(seed: int, cuped: bool = False) -> BatchInput:
    """Metrics 0–1 binomial, 2–3 continuous, 4–5 ratios, with a few degenerate cells."""
    rng = np.random.default_rng(seed)
    n = rng.integers(200, 3000, (METRICS, ARMS, SEGMENTS)).astype(float)
    rate = rng.uniform(0.05, 0.3, (2, 1, SEGMENTS)) * rng.uniform(0.9, 1.1, (2, ARMS, 1))
    conversions = rng.binomial(n[:2].astype(int), rate).astype(float)
    mean = rng.uniform(5, 50, (2, 1, SEGMENTS)) * rng.uniform(0.95, 1.05, (2, ARMS, 1))
    variance = rng.uniform(10, 400, (2, ARMS, SEGMENTS))
    # Ratios: orders per user x and revenue per user y, revenue per order about 20–60.
    n_r = n[4:]
    mean_x = rng.uniform(0.5, 3, (2, ARMS, SEGMENTS))
    var_x = rng.uniform(0.5, 4, (2, ARMS, SEGMENTS))
    per_order = rng.uniform(20, 60, (2, 1, SEGMENTS)) * rng.uniform(0.95, 1.05, (2, ARMS, 1))
    mean_y, var_y = per_order * mean_x, rng.uniform(100, 5000, (2, ARMS, SEGMENTS))
    correlation = rng.uniform(0.2, 0.8, (2, ARMS, SEGMENTS))
    nan = np.full((2, ARMS, SEGMENTS), np.nan)  # two metrics' cells without some variable
    total = np.concatenate([conversions, n[2:4] * mean, n_r * mean_y])
    squares = np.concatenate(
        [
            conversions,
            (n[2:4] - 1) * variance + n[2:4] * mean**2,
            (n_r - 1) * var_y + n_r * mean_y**2,
        ]
    )
    den_total = np.concatenate([nan, nan, n_r * mean_x])
    den_squares = np.concatenate([nan, nan, (n_r - 1) * var_x + n_r * mean_x**2])
    cross = np.concatenate(
        [nan, nan, (n_r - 1) * correlation * np.sqrt(var_x * var_y) + n_r * mean_x * mean_y]
    )
    total[0, 2, 0] = squares[0, 2, 0] = 0  # 0 % conversion in one cell
    n[1, 3, 1] = total[1, 3, 1] = squares[1, 3, 1] = 0  # an empty arm
    n[5, 2, 3] = total[5, 2, 3] = squares[5, 2, 3] = 0  # an empty arm of a ratio
    den_total[5, 2, 3] = den_squares[5, 2, 3] = cross[5, 2, 3] = 0
    # A control whose every user spends exactly 30 per order: the ratio does not vary.
    total[4, 0, 2], squares[4, 0, 2] = 30 * den_total[4, 0, 2], 900 * den_squares[4, 0, 2]
    cross[4, 0, 2] = 30 * den_squares[4, 0, 2]
    extra = {}
    if cuped:
        pre_mean = mean * 0.9
        pre_var = variance * 0.8
        correlation = 0.6
        n_c = n[2:4]
        pre_total = n_c * pre_mean
        pre_squares = (n_c - 1) * pre_var + n_c * pre_mean**2
        product = (n_c - 1) * correlation * np.sqrt(variance * pre_var) + n_c * mean * pre_mean
        # Only the continuous metrics have a covariate.
        extra = {
            "pre_sum": np.concatenate([nan, pre_total, nan]),
            "pre_sum_squares": np.concatenate([nan, pre_squares, nan]),
            "sum_product": np.concatenate([nan, product, nan]),
        }
    return BatchInput(
        n=n,
        sum=total,
        sum_squares=squares,
        metric_types=("binomial", "binomial", "continuous", "continuous", "ratio", "ratio"),
        arm_names=("control", "B", "C", "D"),
        denominator_sum=den_total,
        denominator_sum_squares=den_squares,
        cross_sum=cross,
        **extra,
    )


def scalar_result(batch: BatchInput, metric: int, segment: int, settings: AnalysisSettings):
    def cell(name, arm):
        values = getattr(batch, name)
        return (
            None
            if values is None or np.isnan(values[metric, arm, segment])
            else values[metric, arm, segment]
        )

    optional = (
        "pre_sum",
        "pre_sum_squares",
        "sum_product",
        "denominator_sum",
        "denominator_sum_squares",
        "cross_sum",
    )
    variants = [
        VariantStatistic(
            batch.arm_names[arm],
            batch.n[metric, arm, segment],
            batch.sum[metric, arm, segment],
            batch.sum_squares[metric, arm, segment],
            **{name: cell(name, arm) for name in optional},
        )
        for arm in range(ARMS)
    ]
    metric_type = batch.metric_types[metric]
    kwargs = {k: getattr(settings, k) for k in ("method", "alpha", "correction", "prior")}
    return analyze(variants, AnalysisSettings(metric_type, **kwargs))


def assert_same(scalar: dict, vectorised: dict):
    assert scalar.keys() == vectorised.keys()
    for key, value in scalar.items():
        if key == "arms":
            for a, b in zip(value, vectorised["arms"], strict=True):
                assert_same(a, b)
        elif isinstance(value, float):
            assert vectorised[key] == pytest.approx(value, rel=1e-12, abs=1e-300), key
        else:
            assert vectorised[key] == value, key


@pytest.mark.parametrize(
    "settings",
    [
        AnalysisSettings("binomial", correction="holm"),
        AnalysisSettings("binomial", method="bayesian", prior=Prior(0.0, 0.2)),
        AnalysisSettings("binomial", method="sequential", correction="bh", alpha=0.1),
    ],
    ids=["frequentist", "bayesian", "sequential"],
)
@pytest.mark.parametrize("cuped", [False, True], ids=["raw", "cuped"])
def test_it_matches_the_scalar_path_cell_for_cell(settings, cuped):
    batch = experiment(7, cuped=cuped)

    result = analyze_many(batch, settings)

    for metric in range(METRICS):
        for segment in range(SEGMENTS):
            expected = scalar_result(batch, metric, segment, settings).to_dict()
            assert_same(expected, result.result(metric, segment).to_dict())


def test_it_corrects_across_metrics_and_arms_when_asked():
    batch = experiment(8)
    settings = AnalysisSettings("binomial", correction="bonferroni")

    per_arm = analyze_many(batch, settings)
    per_segment = analyze_many(batch, settings, correction_scope="metrics_arms")

    raw = per_arm.comparison.p_value_unadjusted[:, :, 2]
    tests = np.isfinite(raw).sum()
    expected = np.minimum(1, raw * tests)
    np.testing.assert_allclose(per_segment.comparison.p_value[:, :, 2], expected)


def test_it_names_the_offending_cell():
    batch = experiment(9)
    squares = batch.sum_squares.copy()
    squares[3, 2, 4] = 0.0  # below sum²/n

    with pytest.raises(StatsError) as error:
        BatchInput(n=batch.n, sum=batch.sum, sum_squares=squares)

    assert error.value.field == "sum_squares[3, 2, 4]"


def test_it_refuses_a_negative_control_mean_in_any_cell():
    batch = experiment(10)
    total = batch.sum.copy()
    total[2, 0, 5] = -abs(total[2, 0, 5])

    with pytest.raises(StatsError) as error:
        analyze_many(replace(batch, sum=total), AnalysisSettings("continuous"))

    assert error.value.field == "sum[2, 0, 5]"


def test_it_checks_binomial_cells():
    batch = experiment(11)

    with pytest.raises(StatsError) as error:
        analyze_many(
            BatchInput(batch.n, batch.sum, batch.sum_squares), AnalysisSettings("binomial")
        )

    assert error.value.field.startswith("sum_squares[2, ")


def test_it_computes_srm_per_metric_and_segment():
    batch = experiment(12)

    result = analyze_many(batch, AnalysisSettings("binomial"))

    assert result.srm_p_value.shape == (METRICS, SEGMENTS)
    assert result.srm_flag.dtype == bool


def test_it_finds_the_degenerate_ratio_cells():
    result = analyze_many(experiment(13), AnalysisSettings("binomial"))

    empty = result.arm(5, 1, 3)
    flat = result.arm(4, 0, 2)
    assert empty.absolute_effect is None and any("no units" in w for w in empty.warnings)
    assert flat.mean_control == pytest.approx(30.0, rel=1e-12)
    assert flat.p_value is None and any("control has no variance" in w for w in flat.warnings)


def with_cells(batch: BatchInput, index: tuple[int, int, int], **values) -> BatchInput:
    """The batch with one cell of some arrays changed at once (each change is checked)."""
    changed = {}
    for name, value in values.items():
        changed[name] = getattr(batch, name).copy()
        changed[name][index] = value
    return replace(batch, **changed)


NO_DENOMINATOR = {"denominator_sum": np.nan, "denominator_sum_squares": np.nan, "cross_sum": np.nan}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (NO_DENOMINATOR, "denominator_sum[4, 1, 2]"),
        # Σx ≤ 0: the ratio would divide by it.
        ({"denominator_sum": -5.0}, "denominator_sum[4, 1, 2]"),
        # More Σxy than the spreads allow.
        ({"cross_sum": 1e12}, "cross_sum[4, 1, 2]"),
        # Less Σx² than (Σx)²/n.
        ({"denominator_sum_squares": 0.0}, "denominator_sum_squares[4, 1, 2]"),
        # Only some of the three.
        ({"cross_sum": np.nan}, "denominator_sum[4, 1, 2]"),
    ],
)
def test_it_names_the_ratio_cell_at_fault(values, field):
    batch = experiment(14)

    with pytest.raises(StatsError) as error:
        analyze_many(with_cells(batch, (4, 1, 2), **values), AnalysisSettings("binomial"))

    assert error.value.field == field


def test_it_refuses_a_denominator_on_a_metric_that_is_not_a_ratio():
    batch = experiment(15)
    # x ≡ 1 for every unit: consistent sums, on a continuous metric.
    n, total = batch.n[2, 0, 1], batch.sum[2, 0, 1]
    batch = with_cells(
        batch, (2, 0, 1), denominator_sum=n, denominator_sum_squares=n, cross_sum=total
    )

    with pytest.raises(StatsError) as error:
        analyze_many(batch, AnalysisSettings("binomial"))

    assert error.value.field == "denominator_sum[2, 0, 1]"


def test_it_needs_the_denominators_of_a_ratio_metric():
    batch = experiment(16)

    with pytest.raises(StatsError) as error:
        analyze_many(
            BatchInput(batch.n, batch.sum, batch.sum_squares, metric_types=batch.metric_types),
            AnalysisSettings("binomial"),
        )

    assert error.value.field == "denominator_sum[4, 0, 0]"


def test_it_refuses_cuped_on_a_ratio_cell():
    batch = experiment(17, cuped=True)
    # A covariate that is consistent with the cell's sums, only not usable on a ratio.
    n, total = batch.n[4, 0, 0], batch.sum[4, 0, 0]
    batch = with_cells(batch, (4, 0, 0), pre_sum=n, pre_sum_squares=n, sum_product=total)

    with pytest.raises(StatsError) as error:
        analyze_many(batch, AnalysisSettings("binomial"))

    assert error.value.field == "pre_sum[4, 0, 0]"
    assert "denominator" in error.value.message
