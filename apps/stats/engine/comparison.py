"""Control versus treatment, elementwise over arrays: the arithmetic every path shares.

`compare` takes the two sides' sufficient statistics as arrays of any (broadcastable)
shape — one comparison per treatment arm in `analysis.analyze`, metrics × arms × segments
in `batch.analyze_many` — and returns every field of the result as an array, NaN where a
field is undefined, with `Caveat` flags saying why. No Python loop runs over the cells.
"""

from dataclasses import dataclass

import numpy as np

from . import bayesian, cuped, frequentist, ratio, sequential
from .caveats import Caveat
from .corrections import adjust_along_axis
from .settings import AnalysisSettings, Method
from .statistics import covariances, means_and_variances


@dataclass(frozen=True)
class Side:
    """One side of the comparisons as arrays.

    The pre-period arrays are None without CUPED, the denominator arrays None without a
    ratio metric; a NaN denominator cell is a cell whose metric is not a ratio.
    """

    n: np.ndarray
    total: np.ndarray
    squares: np.ndarray
    pre_total: np.ndarray | None = None
    pre_squares: np.ndarray | None = None
    product: np.ndarray | None = None
    denominator_total: np.ndarray | None = None
    denominator_squares: np.ndarray | None = None
    cross: np.ndarray | None = None

    @property
    def has_pre(self) -> bool:
        return self.pre_total is not None

    def means_and_variances(self, binomial):
        """Per-unit mean and variance of each cell; a ratio cell's are R and v_z (ratio.py)."""
        mean, variance = means_and_variances(self.n, self.total, self.squares, binomial)
        if self.denominator_total is None:
            return mean, variance
        r, v_z = ratio.ratios_and_variances(
            self.n,
            self.total,
            self.squares,
            self.denominator_total,
            self.denominator_squares,
            self.cross,
        )
        is_ratio = ~np.isnan(np.asarray(self.denominator_total, float))
        return np.where(is_ratio, r, mean), np.where(is_ratio, v_z, variance)


@dataclass
class Comparison:
    """Every field of the comparisons as arrays of one shape (NaN where undefined)."""

    mean_control: np.ndarray
    mean_treatment: np.ndarray
    absolute_effect: np.ndarray
    absolute_ci_low: np.ndarray
    absolute_ci_high: np.ndarray
    relative_lift: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p_value_unadjusted: np.ndarray
    chance_to_win: np.ndarray
    expected_loss: np.ndarray
    expected_loss_control: np.ndarray
    variance_reduction: np.ndarray
    flags: np.ndarray
    negative_control: np.ndarray
    p_value: np.ndarray | None = None
    significant: np.ndarray | None = None  # 1.0 / 0.0, NaN where no test was run


def _cuped_terms(control: Side, treatment: Side, n_c, n_t, var_c, var_t):
    """θ, the adjusted variances, the control's cov(x, y) and where CUPED applies."""
    names = ("total", "pre_total", "pre_squares", "product")
    # A side without pre-period arrays counts as missing them in every cell.
    c = [
        np.asarray(np.nan if getattr(control, k) is None else getattr(control, k), float)
        for k in names
    ]
    t = [
        np.asarray(np.nan if getattr(treatment, k) is None else getattr(treatment, k), float)
        for k in names
    ]
    present = np.ones(np.broadcast_shapes(n_c.shape, *(a.shape for a in (*c, *t))), bool)
    for values in (*c, *t):
        present &= np.isfinite(values)
    with np.errstate(invalid="ignore"):
        theta = cuped.theta(n_c, *c, n_t, *t)
    applies = present & np.isfinite(theta)
    theta = np.where(applies, theta, 0.0)
    _, var_x_c = means_and_variances(n_c, c[1], c[2], False)
    _, var_x_t = means_and_variances(n_t, t[1], t[2], False)
    cov_c = np.where(applies, covariances(n_c, c[0], c[1], c[3]), 0.0)
    cov_t = np.where(applies, covariances(n_t, t[0], t[1], t[3]), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = c[1] / n_c - t[1] / n_t  # x̄_c − x̄_t
    adj_c = np.where(applies, cuped.adjusted_variance(var_c, var_x_c, cov_c, theta), var_c)
    adj_t = np.where(applies, cuped.adjusted_variance(var_t, var_x_t, cov_t, theta), var_t)
    shift = np.where(applies, shift, 0.0)
    return theta, shift, adj_c, adj_t, cov_c, present, applies


def compare(
    control: Side, treatment: Side, settings: AnalysisSettings, binomial, cuped_requested=None
) -> Comparison:
    """All fields for control vs treatment; see the method modules for each formula.

    A ratio cell enters as its ratio R with the linearised variance (ratio.py), so from
    here on it is analysed exactly as a mean is.

    `binomial` and `cuped_requested` broadcast against the cells: which are binomial
    metrics, and where some arm brought a covariate, so that an arm without one is
    warned about (by default wherever either side has pre-period arrays).
    """
    n_c = np.asarray(control.n, float)
    n_t = np.asarray(treatment.n, float)
    mean_c, var_c = control.means_and_variances(binomial)
    mean_t, var_t = treatment.means_and_variances(binomial)
    mean_c, mean_t, var_c, var_t, n_c, n_t = np.broadcast_arrays(
        mean_c, mean_t, var_c, var_t, n_c, n_t
    )
    flags = np.zeros(mean_c.shape, dtype=np.int64)

    empty = (n_c == 0) | (n_t == 0)
    flags |= np.where(empty, Caveat.EMPTY_ARM, 0)
    flags |= np.where(~empty & ~(var_c > 0), Caveat.CONTROL_NO_VARIANCE, 0)
    flags |= np.where(~empty & ~(var_t > 0), Caveat.TREATMENT_NO_VARIANCE, 0)
    flags |= np.where(~empty & (mean_c == 0), Caveat.ZERO_CONTROL_MEAN, 0)
    negative_control = ~empty & (mean_c < 0)
    raw_diff = mean_t - mean_c

    if control.has_pre or treatment.has_pre:
        theta, shift, adj_c, adj_t, cov_c, present, applies = _cuped_terms(
            control, treatment, n_c, n_t, var_c, var_t
        )
        requested = True if cuped_requested is None else cuped_requested
        flags |= np.where(requested & ~empty & ~present, Caveat.CUPED_MISSING_PRE, 0)
        flags |= np.where(~empty & present & ~applies, Caveat.CUPED_NO_PRE_VARIANCE, 0)
        diff = raw_diff + theta * shift
    else:
        theta = cov_c = np.zeros_like(mean_c)
        adj_c, adj_t, applies, diff = var_c, var_t, np.zeros(mean_c.shape, bool), raw_diff

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share_c, share_t = adj_c / n_c, adj_t / n_t
        se_abs = np.sqrt(share_c + share_t)
        df = frequentist.welch_df(share_t, share_c, n_t, n_c)
        reduction = 1 - (share_c + share_t) / (var_c / n_c + var_t / n_t)
        has_lift = ~empty & (mean_c > 0)
        lift = np.where(has_lift, diff / np.where(has_lift, mean_c, 1.0), np.nan)
        se_rel = np.sqrt(
            cuped.adjusted_relative_variance(
                mean_c, lift, adj_t, adj_c, var_c, cov_c, theta, n_t, n_c
            )
        )
    testable = ~empty & (var_c > 0) & (var_t > 0)
    numeric_abs = testable & ~(np.isfinite(se_abs) & (se_abs > 0) & np.isfinite(df))
    numeric_rel = testable & has_lift & ~(np.isfinite(se_rel) & (se_rel > 0) & np.isfinite(lift))
    flags |= np.where(numeric_abs | numeric_rel, Caveat.NUMERIC, 0)
    test_abs = testable & ~numeric_abs
    test_rel = test_abs & has_lift & ~numeric_rel

    alpha = settings.alpha
    nan = np.full(mean_c.shape, np.nan)
    p = ctw = loss_t = loss_c = nan
    reported_lift = lift
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if settings.method == Method.FREQUENTIST:
            abs_low, abs_high = frequentist.t_interval(diff, se_abs, df, alpha)
            low, high = frequentist.t_interval(lift, se_rel, df, alpha)
            p = frequentist.t_p_value(lift, se_rel, df)
        elif settings.method == Method.SEQUENTIAL:
            n_total = n_c + n_t
            tuning = settings.sequential_tuning_n
            abs_low, abs_high = sequential.interval(diff, se_abs, n_total, alpha, tuning)
            low, high = sequential.interval(lift, se_rel, n_total, alpha, tuning)
            p = sequential.p_value(lift, se_rel, n_total, alpha, tuning)
        else:
            # The difference itself has no prior here: its interval is Welch's t, as in
            # the frequentist method (with CUPED, on the adjusted variances).
            abs_low, abs_high = frequentist.t_interval(diff, se_abs, df, alpha)
            prior = settings.prior
            post_mean, post_sd = bayesian.posterior(
                lift, se_rel, *((prior.mean, prior.sd) if prior else (None, None))
            )
            low, high = bayesian.credible_interval(post_mean, post_sd, alpha)
            ctw = bayesian.chance_to_win(post_mean, post_sd)
            loss_t, loss_c = bayesian.expected_loss(post_mean, post_sd)
            reported_lift = np.where(test_rel, post_mean, lift)

    # An interval that overflowed (an α so small that its quantile is infinite, say)
    # leaves its test undefined rather than half reported.
    with np.errstate(invalid="ignore"):
        broken_abs = test_abs & ~(np.isfinite(abs_low) & np.isfinite(abs_high))
        broken_rel = test_rel & ~(np.isfinite(low) & np.isfinite(high))
    flags |= np.where(broken_abs | broken_rel, Caveat.NUMERIC, 0)
    test_abs = test_abs & ~broken_abs
    test_rel = test_rel & ~broken_rel

    def only(mask, values):
        values = np.broadcast_to(np.asarray(values, float), mask.shape)
        return np.where(mask & np.isfinite(values), values, np.nan)

    return Comparison(
        mean_control=only(n_c > 0, mean_c),
        mean_treatment=only(n_t > 0, mean_t),
        absolute_effect=only(~empty, diff),
        absolute_ci_low=only(test_abs, abs_low),
        absolute_ci_high=only(test_abs, abs_high),
        relative_lift=only(has_lift, reported_lift),
        ci_low=only(test_rel, low),
        ci_high=only(test_rel, high),
        p_value_unadjusted=only(test_rel, p),
        chance_to_win=only(test_rel, ctw),
        expected_loss=only(test_rel, loss_t),
        expected_loss_control=only(test_rel, loss_c),
        variance_reduction=only(test_abs & applies, reduction),
        flags=flags,
        negative_control=negative_control,
    )


def conclude(comparison: Comparison, settings: AnalysisSettings, family_axes: tuple[int, ...]):
    """Adjust the p-values over each family of comparisons and decide significance.

    The comparisons along `family_axes` form one family for the correction. Frequentist
    and sequential: significant ⇔ adjusted p < α. Bayesian: significant ⇔ the credible
    interval excludes 0 (no p-value, so no correction).
    """
    if settings.method == Method.BAYESIAN:
        comparison.p_value = np.full_like(comparison.p_value_unadjusted, np.nan)
        excludes = (comparison.ci_low > 0) | (comparison.ci_high < 0)
        defined = np.isfinite(comparison.ci_low)
    else:
        comparison.p_value = _adjust_over(comparison.p_value_unadjusted, settings, family_axes)
        excludes = comparison.p_value < settings.alpha
        defined = np.isfinite(comparison.p_value)
    comparison.significant = np.where(defined, excludes.astype(float), np.nan)
    return comparison


def _adjust_over(p, settings: AnalysisSettings, family_axes: tuple[int, ...]):
    """adjust_along_axis over several axes at once, by flattening them into the last."""
    others = [axis for axis in range(p.ndim) if axis not in family_axes]
    moved = np.transpose(p, (*others, *family_axes))
    flat = moved.reshape(*moved.shape[: len(others)], -1)
    adjusted = adjust_along_axis(flat, settings.correction, axis=-1).reshape(moved.shape)
    return np.transpose(adjusted, np.argsort((*others, *family_axes)))
