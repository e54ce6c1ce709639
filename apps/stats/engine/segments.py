"""Segments: pooling them back together, and spotting Simpson's paradox."""

import numpy as np

from .batch import BatchInput


def pooled_over_segments(batch: BatchInput) -> BatchInput:
    """The whole population as one segment: sufficient statistics add up over segments.

    Valid when the segments partition the units (each unit in exactly one segment).
    """

    def pool(values):
        return None if values is None else np.sum(values, axis=2, keepdims=True)

    return BatchInput(
        n=pool(batch.n),
        sum=pool(batch.sum),
        sum_squares=pool(batch.sum_squares),
        metric_types=batch.metric_types,
        pre_sum=pool(batch.pre_sum),
        pre_sum_squares=pool(batch.pre_sum_squares),
        sum_product=pool(batch.sum_product),
        arm_names=batch.arm_names,
        denominator_sum=pool(batch.denominator_sum),
        denominator_sum_squares=pool(batch.denominator_sum_squares),
        cross_sum=pool(batch.cross_sum),
    )


def simpsons_paradox(pooled_effect, segment_effects, segment_units, min_units: int = 1000):
    """True where the pooled effect's sign differs from the sign in every segment with data.

    A segment has enough data when it holds at least `min_units` units (both arms
    together); at least two such segments are needed, all with one sign, and the pooled
    effect has the other. Segments are the last axis of `segment_effects` and
    `segment_units`; `pooled_effect` has their shape without it. Zero and NaN effects
    have no sign and never raise the flag.
    """
    effects = np.asarray(segment_effects, dtype=float)
    enough = np.asarray(segment_units) >= min_units
    signs = np.where(enough, np.sign(np.nan_to_num(effects)), 0)
    counted = enough.sum(axis=-1)
    positive = np.sum(signs > 0, axis=-1)
    negative = np.sum(signs < 0, axis=-1)
    pooled = np.sign(np.nan_to_num(np.asarray(pooled_effect, dtype=float)))
    all_up = (counted >= 2) & (positive == counted)
    all_down = (counted >= 2) & (negative == counted)
    return (all_up & (pooled < 0)) | (all_down & (pooled > 0))
