"""Input validation for the statistics API, and the shapes of its answers.

The serializers check types and ranges; the engine checks what only it understands
(sum_squares consistent with sum and n, a split matching the variants…). Its StatsError
names the offending field, which becomes a 400 on that same field.
"""

import re

from rest_framework import serializers

from .engine import AnalysisSettings, Design, Prior, StatsError, VariantStatistic
from .engine.power import DESIGN_METRIC_TYPES
from .engine.settings import PRIOR_SD_MIN, Correction, Method, MetricType
from .engine.statistics import MAX_MAGNITUDE, MAX_UNITS

MAX_VARIANTS = 20


def validation_error(error: StatsError) -> serializers.ValidationError:
    """The engine's complaint as a DRF error on the field it names.

    The engine writes paths as "variants[1].sum_squares"; nesting the error the way DRF
    nests its own ({"variants": {1: {"sum_squares": …}}}) makes the API name it
    "variants.1.sum_squares", like every other nested error it reports.
    """
    detail: dict | list = [error.message]
    for part in reversed(re.findall(r"[^.\[\]]+", error.field)):
        detail = {int(part) if part.isdigit() else part: detail}
    return serializers.ValidationError(detail)


def _bounded(**kwargs) -> serializers.FloatField:
    return serializers.FloatField(min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE, **kwargs)


def _optional_bounded(**kwargs) -> serializers.FloatField:
    return _bounded(required=False, allow_null=True, **kwargs)


# --- analyze -----------------------------------------------------------------------------


class VariantInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    n = serializers.IntegerField(min_value=0, max_value=MAX_UNITS, help_text="Units in the arm.")
    sum = _bounded(
        help_text="Σy over the units (conversions for a binomial metric, the numerator for a ratio)."
    )
    sum_squares = serializers.FloatField(
        min_value=0, max_value=MAX_MAGNITUDE, help_text="Σy² (equals sum for a binomial metric)."
    )
    pre_sum = _optional_bounded()
    pre_sum_squares = _optional_bounded()
    sum_product = _optional_bounded()
    denominator_sum = _optional_bounded(help_text="Ratio: Σx of the denominator, > 0.")
    denominator_sum_squares = _optional_bounded(help_text="Ratio: Σx².")
    cross_sum = _optional_bounded(help_text="Ratio: Σxy, numerator × denominator.")


class PriorSerializer(serializers.Serializer):
    mean = serializers.FloatField(min_value=-1e6, max_value=1e6, default=0.0)
    sd = serializers.FloatField(min_value=0, max_value=1e6, help_text=f"At least {PRIOR_SD_MIN:g}.")


class AnalyzeInputSerializer(serializers.Serializer):
    metric_type = serializers.ChoiceField(choices=MetricType.choices())
    method = serializers.ChoiceField(choices=Method.choices(), default=Method.FREQUENTIST.value)
    alpha = serializers.FloatField(
        min_value=0, max_value=1, default=0.05, help_text="Strictly between 0 and 1."
    )
    alternative = serializers.ChoiceField(choices=["two-sided"], default="two-sided")
    correction = serializers.ChoiceField(
        choices=Correction.choices(), default=Correction.NONE.value
    )
    expected_split = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=1e6),
        required=False,
        max_length=MAX_VARIANTS,
        help_text="Planned share of each variant; equal shares when left out.",
    )
    sequential_tuning_n = serializers.IntegerField(
        min_value=1, max_value=MAX_UNITS, default=5000, help_text="N* of the confidence sequence."
    )
    prior = PriorSerializer(required=False, allow_null=True, help_text="Normal prior on the lift.")
    srm_threshold = serializers.FloatField(min_value=0, max_value=1, default=0.001)
    variants = VariantInputSerializer(many=True, min_length=2, max_length=MAX_VARIANTS)

    def validate(self, attrs):
        """Build the engine's dataclasses; they hold the rules that need the numbers together."""
        variants = []
        for i, row in enumerate(attrs["variants"]):
            try:
                variants.append(VariantStatistic(**row))
            except StatsError as error:
                raise validation_error(error.at(f"variants[{i}]")) from None
        try:
            prior = attrs.get("prior")
            settings = AnalysisSettings(
                metric_type=attrs["metric_type"],
                method=attrs["method"],
                alpha=attrs["alpha"],
                alternative=attrs["alternative"],
                correction=attrs["correction"],
                expected_split=tuple(attrs.get("expected_split") or ()),
                sequential_tuning_n=attrs["sequential_tuning_n"],
                prior=Prior(**prior) if prior else None,
                srm_threshold=attrs["srm_threshold"],
            )
            settings.split_for(len(variants))
        except StatsError as error:
            raise validation_error(error) from None
        return {"variants": variants, "settings": settings}


class ArmOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    mean_control = serializers.FloatField(allow_null=True)
    mean_treatment = serializers.FloatField(allow_null=True)
    absolute_effect = serializers.FloatField(allow_null=True)
    absolute_ci_low = serializers.FloatField(allow_null=True)
    absolute_ci_high = serializers.FloatField(allow_null=True)
    relative_lift = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True, help_text="On the relative lift.")
    ci_high = serializers.FloatField(allow_null=True, help_text="On the relative lift.")
    p_value = serializers.FloatField(allow_null=True, help_text="Adjusted by the correction.")
    p_value_unadjusted = serializers.FloatField(allow_null=True)
    chance_to_win = serializers.FloatField(allow_null=True)
    expected_loss = serializers.FloatField(allow_null=True)
    significant = serializers.BooleanField(allow_null=True)
    variance_reduction = serializers.FloatField(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())


class AnalysisOutputSerializer(serializers.Serializer):
    srm_p_value = serializers.FloatField(allow_null=True)
    srm_flag = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())
    arms = ArmOutputSerializer(many=True)


# --- sample size -------------------------------------------------------------------------


class SampleSizeInputSerializer(serializers.Serializer):
    metric_type = serializers.ChoiceField(
        choices=[t.value for t in DESIGN_METRIC_TYPES],
        help_text="A ratio metric is sized as continuous, with the sd of its linearised units.",
    )
    baseline = serializers.FloatField(
        min_value=0, max_value=1, required=False, help_text="Binomial: baseline conversion rate."
    )
    baseline_mean = _bounded(required=False, help_text="Continuous: the metric's mean.")
    baseline_sd = serializers.FloatField(
        min_value=0, max_value=MAX_MAGNITUDE, required=False, help_text="Continuous: its sd."
    )
    mde = serializers.FloatField(min_value=0, max_value=MAX_MAGNITUDE)
    mde_type = serializers.ChoiceField(choices=["absolute", "relative"], default="relative")
    alpha = serializers.FloatField(min_value=0, max_value=1, default=0.05)
    power = serializers.FloatField(min_value=0, max_value=1, default=0.8)
    variants = serializers.IntegerField(min_value=2, max_value=100, default=2)
    correction = serializers.ChoiceField(
        choices=["bonferroni", "none"],
        default="bonferroni",
        help_text="Bonferroni splits alpha across the variants − 1 comparisons with the control.",
    )
    daily_traffic = serializers.FloatField(
        min_value=0, max_value=MAX_MAGNITUDE, required=False, allow_null=True
    )
    allocation = serializers.FloatField(min_value=0, max_value=1, default=1.0)

    def validate(self, attrs):
        required = (
            ("baseline",)
            if attrs["metric_type"] == MetricType.BINOMIAL
            else ("baseline_mean", "baseline_sd")
        )
        missing = {name: ["This field is required."] for name in required if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        try:
            design = Design(
                metric_type=attrs["metric_type"],
                mde=attrs["mde"],
                mde_type=attrs["mde_type"],
                baseline=attrs.get("baseline"),
                baseline_mean=attrs.get("baseline_mean"),
                baseline_sd=attrs.get("baseline_sd"),
                alpha=attrs["alpha"],
                power=attrs["power"],
                variants=attrs["variants"],
                correction=attrs["correction"],
            )
        except StatsError as error:
            raise validation_error(error) from None
        return {
            "design": design,
            "daily_traffic": attrs.get("daily_traffic"),
            "allocation": attrs["allocation"],
        }


class SampleSizeOutputSerializer(serializers.Serializer):
    n_per_variant = serializers.IntegerField()
    n_total = serializers.IntegerField()
    duration_days = serializers.IntegerField(
        allow_null=True, help_text="Only when daily_traffic is given."
    )
