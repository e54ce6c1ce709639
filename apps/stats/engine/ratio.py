"""Ratio metrics by the delta method: revenue per order, clicks per session.

Each unit brings a numerator y and a denominator x, and the metric is R = Σy/Σx per arm,
which is not a mean of independent per-unit values: y and x vary together. Linearising R
around the arm's means (Deng, Knoblich and Lu 2018, "Applying the delta method in metric
analytics") gives

    Var(R) ≈ (v_y − 2R c_xy + R² v_x) / (n x̄²)

with v_y, v_x and c_xy the sample variances and covariance. That is the variance of the
mean of the linearised values z = (y − R x) / x̄, whose sample variance is

    v_z = Σ(y − R x)² / ((n − 1) x̄²) = (Σy² − 2R Σxy + R² Σx²) / ((n − 1) x̄²)

because Σ(y − R x) = 0 for this R. An arm of a ratio metric is therefore a mean R with
per-unit variance v_z, and every method's arithmetic for means applies unchanged: the
absolute effect R_t − R_c with variance v_z,t/n_t + v_z,c/n_c, and the relative lift
R_t/R_c − 1 with the delta-method variance the means use.
"""

import numpy as np

from .statistics import RELATIVE_TOLERANCE


def ratios_and_variances(n, total, squares, den_total, den_squares, cross):
    """R = Σy/Σx and the linearised per-unit variance v_z, elementwise over arrays.

    R is NaN where the arm is empty or Σx ≤ 0; v_z is NaN where n ≤ 1 as well, and a
    residual within rounding of 0 (every unit on the line y = R x) counts as exactly 0.
    """
    n = np.asarray(n, dtype=float)
    total, squares = np.asarray(total, float), np.asarray(squares, float)
    den_total, den_squares = np.asarray(den_total, float), np.asarray(den_squares, float)
    cross = np.asarray(cross, float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        defined = (n > 0) & (den_total > 0)
        ratio = np.where(defined, total / np.where(defined, den_total, 1.0), np.nan)
        residual = squares - 2 * ratio * cross + ratio**2 * den_squares
        # Cauchy–Schwarz bounds |R·Σxy| by the larger of Σy² and R²Σx², so that is the
        # scale of the rounding left in the difference. With x ≡ 1 it is Σy², the scale
        # means_and_variances uses, so such a ratio is exactly that mean.
        scale = np.maximum(np.abs(squares), ratio**2 * np.abs(den_squares))
        residual = np.where(residual <= RELATIVE_TOLERANCE * scale, 0.0, residual)
        mean_x = den_total / np.where(n > 0, n, np.nan)
        variance = residual / ((n - 1) * mean_x**2)
    return ratio, np.where(defined & (n > 1), variance, np.nan)
