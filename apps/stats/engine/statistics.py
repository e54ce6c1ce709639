"""Per-variant sufficient statistics, and the means and variances they give.

A data source aggregates raw events to n, Σy and Σy² per variant (and for CUPED the
pre-period covariate's Σx, Σx² and the cross-product Σxy), so nothing here ever sees a
unit-level row and the cost of an analysis does not depend on the number of users.
"""

import math
from dataclasses import dataclass

import numpy as np

from .errors import StatsError

# No experiment has a trillion units; sums up to 1e150 keep every square finite in float64.
MAX_UNITS = 10**12
MAX_MAGNITUDE = 1e150
# Σy² − (Σy)²/n is a difference of two large numbers: anything within this share of Σy²
# is rounding, not variation.
RELATIVE_TOLERANCE = 1e-9
PRE_FIELDS = ("pre_sum", "pre_sum_squares", "sum_product")


def _number(value, name: str, *, minimum: float = -MAX_MAGNITUDE) -> float:
    if isinstance(value, bool):
        raise StatsError(name, "must be a number.")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise StatsError(name, "must be a number.") from None
    if not math.isfinite(number):
        raise StatsError(name, "must be a finite number.")
    if number < minimum:
        raise StatsError(name, f"must be at least {minimum:g}.")
    if abs(number) > MAX_MAGNITUDE:
        raise StatsError(name, f"must lie within ±{MAX_MAGNITUDE:g}.")
    return number


def _tolerance(*magnitudes: float) -> float:
    return RELATIVE_TOLERANCE * max(1.0, *(abs(m) for m in magnitudes))


@dataclass(frozen=True)
class VariantStatistic:
    """One variant's sufficient statistics; impossible values raise StatsError.

    n units, sum = Σy, sum_squares = Σy²; optionally the pre-period covariate x:
    pre_sum = Σx, pre_sum_squares = Σx², sum_product = Σxy (all three or none).
    Checks: n is a whole number ≥ 0; Σy² ≥ (Σy)²/n (a variance cannot be negative);
    the same for x; and (Σxy − ΣxΣy/n)² ≤ (Σx² − (Σx)²/n)(Σy² − (Σy)²/n) (Cauchy–Schwarz).
    """

    name: str
    n: float
    sum: float
    sum_squares: float
    pre_sum: float | None = None
    pre_sum_squares: float | None = None
    sum_product: float | None = None

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "name", str(self.name))
        n = _number(self.n, "n", minimum=0)
        if n != round(n):
            raise StatsError("n", "must be a whole number of units.")
        if n > MAX_UNITS:
            raise StatsError("n", f"must be at most {MAX_UNITS:g}.")
        set_(self, "n", int(n))
        set_(self, "sum", _number(self.sum, "sum"))
        set_(self, "sum_squares", _number(self.sum_squares, "sum_squares", minimum=0))
        self._check_second_moment("sum", "sum_squares")

        given = [name for name in PRE_FIELDS if getattr(self, name) is not None]
        if given and len(given) != len(PRE_FIELDS):
            missing = next(name for name in PRE_FIELDS if getattr(self, name) is None)
            raise StatsError(
                missing, "CUPED needs pre_sum, pre_sum_squares and sum_product together."
            )
        if given:
            set_(self, "pre_sum", _number(self.pre_sum, "pre_sum"))
            set_(
                self, "pre_sum_squares", _number(self.pre_sum_squares, "pre_sum_squares", minimum=0)
            )
            set_(self, "sum_product", _number(self.sum_product, "sum_product"))
            self._check_second_moment("pre_sum", "pre_sum_squares")
            self._check_cross_product()

    def _check_second_moment(self, first: str, second: str) -> None:
        total, squares = getattr(self, first), getattr(self, second)
        if self.n == 0:
            if total != 0 or squares != 0:
                raise StatsError(first if total else second, "must be 0 when n is 0.")
            return
        floor = total * total / self.n
        if squares < floor - _tolerance(squares, floor):
            raise StatsError(
                second,
                f"inconsistent with {first} and n: a variance cannot be negative, so it must "
                f"be at least {first}²/n = {floor:.6g}.",
            )

    def _check_cross_product(self) -> None:
        if self.n == 0:
            if self.sum_product != 0:
                raise StatsError("sum_product", "must be 0 when n is 0.")
            return
        syy = max(self.sum_squares - self.sum * self.sum / self.n, 0.0)
        sxx = max(self.pre_sum_squares - self.pre_sum * self.pre_sum / self.n, 0.0)
        sxy = self.sum_product - self.sum * self.pre_sum / self.n
        bound = math.sqrt(sxx * syy)
        scale = math.sqrt(abs(self.sum_squares) * abs(self.pre_sum_squares))
        if abs(sxy) > bound + _tolerance(scale, self.sum_product):
            raise StatsError(
                "sum_product",
                "inconsistent with the sums and sums of squares: the implied correlation "
                "lies outside [-1, 1].",
            )

    @property
    def has_pre(self) -> bool:
        return self.pre_sum is not None

    def check_binomial(self) -> None:
        """A binomial metric counts conversions: sum = sum_squares and 0 ≤ sum ≤ n."""
        if abs(self.sum - self.sum_squares) > _tolerance(self.sum):
            raise StatsError(
                "sum_squares", "must equal sum for a binomial metric (each unit is 0 or 1)."
            )
        if not 0 <= self.sum <= self.n:
            raise StatsError("sum", "must lie between 0 and n for a binomial metric.")


def means_and_variances(n, total, squares, binomial):
    """Per-unit mean and variance of each arm, elementwise over arrays.

    mean = Σy / n. Binomial (where `binomial` is true): variance = p(1 − p) with p the mean.
    Continuous: the sample variance (Σy² − (Σy)²/n) / (n − 1). A variance within rounding
    of 0 is exactly 0; where it is undefined (n ≤ 1) it is NaN, as is an empty arm's mean.
    """
    n = np.asarray(n, dtype=float)
    total = np.asarray(total, dtype=float)
    squares = np.asarray(squares, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        central = squares - total * mean
        central = np.where(central <= RELATIVE_TOLERANCE * np.abs(squares), 0.0, central)
        variance = np.where(binomial, mean * (1 - mean), central / (n - 1))
    variance = np.where(n > 1, np.maximum(variance, 0.0), np.nan)
    return mean, variance


def covariances(n, total, pre_total, product):
    """Sample covariance of the metric y with its pre-period covariate x, elementwise.

    cov = (Σxy − ΣxΣy / n) / (n − 1); NaN where n ≤ 1.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        central = np.asarray(product, float) - np.asarray(total, float) * np.asarray(
            pre_total, float
        ) / np.where(n > 0, n, np.nan)
        return np.where(n > 1, central / (n - 1), np.nan)
