"""The calculators' forms: they build the engine's inputs and place its errors on fields."""

import re

from django import forms
from django.http import QueryDict

from .engine import AnalysisSettings, Design, Prior, StatsError, VariantStatistic
from .engine.settings import Correction, Method, MetricType

ARM_ROWS = 5  # the control and up to four treatments
# Each calculator's fields carry its own prefix, so the two forms on the page never share
# an id (both have a metric type, an error rate and a correction).
ANALYSIS_PREFIX = "analysis"
PLAN_PREFIX = "plan"
SETTINGS_FIELDS = ("metric_type", "method", "level", "correction")
# Expert inputs, under "Advanced" on the page.
ADVANCED_FIELDS = ("prior_mean", "prior_sd", "sequential_tuning_n")
ROW_FIELDS = ("name", "n", "sum", "sum_squares", "pre_sum", "pre_sum_squares", "sum_product")
MAIN_ROW_FIELDS = ROW_FIELDS[:4]
PRE_ROW_FIELDS = ROW_FIELDS[4:]
# Durations a plan is warned about: under a week leaves weekday/weekend cycles uncovered;
# past eight weeks, cookie churn and novelty wearing off bias the result.
SHORT_DAYS, LONG_DAYS = 7, 56
VARIANT_FIELD = re.compile(r"^variants\[(\d+)\]\.(\w+)$")

METRIC_TYPES = [
    (MetricType.BINOMIAL, "Binomial (conversion)"),
    (MetricType.CONTINUOUS, "Continuous"),
]
METHODS = [
    (Method.FREQUENTIST, "Frequentist (fixed horizon)"),
    (Method.SEQUENTIAL, "Sequential (always valid)"),
    (Method.BAYESIAN, "Bayesian"),
]
CORRECTIONS = [
    (Correction.NONE, "None"),
    (Correction.HOLM, "Holm"),
    (Correction.BONFERRONI, "Bonferroni"),
    (Correction.BH, "Benjamini–Hochberg"),
]


def _number(**kwargs) -> forms.FloatField:
    return forms.FloatField(
        required=False, widget=forms.NumberInput(attrs={"step": "any"}), **kwargs
    )


class EngineErrorsMixin:
    """Put a StatsError on the form field it names, or above the form; share the inputs."""

    def shared_query(self) -> str:
        """The filled-in inputs as a query string: the calculators page restores them from
        it and calculates, so a link saves or shares a calculation."""
        params = QueryDict(mutable=True)
        for name in self.fields:
            value = self[name].value()
            if value not in (None, ""):
                params[self.add_prefix(name)] = str(value)
        return params.urlencode()

    def field_for(self, engine_field: str) -> str | None:
        name = engine_field.replace(".", "_")
        return name if name in self.fields else None

    def add_engine_error(self, error: StatsError) -> None:
        field = self.field_for(error.field)
        message = error.message if field else f"{error.field}: {error.message}"
        self.add_error(field, message[:1].upper() + message[1:])


class AnalysisForm(EngineErrorsMixin, forms.Form):
    metric_type = forms.ChoiceField(
        choices=METRIC_TYPES, initial=MetricType.BINOMIAL, label="Metric"
    )
    method = forms.ChoiceField(choices=METHODS, initial=Method.FREQUENTIST)
    level = forms.FloatField(
        initial=95,
        label="Interval level (%)",
        help_text="95 gives 95 % confidence (or credible) intervals.",
        widget=forms.NumberInput(attrs={"step": "any", "min": 50, "max": 99.99}),
    )
    correction = forms.ChoiceField(
        choices=CORRECTIONS, initial=Correction.NONE, label="Correction for several treatments"
    )
    prior_mean = _number(
        label="Prior mean of the lift", help_text="Bayesian: 0.05 for +5 %. Empty: flat prior."
    )
    prior_sd = _number(label="Prior sd of the lift", help_text="0.3 for ±30 %.")
    sequential_tuning_n = forms.IntegerField(
        required=False,
        initial=5000,
        min_value=1,
        label="Sequential N*",
        help_text="Sequential: units where the test is tuned to be most powerful.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", ANALYSIS_PREFIX)
        super().__init__(*args, **kwargs)
        for row in range(ARM_ROWS):
            initial = "control" if row == 0 else chr(ord("A") + row)
            self.fields[f"name_{row}"] = forms.CharField(
                max_length=100, required=False, initial=initial
            )
            self.fields[f"n_{row}"] = forms.IntegerField(required=False, min_value=0)
            for name in ROW_FIELDS[2:]:
                self.fields[f"{name}_{row}"] = _number()
        self.row_of_variant: list[int] = []
        self.variants: list[VariantStatistic] = []
        self.settings: AnalysisSettings | None = None

    def settings_fields(self):
        return [self[name] for name in SETTINGS_FIELDS]

    def advanced_fields(self):
        return [self[name] for name in ADVANCED_FIELDS]

    def rows(self):
        """The variants table, one list of bound fields per row."""
        return [
            {"index": row, "fields": [self[f"{name}_{row}"] for name in MAIN_ROW_FIELDS]}
            for row in range(ARM_ROWS)
        ]

    def pre_rows(self):
        """The optional pre-period table (CUPED), one row per variant."""
        return [
            {
                "index": row,
                "name": self[f"name_{row}"].value() or "",
                "fields": [self[f"{name}_{row}"] for name in PRE_ROW_FIELDS],
            }
            for row in range(ARM_ROWS)
        ]

    def advanced_in_use(self) -> bool:
        """Open "Advanced" when it holds a value or an error, so nothing is hidden."""
        if not self.is_bound:
            return False
        names = [*ADVANCED_FIELDS[:2], *(f"{n}_{r}" for n in PRE_ROW_FIELDS for r in range(5))]
        return any(self[name].value() not in (None, "") or self.has_error(name) for name in names)

    def field_for(self, engine_field: str) -> str | None:
        match = VARIANT_FIELD.match(engine_field)
        if match and int(match.group(1)) < len(self.row_of_variant):
            row = self.row_of_variant[int(match.group(1))]
            return f"{match.group(2)}_{row}"
        return super().field_for(engine_field)

    def clean(self):
        data = super().clean()
        binomial = data.get("metric_type") == MetricType.BINOMIAL
        for row in range(ARM_ROWS):
            values = {name: data.get(f"{name}_{row}") for name in ROW_FIELDS}
            if values["n"] is None:
                if row < 2 and not self.has_error(f"n_{row}"):
                    who = "the control" if row == 0 else "at least one treatment"
                    self.add_error(f"n_{row}", f"Enter the units of {who}.")
                continue
            for name in ("sum", "sum_squares"):
                if values[name] is None and not (binomial and name == "sum_squares"):
                    self.add_error(f"{name}_{row}", "Required for every variant with units.")
            if binomial and values["sum"] is not None and not self.has_error(f"n_{row}"):
                self._check_conversions(row, values["n"], values["sum"])
            if binomial and values["sum_squares"] is None:
                values["sum_squares"] = values["sum"]  # conversions: each unit is 0 or 1
            values["name"] = values["name"] or ("control" if row == 0 else f"variant {row}")
            self.row_of_variant.append(row)
            self.variants.append(values)
        if self.errors:
            return data

        built = []
        try:
            for i, values in enumerate(self.variants):
                try:
                    built.append(VariantStatistic(**values))
                except StatsError as error:
                    raise error.at(f"variants[{i}]") from None
            prior = None
            if data.get("prior_sd") is not None or data.get("prior_mean") is not None:
                if data.get("prior_sd") is None:
                    raise StatsError("prior.sd", "Give the prior's sd too, or leave both empty.")
                prior = Prior(mean=data.get("prior_mean") or 0.0, sd=data["prior_sd"])
            self.settings = AnalysisSettings(
                metric_type=data["metric_type"],
                method=data["method"],
                alpha=1 - data["level"] / 100,
                correction=data["correction"],
                sequential_tuning_n=data.get("sequential_tuning_n") or 5000,
                prior=prior,
            )
        except StatsError as error:
            self.add_engine_error(error)
        self.variants = built
        return data

    def clean_level(self):
        level = self.cleaned_data["level"]
        if not 50 <= level < 100:
            raise forms.ValidationError(
                "Give the interval level in percent, from 50 up to (not including) 100; "
                "95 is usual."
            )
        return level

    def _check_conversions(self, row: int, n: int, conversions: float) -> None:
        """A binomial sum counts converted units: a whole number from 0 to n.

        Checked here, in words about conversions, before the engine would find the
        implied variance negative and blame the sum of squares the person left empty.
        """
        field = f"sum_{row}"
        if conversions < 0:
            self.add_error(field, "Conversions cannot be negative.")
        elif conversions > n:
            self.add_error(
                field,
                f"Conversions ({conversions:,.0f}) cannot exceed the units n ({n:,}): each "
                "unit converts at most once.",
            )
        elif conversions != round(conversions):
            self.add_error(field, "Conversions are a whole number of units.")


class SampleSizeForm(EngineErrorsMixin, forms.Form):
    metric_type = forms.ChoiceField(choices=METRIC_TYPES, initial=MetricType.BINOMIAL)
    baseline = _number(label="Baseline rate", help_text="Binomial: e.g. 0.2 for 20 %.")
    baseline_mean = _number(label="Baseline mean", help_text="Continuous metrics.")
    baseline_sd = _number(label="Baseline sd", help_text="Continuous metrics.")
    mde = forms.FloatField(
        label="Minimum detectable effect", widget=forms.NumberInput(attrs={"step": "any"})
    )
    mde_type = forms.ChoiceField(
        choices=[("relative", "Relative (share of baseline)"), ("absolute", "Absolute")],
        initial="relative",
        label="MDE is",
    )
    alpha = forms.FloatField(
        initial=0.05,
        label="Significance level α",
        help_text="0.05 for 95 % confidence.",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    power = forms.FloatField(initial=0.8, widget=forms.NumberInput(attrs={"step": "any"}))
    variants = forms.IntegerField(initial=2, min_value=2, max_value=100)
    correction = forms.ChoiceField(
        choices=[("bonferroni", "Bonferroni across treatments"), ("none", "None")],
        initial="bonferroni",
    )
    daily_traffic = _number(label="Daily eligible traffic", help_text="Optional: gives a duration.")
    allocation = forms.FloatField(
        initial=1.0, label="Share allocated", widget=forms.NumberInput(attrs={"step": "any"})
    )

    design: Design | None = None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", PLAN_PREFIX)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["metric_type"] == MetricType.BINOMIAL and data.get("baseline") is None:
            self.add_error("baseline", "Enter the baseline conversion rate.")
            return data
        if data["metric_type"] == MetricType.CONTINUOUS:
            for name in ("baseline_mean", "baseline_sd"):
                if data.get(name) is None:
                    self.add_error(name, "Required for a continuous metric.")
            if self.errors:
                return data
        try:
            self.design = Design(
                metric_type=data["metric_type"],
                mde=data["mde"],
                mde_type=data["mde_type"],
                baseline=data.get("baseline"),
                baseline_mean=data.get("baseline_mean"),
                baseline_sd=data.get("baseline_sd"),
                alpha=data["alpha"],
                power=data["power"],
                variants=data["variants"],
                correction=data["correction"],
            )
        except StatsError as error:
            self.add_engine_error(error)
        return data
