"""Raw simulated data and the sufficient statistics a data source would aggregate from it."""

import numpy as np

from apps.stats.engine import VariantStatistic


def aggregate(name: str, y, x=None) -> VariantStatistic:
    """n, Σy, Σy² (and Σx, Σx², Σxy) of unit-level values, as the warehouse would send."""
    y = np.asarray(y, dtype=float)
    extra = {}
    if x is not None:
        x = np.asarray(x, dtype=float)
        extra = {
            "pre_sum": x.sum(),
            "pre_sum_squares": (x * x).sum(),
            "sum_product": (x * y).sum(),
        }
    return VariantStatistic(name, len(y), y.sum(), (y * y).sum(), **extra)


def binomial(name: str, n: int, conversions: int) -> VariantStatistic:
    return VariantStatistic(name, n, conversions, conversions)


def from_moments(name: str, n: int, mean: float, variance: float) -> VariantStatistic:
    """The README's conversion: sum = n·mean, sum_squares = (n − 1)·variance + n·mean²."""
    return VariantStatistic(name, n, n * mean, (n - 1) * variance + n * mean * mean)


def ratio(name: str, y, x) -> VariantStatistic:
    """A ratio metric's sums from unit-level numerators y and denominators x."""
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    return VariantStatistic(
        name,
        len(y),
        y.sum(),
        (y * y).sum(),
        denominator_sum=x.sum(),
        denominator_sum_squares=(x * x).sum(),
        cross_sum=(x * y).sum(),
    )


def ratio_from_moments(
    name: str, n: int, mean_y: float, sd_y: float, mean_x: float, sd_x: float, correlation: float
) -> VariantStatistic:
    """A ratio metric's sums from the units' means, sds and correlation of y and x."""
    return VariantStatistic(
        name,
        n,
        n * mean_y,
        (n - 1) * sd_y**2 + n * mean_y**2,
        denominator_sum=n * mean_x,
        denominator_sum_squares=(n - 1) * sd_x**2 + n * mean_x**2,
        cross_sum=(n - 1) * correlation * sd_x * sd_y + n * mean_x * mean_y,
    )
