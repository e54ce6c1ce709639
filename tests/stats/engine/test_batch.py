"""The vectorised path gives the scalar path's numbers, cell for cell."""

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

METRICS, ARMS, SEGMENTS = 4, 4, 6


def experiment(seed: int, cuped: bool = False) -> BatchInput:
    """Metrics 0–1 binomial, 2–3 continuous, with a few degenerate cells."""
    rng = np.random.default_rng(seed)
    n = rng.integers(200, 3000, (METRICS, ARMS, SEGMENTS)).astype(float)
    rate = rng.uniform(0.05, 0.3, (2, 1, SEGMENTS)) * rng.uniform(0.9, 1.1, (2, ARMS, 1))
    conversions = rng.binomial(n[:2].astype(int), rate).astype(float)
    mean = rng.uniform(5, 50, (2, 1, SEGMENTS)) * rng.uniform(0.95, 1.05, (2, ARMS, 1))
    variance = rng.uniform(10, 400, (2, ARMS, SEGMENTS))
    total = np.concatenate([conversions, n[2:] * mean])
    squares = np.concatenate([conversions, (n[2:] - 1) * variance + n[2:] * mean**2])
    total[0, 2, 0] = squares[0, 2, 0] = 0  # 0 % conversion in one cell
    n[1, 3, 1] = total[1, 3, 1] = squares[1, 3, 1] = 0  # an empty arm
    extra = {}
    if cuped:
        pre_mean = mean * 0.9
        pre_var = variance * 0.8
        correlation = 0.6
        n_c = n[2:]
        pre_total = n_c * pre_mean
        pre_squares = (n_c - 1) * pre_var + n_c * pre_mean**2
        product = (n_c - 1) * correlation * np.sqrt(variance * pre_var) + n_c * mean * pre_mean
        nan = np.full((2, ARMS, SEGMENTS), np.nan)  # the binomial metrics have no covariate
        extra = {
            "pre_sum": np.concatenate([nan, pre_total]),
            "pre_sum_squares": np.concatenate([nan, pre_squares]),
            "sum_product": np.concatenate([nan, product]),
        }
    return BatchInput(
        n=n,
        sum=total,
        sum_squares=squares,
        metric_types=("binomial", "binomial", "continuous", "continuous"),
        arm_names=("control", "B", "C", "D"),
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

    variants = [
        VariantStatistic(
            batch.arm_names[arm],
            batch.n[metric, arm, segment],
            batch.sum[metric, arm, segment],
            batch.sum_squares[metric, arm, segment],
            pre_sum=cell("pre_sum", arm),
            pre_sum_squares=cell("pre_sum_squares", arm),
            sum_product=cell("sum_product", arm),
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
        analyze_many(
            BatchInput(batch.n, total, batch.sum_squares, metric_types=batch.metric_types),
            AnalysisSettings("continuous"),
        )

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
