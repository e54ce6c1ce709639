"""How an analysis is run: metric type, method, error rate, correction and priors."""

import math
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import StatsError


class Choices(StrEnum):
    @classmethod
    def choices(cls) -> list[str]:
        return [member.value for member in cls]


class MetricType(Choices):
    BINOMIAL = "binomial"
    CONTINUOUS = "continuous"
    RATIO = "ratio"


class Method(Choices):
    FREQUENTIST = "frequentist"
    BAYESIAN = "bayesian"
    SEQUENTIAL = "sequential"


class Correction(Choices):
    NONE = "none"
    BONFERRONI = "bonferroni"
    HOLM = "holm"
    BH = "bh"


ALTERNATIVES = ("two-sided",)


def _choice(enum, value, name: str):
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise StatsError(name, f"must be one of {allowed}; got {value!r}.") from None


def _finite(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise StatsError(name, "must be a number.") from None
    if not math.isfinite(number):
        raise StatsError(name, "must be a finite number.")
    return number


# The posterior weighs the prior by 1/sd². Below this the prior is a point mass no data can
# move (a spread of a ten-thousandth of a percentage point of lift), and a little further
# down sd² underflows to 0 and the weight divides by zero; so tinier spreads are refused
# rather than analysed. At the floor, 1/sd² = 1e12 keeps every term finite.
PRIOR_SD_MIN = 1e-6


@dataclass(frozen=True)
class Prior:
    """A normal prior on the relative lift: N(mean, sd²), sd at least PRIOR_SD_MIN."""

    mean: float = 0.0
    sd: float = 0.3

    def __post_init__(self):
        object.__setattr__(self, "mean", _finite(self.mean, "prior.mean"))
        sd = _finite(self.sd, "prior.sd")
        if sd <= 0:
            raise StatsError("prior.sd", "must be greater than 0.")
        if sd < PRIOR_SD_MIN:
            raise StatsError(
                "prior.sd",
                f"must be at least {PRIOR_SD_MIN:g}: a narrower prior is a point mass "
                "that no data can move.",
            )
        object.__setattr__(self, "sd", sd)


@dataclass(frozen=True)
class AnalysisSettings:
    """Validated settings for one analysis; `expected_split` is normalised to sum to 1.

    `expected_split` may be left empty (equal split); `analysis.analyze` checks its length
    against the variants. `prior` None is the flat (improper) prior.
    """

    metric_type: MetricType | str
    method: Method | str = Method.FREQUENTIST
    alpha: float = 0.05
    alternative: str = "two-sided"
    correction: Correction | str = Correction.NONE
    expected_split: tuple[float, ...] = field(default_factory=tuple)
    sequential_tuning_n: float = 5000
    prior: Prior | None = None
    srm_threshold: float = 0.001

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "metric_type", _choice(MetricType, self.metric_type, "metric_type"))
        set_(self, "method", _choice(Method, self.method, "method"))
        set_(self, "correction", _choice(Correction, self.correction, "correction"))
        if self.alternative not in ALTERNATIVES:
            raise StatsError("alternative", "only two-sided tests are supported.")
        alpha = _finite(self.alpha, "alpha")
        if not 0 < alpha < 1:
            raise StatsError("alpha", "must lie strictly between 0 and 1.")
        set_(self, "alpha", alpha)
        threshold = _finite(self.srm_threshold, "srm_threshold")
        if not 0 < threshold < 1:
            raise StatsError("srm_threshold", "must lie strictly between 0 and 1.")
        set_(self, "srm_threshold", threshold)
        tuning = _finite(self.sequential_tuning_n, "sequential_tuning_n")
        if tuning <= 0:
            raise StatsError("sequential_tuning_n", "must be greater than 0.")
        set_(self, "sequential_tuning_n", tuning)
        split = tuple(_finite(w, f"expected_split[{i}]") for i, w in enumerate(self.expected_split))
        for i, weight in enumerate(split):
            if weight <= 0:
                raise StatsError(f"expected_split[{i}]", "every share must be greater than 0.")
        total = sum(split)
        set_(self, "expected_split", tuple(w / total for w in split) if split else ())
        if self.prior is not None and not isinstance(self.prior, Prior):
            raise StatsError("prior", "must be a Prior(mean, sd) or None.")

    def split_for(self, arms: int) -> tuple[float, ...]:
        """The expected share of each of `arms` arms: the given split, or equal shares."""
        if not self.expected_split:
            return tuple(1 / arms for _ in range(arms))
        if len(self.expected_split) != arms:
            raise StatsError(
                "expected_split",
                f"has {len(self.expected_split)} shares but there are {arms} variants.",
            )
        return self.expected_split
