"""The entry point: the contract's shape, settings checks and degenerate input."""

import json
import math

import pytest

from apps.stats.engine import AnalysisSettings, Prior, StatsError, VariantStatistic, analyze

from .samples import binomial, from_moments

CONTRACT_ARM_KEYS = {
    "name", "mean_control", "mean_treatment", "absolute_effect", "absolute_ci_low",
    "absolute_ci_high", "relative_lift", "ci_low", "ci_high", "p_value", "p_value_unadjusted",
    "chance_to_win", "expected_loss", "significant", "variance_reduction", "warnings",
}  # fmt: skip


def contract_example():
    return [
        VariantStatistic("control", 10000, 1000, 1000),
        VariantStatistic("B", 10050, 1080, 1080, pre_sum=990, pre_sum_squares=990, sum_product=400),
    ]


def all_numbers(payload) -> list[float]:
    if isinstance(payload, dict):
        return [x for value in payload.values() for x in all_numbers(value)]
    if isinstance(payload, list):
        return [x for value in payload for x in all_numbers(value)]
    return [payload] if isinstance(payload, float) else []


@pytest.mark.parametrize("method", ["frequentist", "bayesian", "sequential"])
def test_it_returns_the_contract_shape_for_every_method(method):
    settings = AnalysisSettings(
        "binomial", method=method, prior=Prior(0.0, 0.3), expected_split=(0.5, 0.5)
    )

    payload = analyze(contract_example(), settings).to_dict()

    assert set(payload) == {"srm_p_value", "srm_flag", "warnings", "arms"}
    assert [set(arm) for arm in payload["arms"]] == [CONTRACT_ARM_KEYS]
    assert payload["srm_flag"] is False
    assert payload["srm_p_value"] == pytest.approx(0.7240, abs=1e-4)
    json.dumps(payload, allow_nan=False)  # no NaN or infinity survives


def test_it_fills_only_the_fields_its_method_produces():
    frequentist = analyze(contract_example(), AnalysisSettings("binomial")).arms[0]
    bayesian = analyze(contract_example(), AnalysisSettings("binomial", method="bayesian")).arms[0]

    assert frequentist.p_value is not None and frequentist.chance_to_win is None
    assert bayesian.p_value is None and bayesian.chance_to_win is not None
    assert bayesian.expected_loss > 0


def test_it_reports_a_null_relative_lift_when_the_control_mean_is_zero():
    variants = [from_moments("control", 500, 0.0, 4.0), from_moments("B", 500, 0.3, 4.0)]

    arm = analyze(variants, AnalysisSettings("continuous")).arms[0]

    assert arm.relative_lift is None and arm.ci_low is None and arm.p_value is None
    assert arm.absolute_effect == pytest.approx(0.3)
    assert arm.absolute_ci_low < 0.3 < arm.absolute_ci_high
    assert any("control mean is 0" in text for text in arm.warnings)


@pytest.mark.parametrize(
    ("control", "treatment"),
    [
        (binomial("control", 1000, 0), binomial("B", 1000, 12)),  # 0 % conversion
        (binomial("control", 1000, 100), binomial("B", 1000, 1000)),  # 100 % conversion
        (binomial("control", 1, 1), binomial("B", 1000, 100)),  # a single unit
    ],
)
def test_it_nulls_the_test_fields_when_an_arm_has_no_variance(control, treatment):
    result = analyze([control, treatment], AnalysisSettings("binomial"))
    arm = result.arms[0]

    assert arm.absolute_effect is not None
    for name in ("ci_low", "ci_high", "p_value", "absolute_ci_low", "significant"):
        assert getattr(arm, name) is None
    assert any("no variance" in text for text in arm.warnings)
    json.dumps(result.to_dict(), allow_nan=False)


def test_it_reports_nothing_but_a_warning_for_an_empty_arm():
    arm = analyze(
        [binomial("control", 1000, 100), binomial("B", 0, 0)], AnalysisSettings("binomial")
    ).arms[0]

    assert arm.mean_control == 0.1
    assert arm.mean_treatment is None and arm.absolute_effect is None
    assert arm.warnings == ["An arm has no units, so nothing can be estimated."]


def test_it_refuses_a_negative_control_mean_with_a_clear_message():
    variants = [from_moments("control", 500, -2.0, 4.0), from_moments("B", 500, 1.0, 4.0)]

    with pytest.raises(StatsError) as error:
        analyze(variants, AnalysisSettings("continuous"))

    assert error.value.field == "variants[0].sum"
    assert "negative" in error.value.message


def test_it_needs_a_control_and_a_treatment():
    with pytest.raises(StatsError) as error:
        analyze([binomial("control", 100, 10)], AnalysisSettings("binomial"))

    assert error.value.field == "variants"


def test_it_checks_binomial_sums_naming_the_variant():
    variants = [binomial("control", 100, 10), VariantStatistic("B", 100, 10, 30)]

    with pytest.raises(StatsError) as error:
        analyze(variants, AnalysisSettings("binomial"))

    assert error.value.field == "variants[1].sum_squares"


def test_it_checks_the_length_of_the_expected_split():
    with pytest.raises(StatsError) as error:
        analyze(
            [binomial("control", 100, 10), binomial("B", 100, 12)],
            AnalysisSettings("binomial", expected_split=(0.3, 0.3, 0.4)),
        )

    assert error.value.field == "expected_split"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "magic"}, "method"),
        ({"alpha": 0}, "alpha"),
        ({"alpha": 1.5}, "alpha"),
        ({"alpha": float("nan")}, "alpha"),
        ({"correction": "sidak"}, "correction"),
        ({"alternative": "greater"}, "alternative"),
        ({"expected_split": (0.5, 0)}, "expected_split[1]"),
        ({"sequential_tuning_n": 0}, "sequential_tuning_n"),
        ({"srm_threshold": 2}, "srm_threshold"),
        ({"metric_type": "fraction"}, "metric_type"),
    ],
)
def test_it_rejects_settings_it_cannot_use(kwargs, field):
    with pytest.raises(StatsError) as error:
        AnalysisSettings(**{"metric_type": "binomial", **kwargs})

    assert error.value.field == field


def test_it_rejects_a_prior_without_spread():
    with pytest.raises(StatsError) as error:
        Prior(mean=0.0, sd=0.0)

    assert error.value.field == "prior.sd"


def test_it_normalises_the_expected_split():
    settings = AnalysisSettings("binomial", expected_split=(1, 3))

    assert settings.expected_split == (0.25, 0.75)


def test_it_never_lets_an_overflow_through_as_an_infinity():
    # A control mean of 1e-163 makes m_c² underflow to 0 in the delta method.
    variants = [
        VariantStatistic("control", 1000, 1e-160, 1e-150),
        VariantStatistic("B", 1000, 1e-140, 1e-130),
    ]

    payload = analyze(variants, AnalysisSettings("continuous")).to_dict()

    assert all(math.isfinite(x) for x in all_numbers(payload))
    assert payload["arms"][0]["ci_low"] is None
    assert "floating-point range" in payload["arms"][0]["warnings"][0]
    json.dumps(payload, allow_nan=False)


def test_it_leaves_the_test_undefined_when_alpha_is_too_small_to_compute():
    # t_{1 − α/2} is infinite in floating point for α = 1e-300.
    variants = [binomial("control", 1000, 100), binomial("B", 1000, 120)]

    arm = analyze(variants, AnalysisSettings("binomial", alpha=1e-300)).arms[0]

    assert arm.ci_low is None and arm.p_value is None and arm.significant is None
    assert arm.relative_lift == pytest.approx(0.2)
    assert any("floating-point range" in text for text in arm.warnings)
