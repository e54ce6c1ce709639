import math

import numpy as np
import pytest

from apps.stats.engine import StatsError, VariantStatistic
from apps.stats.engine.statistics import means_and_variances


def test_it_gives_the_sample_mean_and_variance_of_a_continuous_metric():
    y = np.array([3.0, 5.0, 7.0, 11.0])
    stat = VariantStatistic("control", 4, y.sum(), (y * y).sum())

    mean, variance = means_and_variances(stat.n, stat.sum, stat.sum_squares, False)

    assert float(mean) == pytest.approx(y.mean())
    assert float(variance) == pytest.approx(y.var(ddof=1))


def test_it_gives_p_times_one_minus_p_for_a_binomial_metric():
    mean, variance = means_and_variances(200, 50, 50, True)

    assert float(mean) == 0.25
    assert float(variance) == pytest.approx(0.25 * 0.75)


def test_it_leaves_the_variance_undefined_for_a_single_unit():
    _, variance = means_and_variances(1, 4.0, 16.0, False)

    assert math.isnan(float(variance))


def test_it_treats_rounding_noise_as_zero_variance():
    # 1000 units all worth 0.1: Σy² − (Σy)²/n is a few ulps, not variation.
    y = np.full(1000, 0.1)
    _, variance = means_and_variances(1000, y.sum(), (y * y).sum(), False)

    assert float(variance) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n": -1, "sum": 0, "sum_squares": 0}, "n"),
        ({"n": 10.5, "sum": 1, "sum_squares": 1}, "n"),
        ({"n": float("nan"), "sum": 1, "sum_squares": 1}, "n"),
        ({"n": 10, "sum": float("inf"), "sum_squares": 1}, "sum"),
        ({"n": 10, "sum": "ten", "sum_squares": 1}, "sum"),
        ({"n": 10, "sum": 1, "sum_squares": -1}, "sum_squares"),
        ({"n": 10, "sum": 100, "sum_squares": 10}, "sum_squares"),
        ({"n": 0, "sum": 1, "sum_squares": 1}, "sum"),
        ({"n": 10, "sum": 1e200, "sum_squares": 1e200}, "sum"),
        ({"n": 10**13, "sum": 1, "sum_squares": 1}, "n"),
    ],
)
def test_it_rejects_impossible_statistics_naming_the_field(kwargs, field):
    with pytest.raises(StatsError) as error:
        VariantStatistic("control", **kwargs)

    assert error.value.field == field
    assert isinstance(error.value, ValueError)


def test_it_needs_all_three_cuped_fields_together():
    with pytest.raises(StatsError) as error:
        VariantStatistic("B", 10, 5, 5, pre_sum=4, pre_sum_squares=4)

    assert error.value.field == "sum_product"


def test_it_rejects_a_cross_product_implying_a_correlation_beyond_one():
    # y and x each vary with variance 25/9 over 10 units, so |Σxy − ΣxΣy/n| ≤ 25.
    with pytest.raises(StatsError) as error:
        VariantStatistic("B", 10, 5, 5, pre_sum=5, pre_sum_squares=5, sum_product=40)

    assert error.value.field == "sum_product"


def test_it_rejects_a_binomial_variant_whose_sums_are_not_conversions():
    stat = VariantStatistic("B", 10, 5, 7)

    with pytest.raises(StatsError) as error:
        stat.check_binomial()

    assert error.value.field == "sum_squares"


def test_it_places_an_error_under_its_variant():
    error = StatsError("sum_squares", "is inconsistent.").at("variants[1]")

    assert error.field == "variants[1].sum_squares"
    assert "variants[1].sum_squares" in str(error)
