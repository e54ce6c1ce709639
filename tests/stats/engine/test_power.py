import math

import pytest
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from apps.stats.engine import Design, StatsError, minimum_detectable_effect, sample_size


def test_it_answers_the_contract_example_exactly():
    design = Design("binomial", mde=0.05, mde_type="absolute", baseline=0.2)

    result = sample_size(design, daily_traffic=5000, allocation=1.0)

    assert result.to_dict() == {"n_per_variant": 1092, "n_total": 2184, "duration_days": 1}


@pytest.mark.parametrize(
    ("baseline", "mde", "alpha", "power"),
    [
        (0.2, 0.05, 0.05, 0.8),
        (0.05, 0.01, 0.05, 0.9),
        (0.5, 0.02, 0.01, 0.8),
        (0.9, 0.05, 0.1, 0.95),
    ],
)
def test_it_agrees_with_statsmodels_normal_ind_power_for_proportions(baseline, mde, alpha, power):
    effect = proportion_effectsize(baseline + mde, baseline)
    reference = NormalIndPower().solve_power(effect, alpha=alpha, power=power, ratio=1.0)

    design = Design(
        "binomial", mde=mde, mde_type="absolute", baseline=baseline, alpha=alpha, power=power
    )

    assert sample_size(design).n_per_variant == math.ceil(reference)


def test_it_agrees_with_statsmodels_for_means_with_a_relative_mde():
    # 5 % of a mean of 50 with sd 10: Cohen's d = 2.5 / 10.
    reference = NormalIndPower().solve_power(0.25, alpha=0.05, power=0.8, ratio=1.0)

    design = Design("continuous", mde=0.05, mde_type="relative", baseline_mean=50, baseline_sd=10)

    assert sample_size(design).n_per_variant == math.ceil(reference) == 252


def test_it_splits_alpha_across_treatments_with_bonferroni():
    three = Design("binomial", mde=0.05, mde_type="absolute", baseline=0.2, variants=3)
    uncorrected = Design(
        "binomial", mde=0.05, mde_type="absolute", baseline=0.2, variants=3, correction="none"
    )
    reference = NormalIndPower().solve_power(
        proportion_effectsize(0.25, 0.2), alpha=0.025, power=0.8, ratio=1.0
    )

    assert sample_size(three).n_per_variant == math.ceil(reference)
    assert sample_size(three).n_total == 3 * math.ceil(reference)
    assert sample_size(uncorrected).n_per_variant == 1092


def test_it_finds_the_mde_reachable_with_a_given_sample():
    design = Design("binomial", mde=0.05, mde_type="absolute", baseline=0.2)
    means = Design("continuous", mde=1, mde_type="absolute", baseline_mean=50, baseline_sd=10)

    assert minimum_detectable_effect(design, 1092) == pytest.approx(0.05, rel=1e-3)
    reachable = minimum_detectable_effect(means, 400)
    again = Design(
        "continuous", mde=reachable, mde_type="absolute", baseline_mean=50, baseline_sd=10
    )
    assert sample_size(again).n_per_variant == 400


def test_it_gives_the_duration_from_traffic_and_allocation():
    design = Design("binomial", mde=0.05, mde_type="absolute", baseline=0.2)

    assert sample_size(design, daily_traffic=500, allocation=0.5).duration_days == 9  # 2184 / 250
    assert sample_size(design).duration_days is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"baseline": 1.2}, "baseline"),
        ({"baseline": 0.98}, "mde"),
        ({"alpha": 0}, "alpha"),
        ({"power": 1}, "power"),
        ({"variants": 1}, "variants"),
        ({"mde": -0.1}, "mde"),
        ({"mde": 1e-9}, "mde"),
        ({"mde_type": "percent"}, "mde_type"),
        ({"metric_type": "ratio"}, "metric_type"),
    ],
)
def test_it_rejects_a_design_it_cannot_plan(kwargs, field):
    values = {"metric_type": "binomial", "mde": 0.05, "mde_type": "absolute", "baseline": 0.2}
    with pytest.raises(StatsError) as error:
        sample_size(Design(**{**values, **kwargs}))

    assert error.value.field == field


def test_it_rejects_a_continuous_design_without_spread():
    with pytest.raises(StatsError) as error:
        Design("continuous", mde=0.05, baseline_mean=50, baseline_sd=0)

    assert error.value.field == "baseline_sd"
