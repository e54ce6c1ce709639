"""CUPED: variance reduction with a pre-period covariate (Deng et al. 2013).

For a control–treatment pair with metric y and pre-period covariate x, θ is the slope of
y on x over all the units of the two arms together (the *total* covariance, as Deng et al.
and GrowthBook's gbstats compute it, not the within-arm ANCOVA slope):

    θ = cov(y, x) / var(x),   both from the pooled sums of the two arms:
    C = Σxy − ΣxΣy/N,  S = Σx² − (Σx)²/N,  θ = C / S,  N = n_c + n_t, sums over both arms

so with more arms θ differs per pair. Then each unit's adjusted metric is y − θ(x − x̄),
and

    adjusted difference  Δ = (ȳ_t − ȳ_c) − θ (x̄_t − x̄_c)
    adjusted variance    v_adj = v_y + θ² v_x − 2θ cov(x, y)      (per arm, per unit)
    relative lift        L = Δ / ȳ_c                             (the unadjusted control mean)

Δ's interval and test are Welch's t on the adjusted values: se² = v_adj,t/n_t + v_adj,c/n_c
with Welch–Satterthwaite degrees of freedom from the adjusted variances. The variance
reduction achieved is 1 − Var(Δ) / Var(ȳ_t − ȳ_c).
"""

import numpy as np


def co_moment(n, first, second, product):
    """Σxy − ΣxΣy/n: n − 1 times the sample covariance (0 for an empty arm)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, product - first * second / np.where(n > 0, n, 1), 0.0)


def theta(n_c, y_c, x_c, xx_c, xy_c, n_t, y_t, x_t, xx_t, xy_t):
    """θ = C / S over the two arms pooled; NaN where x does not vary across them."""
    n = np.asarray(n_c, float) + np.asarray(n_t, float)
    x, y = x_c + x_t, y_c + y_t
    xx, xy = xx_c + xx_t, xy_c + xy_t
    spread = co_moment(n, x, x, xx)
    covariation = co_moment(n, x, y, xy)
    scale = np.abs(xx)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(spread > 1e-9 * scale, covariation / spread, np.nan)


def adjusted_variance(var_y, var_x, cov_xy, theta_):
    """v_adj = v_y + θ² v_x − 2θ cov(x, y), floored at 0 against rounding."""
    return np.maximum(var_y + theta_**2 * var_x - 2 * theta_ * cov_xy, 0.0)


def adjusted_relative_variance(mean_c, lift, var_adj_t, var_adj_c, var_c, cov_c, theta_, n_t, n_c):
    """Delta-method variance of L = (A_t − A_c) / ȳ_c, with A = ȳ − θ x̄ per arm.

    The control's adjusted mean A_c and raw mean ȳ_c are correlated
    (Cov = (v_y − θ cov(x, y)) / n_c), hence

        Var(L) ≈ [ v_adj,t / n_t + (v_adj,c + 2L (v_c − θ cov_c) + L² v_c) / n_c ] / ȳ_c²

    which is the plain delta method v_t/(m_c² n_t) + v_c m_t²/(m_c⁴ n_c) when θ = 0.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        control = var_adj_c + 2 * lift * (var_c - theta_ * cov_c) + lift**2 * var_c
        return (var_adj_t / n_t + control / n_c) / mean_c**2
