"""Sample ratio mismatch: are the arms' sizes what the split promised?"""

import numpy as np
from scipy import stats


def srm_p_value(counts, expected_split, axis: int = -1):
    """Chi-square goodness-of-fit p-value of the arms' n against the expected split.

        χ² = Σ (n_i − N w_i)² / (N w_i),  N = Σ n_i,  df = arms − 1

    along `axis`; NaN where no unit was counted.
    """
    counts = np.asarray(counts, dtype=float)
    shape = [1] * counts.ndim
    shape[axis] = -1
    weights = np.asarray(expected_split, dtype=float).reshape(shape)
    total = counts.sum(axis=axis, keepdims=True)
    expected = total * weights
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.sum((counts - expected) ** 2 / expected, axis=axis)
    p = stats.chi2.sf(chi2, counts.shape[axis] - 1)
    return np.where(np.squeeze(total, axis=axis) > 0, p, np.nan)
