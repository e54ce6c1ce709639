"""CUPED: variance reduction with a pre-period covariate (Deng et al. 2013).

For a control–treatment pair with metric y and pre-period covariate x:

    θ = (C_c + C_t) / (S_c + S_t),  C = Σxy − ΣxΣy/n,  S = Σx² − (Σx)²/n  (per arm)

the covariance of y and x over the variance of x, pooled within the two arms. It is the
slope of y on x in the regression y ~ 1 + treatment + x, so the adjusted difference below
equals that regression's treatment coefficient. Then

    adjusted difference  Δ = (ȳ_t − ȳ_c) − θ (x̄_t − x̄_c)
    adjusted variance    v_adj = v_y + θ² v_x − 2θ cov(x, y)      (per arm, per unit)
    relative lift        L = Δ / ȳ_c                             (the unadjusted control mean)

and the variance reduction achieved is 1 − Var(Δ) / Var(ȳ_t − ȳ_c).
"""

import numpy as np


def co_moment(n, first, second, product):
    """Σxy − ΣxΣy/n: n − 1 times the sample covariance (0 for an empty arm)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, product - first * second / np.where(n > 0, n, 1), 0.0)


def theta(n_c, y_c, x_c, xx_c, xy_c, n_t, y_t, x_t, xx_t, xy_t):
    """θ = (C_c + C_t) / (S_c + S_t); NaN where x does not vary within the arms."""
    spread = co_moment(n_c, x_c, x_c, xx_c) + co_moment(n_t, x_t, x_t, xx_t)
    covariation = co_moment(n_c, x_c, y_c, xy_c) + co_moment(n_t, x_t, y_t, xy_t)
    scale = np.abs(xx_c) + np.abs(xx_t)
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
