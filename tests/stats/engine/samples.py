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
