"""Per-variant sufficient statistics, and the means and variances they give.

A data source aggregates raw events to n, Σy and Σy² per variant (and for CUPED the
pre-period covariate's Σx, Σx² and the cross-product Σxy; for a ratio metric the
denominator's Σx, Σx² and Σxy), so nothing here ever sees a unit-level row and the cost of
an analysis does not depend on the number of users.
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
RATIO_FIELDS = ("denominator_sum", "denominator_sum_squares", "cross_sum")
PRE_TOGETHER_MESSAGE = "CUPED needs pre_sum, pre_sum_squares and sum_product together."
RATIO_TOGETHER_MESSAGE = (
    "a ratio metric needs denominator_sum, denominator_sum_squares and cross_sum together."
)
RATIO_REQUIRED_MESSAGE = (
    "is required for a ratio metric, with denominator_sum_squares and cross_sum."
)
RATIO_POSITIVE_MESSAGE = "must be greater than 0 for a ratio metric: Σy/Σx divides by it."
NOT_RATIO_MESSAGE = (
    "only a ratio metric has a denominator: set metric_type to ratio, or leave "
    "denominator_sum, denominator_sum_squares and cross_sum out."
)
# The sums carry the covariate's product with the numerator only; adjusting the linearised
# ratio would also need its product with the denominator.
CUPED_RATIO_MESSAGE = (
    "CUPED does not apply to a ratio metric: adjusting Σy/Σx needs the covariate's product "
    "with the denominator too, which the sums do not carry; leave pre_sum, pre_sum_squares "
    "and sum_product out."
)


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
    pre_sum = Σx, pre_sum_squares = Σx², sum_product = Σxy (all three or none); for a
    ratio metric Σy/Σx, y is the numerator and the denominator x comes as
    denominator_sum = Σx, denominator_sum_squares = Σx², cross_sum = Σxy (all three or none).
    Checks: n is a whole number ≥ 0; Σy² ≥ (Σy)²/n (a variance cannot be negative);
    the same for each x; and (Σxy − ΣxΣy/n)² ≤ (Σx² − (Σx)²/n)(Σy² − (Σy)²/n)
    (Cauchy–Schwarz) for each x.
    """

    name: str
    n: float
    sum: float
    sum_squares: float
    pre_sum: float | None = None
    pre_sum_squares: float | None = None
    sum_product: float | None = None
    denominator_sum: float | None = None
    denominator_sum_squares: float | None = None
    cross_sum: float | None = None

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
            raise StatsError(missing, PRE_TOGETHER_MESSAGE)
        if given:
            set_(self, "pre_sum", _number(self.pre_sum, "pre_sum"))
            set_(
                self, "pre_sum_squares", _number(self.pre_sum_squares, "pre_sum_squares", minimum=0)
            )
            set_(self, "sum_product", _number(self.sum_product, "sum_product"))
            self._check_second_moment("pre_sum", "pre_sum_squares")
            self._check_cross_product("pre_sum", "pre_sum_squares", "sum_product")

        given = [name for name in RATIO_FIELDS if getattr(self, name) is not None]
        if given and len(given) != len(RATIO_FIELDS):
            missing = next(name for name in RATIO_FIELDS if getattr(self, name) is None)
            raise StatsError(missing, RATIO_TOGETHER_MESSAGE)
        if given:
            set_(self, "denominator_sum", _number(self.denominator_sum, "denominator_sum"))
            set_(
                self,
                "denominator_sum_squares",
                _number(self.denominator_sum_squares, "denominator_sum_squares", minimum=0),
            )
            set_(self, "cross_sum", _number(self.cross_sum, "cross_sum"))
            self._check_second_moment("denominator_sum", "denominator_sum_squares")
            self._check_cross_product("denominator_sum", "denominator_sum_squares", "cross_sum")

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

    def _check_cross_product(self, first: str, second: str, product: str) -> None:
        x_total, x_squares = getattr(self, first), getattr(self, second)
        xy = getattr(self, product)
        if self.n == 0:
            if xy != 0:
                raise StatsError(product, "must be 0 when n is 0.")
            return
        syy = max(self.sum_squares - self.sum * self.sum / self.n, 0.0)
        sxx = max(x_squares - x_total * x_total / self.n, 0.0)
        sxy = xy - self.sum * x_total / self.n
        # Each spread is known only to within the rounding _check_second_moment forgives, so
        # the bound allows for that too: a nearly constant x may show a spread of 0.
        bound = math.sqrt((sxx + _tolerance(x_squares)) * (syy + _tolerance(self.sum_squares)))
        scale = math.sqrt(abs(self.sum_squares) * abs(x_squares))
        if abs(sxy) > bound + _tolerance(scale, xy):
            raise StatsError(
                product,
                "inconsistent with the sums and sums of squares: the implied correlation "
                "lies outside [-1, 1].",
            )

    @property
    def has_pre(self) -> bool:
        return self.pre_sum is not None

    @property
    def has_denominator(self) -> bool:
        return self.denominator_sum is not None

    def check_ratio(self) -> None:
        """A ratio metric needs its denominator's sums, Σx > 0 (it divides) and no covariate."""
        if not self.has_denominator:
            raise StatsError("denominator_sum", RATIO_REQUIRED_MESSAGE)
        if self.n > 0 and not self.denominator_sum > 0:
            raise StatsError("denominator_sum", RATIO_POSITIVE_MESSAGE)
        if self.has_pre:
            raise StatsError("pre_sum", CUPED_RATIO_MESSAGE)

    def check_not_ratio(self) -> None:
        """Only a ratio metric has a denominator; elsewhere one is a mistake, not extra data."""
        if self.has_denominator:
            raise StatsError("denominator_sum", NOT_RATIO_MESSAGE)

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
