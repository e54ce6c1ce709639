import numpy as np
import pytest

from apps.stats.engine import (
    AnalysisSettings,
    BatchInput,
    analyze_many,
    pooled_over_segments,
    simpsons_paradox,
)


def kidney_stones() -> BatchInput:
    """The classic: B wins in both segments yet loses pooled, because of the mix.

    Segment small: control 234/270, B 81/87; segment large: control 55/80, B 192/263.
    """
    n = np.array([[[270, 80], [87, 263]]], dtype=float)
    successes = np.array([[[234, 55], [81, 192]]], dtype=float)
    return BatchInput(n=n, sum=successes, sum_squares=successes, arm_names=("A", "B"))


def test_it_pools_segments_by_adding_their_sufficient_statistics():
    pooled = pooled_over_segments(kidney_stones())

    assert pooled.n[0, :, 0].tolist() == [350, 350]
    assert pooled.sum[0, :, 0].tolist() == [289, 273]


def test_it_flags_simpsons_paradox_on_the_classic_example():
    batch = kidney_stones()
    settings = AnalysisSettings("binomial")
    by_segment = analyze_many(batch, settings).comparison.absolute_effect[0, 0]
    pooled = analyze_many(pooled_over_segments(batch), settings).comparison.absolute_effect[0, 0, 0]
    units = batch.n[0].sum(axis=0)

    assert (by_segment > 0).all() and pooled < 0
    assert simpsons_paradox(pooled, by_segment, units, min_units=100)


@pytest.mark.parametrize(
    ("pooled", "effects", "units", "flag"),
    [
        (0.1, [0.2, 0.1], [5000, 5000], False),  # same sign everywhere
        (-0.1, [0.2, -0.1], [5000, 5000], False),  # segments disagree
        (-0.1, [0.2, 0.3, -0.5], [5000, 5000, 50], True),  # the dissenter is too small
        (-0.1, [0.2, 0.1], [5000, 50], False),  # only one segment has enough data
        (-0.1, [0.2, np.nan], [5000, 5000], False),  # a segment without an effect
    ],
)
def test_it_only_counts_segments_with_enough_data(pooled, effects, units, flag):
    assert bool(simpsons_paradox(pooled, effects, units, min_units=1000)) is flag
