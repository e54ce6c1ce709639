"""Fixed-horizon frequentist tests: Welch's t on the absolute and the relative difference.

Every function works elementwise on numpy arrays, so one call serves one comparison or a
whole experiment's metrics × arms × segments.
"""

import numpy as np
from scipy import stats


def welch_df(share_t, share_c, n_t, n_c):
    """Welch–Satterthwaite degrees of freedom from the arms' variances of the mean.

    With a = v_t / n_t and b = v_c / n_c (per-unit variance over units):
        ν = (a + b)² / (a² / (n_t − 1) + b² / (n_c − 1))
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return (share_t + share_c) ** 2 / (share_t**2 / (n_t - 1) + share_c**2 / (n_c - 1))


def relative_lift_variance(mean_c, mean_t, var_c, var_t, n_c, n_t):
    """First-order delta-method variance of the relative lift (m_t − m_c) / m_c.

    Var ≈ v_t / (m_c² n_t) + v_c m_t² / (m_c⁴ n_c)
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return var_t / (mean_c**2 * n_t) + var_c * mean_t**2 / (mean_c**4 * n_c)


def t_critical(alpha, df):
    """t_{1−α/2, ν}: the two-sided critical value of Student's t."""
    return stats.t.ppf(1 - alpha / 2, df)


def t_interval(estimate, se, df, alpha):
    """estimate ± t_{1−α/2, ν} · se."""
    half = t_critical(alpha, df) * se
    return estimate - half, estimate + half


def t_p_value(estimate, se, df):
    """Two-sided p = 2 · P(T_ν > |estimate / se|).

    The interval `t_interval` uses the same estimate, se and ν, so the interval excludes 0
    exactly when p < α.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2 * stats.t.sf(np.abs(estimate / se), df)
