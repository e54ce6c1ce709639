"""The vectorised path: a whole experiment's metrics × arms × segments in one pass.

The experiments app hands over arrays of sufficient statistics shaped
(metrics, arms, segments), arm 0 being the control; `analyze_many` runs the same
arithmetic as `analysis.analyze` (both call `comparison.compare`) with numpy over every
cell at once, so 10 metrics × 3 treatments × 20 segments costs a few milliseconds.
"""

from dataclasses import dataclass, field

import numpy as np

from .analysis import (
    AnalysisResult,
    ArmResult,
    arm_result,
    as_number,
    settings_warnings,
    srm_warning,
)
from .comparison import Comparison, Side, compare, conclude
from .errors import StatsError
from .settings import AnalysisSettings, MetricType
from .srm import srm_p_value
from .statistics import (
    CUPED_RATIO_MESSAGE,
    MAX_MAGNITUDE,
    MAX_UNITS,
    NOT_RATIO_MESSAGE,
    PRE_FIELDS,
    PRE_TOGETHER_MESSAGE,
    RATIO_FIELDS,
    RATIO_POSITIVE_MESSAGE,
    RATIO_REQUIRED_MESSAGE,
    RATIO_TOGETHER_MESSAGE,
    RELATIVE_TOLERANCE,
)

CORRECTION_SCOPES = ("arms", "metrics_arms")


def _first(mask: np.ndarray) -> str:
    return ", ".join(str(int(i)) for i in np.argwhere(mask)[0])


def _check(bad: np.ndarray, name: str, message: str) -> None:
    if bad.any():
        raise StatsError(f"{name}[{_first(bad)}]", message)


def _tolerance(*arrays):
    return RELATIVE_TOLERANCE * np.maximum(1.0, np.maximum.reduce([np.abs(a) for a in arrays]))


@dataclass(frozen=True)
class BatchInput:
    """Sufficient statistics shaped (metrics, arms, segments); arm 0 is the control.

    `metric_types` gives each metric's type (binomial, continuous or ratio); None uses the
    settings' metric_type for all. The pre-period arrays are optional together; a NaN cell
    in them means that cell has no covariate. The denominator arrays are optional together
    too, NaN in the cells of metrics that are not ratios. The checks are VariantStatistic's,
    per cell.
    """

    n: np.ndarray
    sum: np.ndarray
    sum_squares: np.ndarray
    metric_types: tuple[str, ...] | None = None
    pre_sum: np.ndarray | None = None
    pre_sum_squares: np.ndarray | None = None
    sum_product: np.ndarray | None = None
    arm_names: tuple[str, ...] = field(default_factory=tuple)
    denominator_sum: np.ndarray | None = None
    denominator_sum_squares: np.ndarray | None = None
    cross_sum: np.ndarray | None = None

    def __post_init__(self):
        set_ = object.__setattr__
        for name in ("n", "sum", "sum_squares"):
            set_(self, name, np.asarray(getattr(self, name), dtype=float))
        if self.n.ndim != 3:
            raise StatsError("n", "must be shaped (metrics, arms, segments).")
        for name in ("sum", "sum_squares"):
            if getattr(self, name).shape != self.n.shape:
                raise StatsError(name, f"must have the shape of n, {self.n.shape}.")
        if self.n.shape[1] < 2:
            raise StatsError("n", "needs at least two arms: the control and a treatment.")
        for names, together in (
            (PRE_FIELDS, PRE_TOGETHER_MESSAGE),
            (RATIO_FIELDS, RATIO_TOGETHER_MESSAGE),
        ):
            given = [getattr(self, name) is not None for name in names]
            if any(given) and not all(given):
                raise StatsError(names[0], together)
            if all(given):
                for name in names:
                    set_(self, name, np.asarray(getattr(self, name), dtype=float))
                    if getattr(self, name).shape != self.n.shape:
                        raise StatsError(name, f"must have the shape of n, {self.n.shape}.")
        if self.metric_types is not None:
            types = tuple(MetricType(t) for t in self.metric_types)
            if len(types) != self.n.shape[0]:
                raise StatsError("metric_types", "needs one type per metric.")
            set_(self, "metric_types", types)
        names = tuple(self.arm_names) or tuple(
            ["control", *(f"treatment {i}" for i in range(1, self.n.shape[1]))]
        )
        if len(names) != self.n.shape[1]:
            raise StatsError("arm_names", "needs one name per arm.")
        set_(self, "arm_names", names)
        self._validate()

    @property
    def has_pre(self) -> bool:
        return self.pre_sum is not None

    @property
    def has_denominator(self) -> bool:
        return self.denominator_sum is not None

    def _validate(self) -> None:
        n, total, squares = self.n, self.sum, self.sum_squares
        for name, values in (("n", n), ("sum", total), ("sum_squares", squares)):
            _check(~np.isfinite(values), name, "must be a finite number.")
            _check(np.abs(values) > MAX_MAGNITUDE, name, f"must lie within ±{MAX_MAGNITUDE:g}.")
        _check(n < 0, "n", "must be at least 0.")
        _check(n != np.round(n), "n", "must be a whole number of units.")
        _check(n > MAX_UNITS, "n", f"must be at most {MAX_UNITS:g}.")
        _check(squares < 0, "sum_squares", "must be at least 0.")
        self._check_moment(total, squares, "sum", "sum_squares")
        if self.has_pre:
            self._check_second_variable(PRE_FIELDS, PRE_TOGETHER_MESSAGE)
        if self.has_denominator:
            self._check_second_variable(RATIO_FIELDS, RATIO_TOGETHER_MESSAGE)

    def _check_second_variable(self, names: tuple[str, ...], together: str) -> None:
        """A covariate's or a denominator's Σx, Σx² and Σxy, checked against n, Σy and Σy²."""
        n, total, squares = self.n, self.sum, self.sum_squares
        values = [getattr(self, name) for name in names]
        missing = [np.isnan(column) for column in values]
        _check(
            ~(np.logical_and.reduce(missing) | ~np.logical_or.reduce(missing)), names[0], together
        )
        for name, column in zip(names, values, strict=True):
            _check(np.isinf(column), name, "must be a finite number.")
            _check(np.abs(column) > MAX_MAGNITUDE, name, f"must lie within ±{MAX_MAGNITUDE:g}.")
        present = ~missing[0]
        x_total, x_squares, product = values
        _check(present & (x_squares < 0), names[1], "must be at least 0.")
        self._check_moment(x_total, x_squares, names[0], names[1], present)
        with np.errstate(invalid="ignore", divide="ignore"):
            safe_n = np.where(n > 0, n, 1.0)
            syy = np.maximum(squares - total**2 / safe_n, 0.0)
            sxx = np.maximum(x_squares - x_total**2 / safe_n, 0.0)
            sxy = product - total * x_total / safe_n
            scale = np.sqrt(np.abs(squares) * np.abs(x_squares))
            # The spreads carry the rounding _check_moment forgives (see VariantStatistic).
            bound = np.sqrt((sxx + _tolerance(x_squares)) * (syy + _tolerance(squares)))
            bad = present & (np.abs(sxy) > bound + _tolerance(scale, product))
        _check(
            bad,
            names[2],
            "inconsistent with the sums and sums of squares: the implied correlation "
            "lies outside [-1, 1].",
        )

    def _check_moment(self, total, squares, first, second, where=True) -> None:
        n = self.n
        _check(where & (n == 0) & ((total != 0) | (squares != 0)), first, "must be 0 when n is 0.")
        with np.errstate(invalid="ignore", divide="ignore"):
            floor = np.where(n > 0, total**2 / np.where(n > 0, n, 1.0), 0.0)
        _check(
            where & (squares < floor - _tolerance(squares, floor)),
            second,
            f"inconsistent with {first} and n: a variance cannot be negative, so it must be at least {first}²/n.",
        )

    def type_mask(self, settings: AnalysisSettings, metric_type: MetricType) -> np.ndarray:
        """Shape (metrics, 1, 1): which metrics are of `metric_type`."""
        types = self.metric_types or (settings.metric_type,) * self.n.shape[0]
        return np.array([t == metric_type for t in types]).reshape(-1, 1, 1)

    def binomial_mask(self, settings: AnalysisSettings) -> np.ndarray:
        """Shape (metrics, 1, 1): which metrics are binomial."""
        return self.type_mask(settings, MetricType.BINOMIAL)

    def check_ratios(self, settings: AnalysisSettings) -> None:
        """VariantStatistic.check_ratio and check_not_ratio, per cell."""
        rows = np.broadcast_to(self.type_mask(settings, MetricType.RATIO), self.n.shape)
        if self.denominator_sum is None:
            _check(rows, "denominator_sum", RATIO_REQUIRED_MESSAGE)
            return
        present = ~np.isnan(self.denominator_sum)
        _check(rows & ~present, "denominator_sum", RATIO_REQUIRED_MESSAGE)
        _check(~rows & present, "denominator_sum", NOT_RATIO_MESSAGE)
        with np.errstate(invalid="ignore"):
            _check(
                rows & (self.n > 0) & ~(self.denominator_sum > 0),
                "denominator_sum",
                RATIO_POSITIVE_MESSAGE,
            )
        if self.pre_sum is not None:
            _check(rows & ~np.isnan(self.pre_sum), "pre_sum", CUPED_RATIO_MESSAGE)

    def side(self, arms: slice) -> Side:
        def take(values):
            return None if values is None else values[:, arms, :]

        return Side(
            n=take(self.n),
            total=take(self.sum),
            squares=take(self.sum_squares),
            pre_total=take(self.pre_sum),
            pre_squares=take(self.pre_sum_squares),
            product=take(self.sum_product),
            denominator_total=take(self.denominator_sum),
            denominator_squares=take(self.denominator_sum_squares),
            cross=take(self.cross_sum),
        )


@dataclass
class BatchResult:
    """Fields shaped (metrics, treatment arms, segments); SRM shaped (metrics, segments)."""

    comparison: Comparison
    srm_p_value: np.ndarray
    srm_flag: np.ndarray
    warnings: list[str]
    arm_names: tuple[str, ...]
    srm_threshold: float

    def arm(self, metric: int, treatment: int, segment: int) -> ArmResult:
        """Treatment `treatment` (0 is the first arm after the control) of one cell."""
        name = self.arm_names[treatment + 1]
        return arm_result(name, self.comparison, (metric, treatment, segment))

    def result(self, metric: int, segment: int) -> AnalysisResult:
        """The same AnalysisResult `analysis.analyze` gives for this metric and segment."""
        srm = as_number(self.srm_p_value[metric, segment])
        warnings = list(self.warnings)
        text = srm_warning(srm, self.srm_threshold)
        if text:
            warnings.insert(0, text)
        arms = [self.arm(metric, i, segment) for i in range(len(self.arm_names) - 1)]
        return AnalysisResult(
            srm_p_value=srm, srm_flag=text is not None, warnings=warnings, arms=arms
        )


def analyze_many(
    batch: BatchInput, settings: AnalysisSettings, correction_scope: str = "arms"
) -> BatchResult:
    """Analyse every metric × treatment × segment of `batch` at once.

    `correction_scope` "arms" corrects across the treatments within each metric and
    segment (what `analyze` does); "metrics_arms" across all metrics × treatments within
    each segment, as an experiment's analysis does.
    """
    if correction_scope not in CORRECTION_SCOPES:
        raise StatsError("correction_scope", f"must be one of {', '.join(CORRECTION_SCOPES)}.")
    binomial = batch.binomial_mask(settings)
    if binomial.any():
        rows = np.broadcast_to(binomial, batch.n.shape)
        tolerance = _tolerance(batch.sum)
        _check(
            rows & (np.abs(batch.sum - batch.sum_squares) > tolerance),
            "sum_squares",
            "must equal sum for a binomial metric (each unit is 0 or 1).",
        )
        _check(
            rows & ((batch.sum < 0) | (batch.sum > batch.n)),
            "sum",
            "must lie between 0 and n for a binomial metric.",
        )
    batch.check_ratios(settings)
    split = settings.split_for(batch.n.shape[1])

    requested = np.isfinite(batch.pre_sum).any(axis=1, keepdims=True) if batch.has_pre else None
    comparison = compare(
        batch.side(slice(0, 1)), batch.side(slice(1, None)), settings, binomial, requested
    )
    if comparison.negative_control.any():
        metric, _, segment = np.argwhere(comparison.negative_control)[0]
        raise StatsError(
            f"sum[{metric}, 0, {segment}]",
            "the control mean is negative, so a relative lift is meaningless; "
            "shift the metric so that it is positive.",
        )
    family = (1,) if correction_scope == "arms" else (0, 1)
    conclude(comparison, settings, family_axes=family)

    srm = srm_p_value(batch.n, split, axis=1)
    return BatchResult(
        comparison=comparison,
        srm_p_value=srm,
        srm_flag=np.nan_to_num(srm, nan=1.0) < settings.srm_threshold,
        warnings=settings_warnings(settings),
        arm_names=batch.arm_names,
        srm_threshold=settings.srm_threshold,
    )
