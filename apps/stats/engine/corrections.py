"""Multiple-comparison corrections of p-values: Bonferroni, Holm and Benjamini–Hochberg.

With m p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎:

    bonferroni  p̃ᵢ = min(1, m pᵢ)
    holm        p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎)          (step-down)
    bh          p̃₍ᵢ₎ = min_{j ≥ i} min(1, m p₍ⱼ₎ / j)                (step-up, FDR)

Missing p-values (NaN, or None in `adjust_p_values`) belong to tests that could not be
run: they stay missing and do not count towards m.
"""

import numpy as np

from .errors import StatsError
from .settings import Correction


def adjust_along_axis(p_values, method, axis: int = -1):
    """Adjusted p-values along `axis` of an array, the other axes being separate families."""
    method = Correction(method)
    p = np.moveaxis(np.asarray(p_values, dtype=float), axis, -1)
    missing = np.isnan(p)
    if method == Correction.NONE:
        adjusted = p.copy()
    else:
        m = np.sum(~missing, axis=-1, keepdims=True)
        if method == Correction.BONFERRONI:
            adjusted = p * m
        else:
            order = np.argsort(p, axis=-1)  # NaN sorts last, after every real p-value
            ranked = np.take_along_axis(p, order, axis=-1)
            rank = np.arange(1, p.shape[-1] + 1)
            if method == Correction.HOLM:
                ranked = np.maximum.accumulate(np.minimum(1.0, (m - rank + 1) * ranked), axis=-1)
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    scaled = np.minimum(1.0, m * ranked / rank)
                # fmin skips the trailing NaNs of missing tests.
                ranked = np.flip(np.fmin.accumulate(np.flip(scaled, -1), axis=-1), -1)
            adjusted = np.empty_like(ranked)
            np.put_along_axis(adjusted, order, ranked, axis=-1)
    adjusted = np.where(missing, np.nan, np.clip(adjusted, 0.0, 1.0))
    return np.moveaxis(adjusted, -1, axis)


def adjust_p_values(p_values, method) -> list[float | None]:
    """Adjust one family of p-values; None marks a test that could not be run."""
    try:
        method = Correction(method)
    except ValueError:
        raise StatsError("correction", f"unknown correction {method!r}.") from None
    values = [np.nan if p is None else float(p) for p in p_values]
    for i, p in enumerate(values):
        if not np.isnan(p) and not 0 <= p <= 1:
            raise StatsError(f"p_values[{i}]", "must lie between 0 and 1.")
    adjusted = adjust_along_axis(np.array(values, dtype=float), method)
    return [None if np.isnan(p) else float(p) for p in adjusted]
