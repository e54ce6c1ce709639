"""Forms for the experiment pages: shapes and parsing only; the services own the rules.

A design's variants, audience and rollout stages are typed as short lines of text and
parsed here into what the services take; a line that cannot be read is an error beside
its field naming the line. Whether the result makes a valid design (one control, weights
above zero, a primary metric, the layer's share) is the service's call.
"""

import json
import re
from typing import cast

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from apps.accounts.models import Role, User, WorkingGroup
from apps.core.dates import check_date
from apps.roadmap.models import Milestone, ResearchPlan

from .models import (
    AnalysisMethod,
    Correction,
    DataSource,
    Decision,
    Direction,
    Experiment,
    ExperimentType,
    Layer,
    Metric,
    MetricKind,
    MetricRole,
    SourceKind,
    Status,
    Surface,
    Unit,
)
from .services import MetricSpec, VariantSpec

DATE = forms.DateInput(attrs={"type": "date"})
AUDIENCE_LINE = re.compile(r"^\s*([^\s:]+)\s+(not[ _]in|in)\s+(.+?)\s*$", re.IGNORECASE)
VARIANT_LINE = re.compile(r"^\s*(.+?)\s*:\s*([^:]+?)\s*$")
NO_ROLE = ""
ROLE_CHOICES = [(NO_ROLE, "—"), *MetricRole.choices]
ROLE_ORDER = {MetricRole.PRIMARY: 0, MetricRole.SECONDARY: 1, MetricRole.GUARDRAIL: 2}


def _model_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.plan.title} — {obj.title}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


def variants_text(variants) -> str:
    """Variants as the form shows them: the control first, `name: weight` per line."""
    ordered = sorted(variants, key=lambda v: not v.is_control)
    return "\n".join(f"{v.name}: {v.weight:g}" for v in ordered)


def audience_text(audience: list[dict]) -> str:
    return "\n".join(
        f"{c['attribute']} {c.get('operator', 'in').replace('_', ' ')} {', '.join(c['values'])}"
        for c in audience
    )


def stages_text(stages: list) -> str:
    return ", ".join(f"{s:g}" for s in stages)


class DesignForm(forms.Form):
    """An experiment's design document; the metric table is one role field per metric of
    the group's library (`role_<pk>`, `harm_<pk>`)."""

    title = forms.CharField(max_length=200)
    key = forms.CharField(
        max_length=80, required=False,
        help_text="Short and unique in the group, used in the assignment data; blank: from the title.",
    )  # fmt: skip
    type = forms.ChoiceField(
        choices=ExperimentType.choices,
        help_text="Choosing a type on a new design fills its variants, allocation and stages "
        "from the type's template.",
    )
    unit = forms.ChoiceField(choices=Unit.choices, label="Randomisation unit")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=10_000)  # fmt: skip
    variants = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line as “name: weight”; the first line is the control. "
        "Weights are relative: 1 and 1 split evenly.",
    )
    data_source = forms.ModelChoiceField(queryset=DataSource.objects.none(), required=False)
    # Errors about the metric table as a whole (one primary, a guardrail's threshold) land
    # here, beside the table; the table itself is the role_<pk> fields.
    metrics = forms.CharField(required=False, widget=forms.HiddenInput)
    surfaces = forms.ModelMultipleChoiceField(
        queryset=Surface.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    layer = forms.ModelChoiceField(
        queryset=Layer.objects.none(), required=False,
        help_text="Experiments in one layer share its traffic and never overlap.",
    )  # fmt: skip
    layer_share = forms.FloatField(initial=100, label="Share of the layer (%)")
    audience = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=8000,
        help_text="One condition per line: “country in DE, AT” or “platform not in ios”.",
    )  # fmt: skip
    allocation = forms.FloatField(initial=100, label="Allocation (% of the audience)")
    planned_start = forms.DateField(widget=DATE, required=False)
    planned_end = forms.DateField(widget=DATE, required=False)
    method = forms.ChoiceField(choices=AnalysisMethod.choices, initial=AnalysisMethod.FREQUENTIST)
    alpha = forms.FloatField(initial=0.05, label="α (significance level)")
    power = forms.FloatField(initial=0.8)
    mde = forms.FloatField(initial=0.02, label="Minimum detectable effect",
                           help_text="Relative: 0.02 is 2 %.")  # fmt: skip
    correction = forms.ChoiceField(
        choices=Correction.choices, initial=Correction.HOLM, label="Multiple-comparison correction"
    )
    cuped = forms.BooleanField(required=False, label="CUPED (variance reduction)")
    baseline = forms.FloatField(required=False, help_text="The primary metric today: a rate "
                                "(0.05) or a mean.")  # fmt: skip
    baseline_sd = forms.FloatField(required=False, label="Baseline standard deviation",
                                   help_text="Per unit; not needed for a rate.")  # fmt: skip
    daily_traffic = forms.FloatField(required=False, help_text="Units entering per day; blank: "
                                     "measured on the data source.")  # fmt: skip
    refresh_minutes = forms.IntegerField(initial=60, label="Pull results every (minutes)")
    rollout_stages = forms.CharField(
        required=False, max_length=200,
        help_text="Percentages, rising: “1, 10, 50, 100”.",
    )  # fmt: skip
    risks = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                            max_length=10_000)  # fmt: skip
    rollback_triggers = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                        max_length=10_000)  # fmt: skip
    milestone = MilestoneChoiceField(
        queryset=Milestone.objects.none(), required=False, label="Roadmap decision point",
    )  # fmt: skip
    owner = PersonChoiceField(queryset=User.objects.none())

    def __init__(self, *args, group: WorkingGroup, user: User | AnonymousUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        _model_field(self, "data_source").queryset = DataSource.objects.filter(working_group=group)
        _model_field(self, "surfaces").queryset = Surface.objects.filter(working_group=group)
        _model_field(self, "layer").queryset = Layer.objects.filter(working_group=group)
        plans = ResearchPlan.objects.visible_to(user).filter(working_group=group)
        _model_field(self, "milestone").queryset = (
            Milestone.objects.filter(plan__in=plans)
            .select_related("plan")
            .order_by("plan__title", "position", "pk")
        )
        _model_field(self, "owner").queryset = User.objects.filter(
            memberships__working_group=group,
            memberships__role__in=[r for r in Role.values if r != Role.STAKEHOLDER],
        ).order_by("first_name", "username")
        self.library = list(
            Metric.objects.filter(working_group=group).select_related("data_source")
        )
        for metric in self.library:
            self.fields[f"role_{metric.pk}"] = forms.ChoiceField(
                choices=ROLE_CHOICES, required=False, label=metric.name
            )
            self.fields[f"harm_{metric.pk}"] = forms.FloatField(
                required=False, label=f"{metric.name}: harm threshold"
            )

    def metric_rows(self) -> list[dict]:
        """The metric table: each library metric with its role and threshold fields."""
        return [
            {"metric": m, "role": self[f"role_{m.pk}"], "harm": self[f"harm_{m.pk}"]}
            for m in self.library
        ]

    def basic_fields(self):
        return [self[name] for name in ("title", "key", "type", "unit", "owner", "description")]

    def clean_planned_start(self):
        return check_date(self.cleaned_data.get("planned_start"))

    def clean_planned_end(self):
        return check_date(self.cleaned_data.get("planned_end"))

    def clean_variants(self) -> list[VariantSpec]:
        specs: list[VariantSpec] = []
        errors: list[str] = []
        lines = [line for line in self.cleaned_data["variants"].splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            match = VARIANT_LINE.match(line)
            if not match:
                errors.append(f"Line {number} (“{line.strip()}”): write “name: weight”.")
                continue
            name, weight = match.groups()
            try:
                value = float(weight.replace(",", "."))
            except ValueError:
                errors.append(f"Line {number}: the weight “{weight}” is not a number.")
                continue
            specs.append(VariantSpec(name=name, weight=value, is_control=not specs))
        if errors:
            raise ValidationError(errors)
        return specs

    def clean_audience(self) -> list[dict]:
        conditions, errors = [], []
        lines = [line for line in self.cleaned_data["audience"].splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            match = AUDIENCE_LINE.match(line)
            if not match:
                errors.append(
                    f"Line {number} (“{line.strip()}”): write “attribute in value, value” or "
                    "“attribute not in value”."
                )
                continue
            attribute, operator, values = match.groups()
            conditions.append({
                "attribute": attribute,
                "operator": "not_in" if operator.lower().startswith("not") else "in",
                "values": [v.strip() for v in values.split(",") if v.strip()],
            })  # fmt: skip
        if errors:
            raise ValidationError(errors)
        return conditions

    def clean_rollout_stages(self) -> list[float]:
        raw = self.cleaned_data["rollout_stages"].replace("%", " ")
        stages = []
        for part in re.split(r"[,\s;]+", raw.strip()):
            if not part:
                continue
            try:
                stages.append(float(part))
            except ValueError:
                raise ValidationError(f"“{part}” is not a percentage.") from None
        return [int(s) if s.is_integer() else s for s in stages]

    def clean(self):
        data = super().clean()
        chosen = []
        for metric in self.library:
            role = data.get(f"role_{metric.pk}") or NO_ROLE
            if role == NO_ROLE:
                continue
            harm = data.get(f"harm_{metric.pk}")
            chosen.append(MetricSpec(
                metric=metric, role=role,
                harm_threshold=harm if role == MetricRole.GUARDRAIL else None,
            ))  # fmt: skip
        chosen.sort(key=lambda spec: ROLE_ORDER[MetricRole(spec.role)])
        data["metrics"] = chosen
        return data

    def design(self) -> dict:
        """What the services take: the design fields plus variants, metrics and surfaces.

        No metric chosen is `metrics=None`, "leave them as they are": a draft may wait for
        its metrics (submitting it for review asks for a primary one).
        """
        data = dict(self.cleaned_data)
        data["metrics"] = data.get("metrics") or None
        for metric in self.library:
            data.pop(f"role_{metric.pk}", None)
            data.pop(f"harm_{metric.pk}", None)
        return data


class DesignEditForm(DesignForm):
    """Editing carries the version the form was opened at: the service refuses to write
    over a change saved since."""

    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


def design_initial(exp: Experiment) -> dict:
    """An existing design as the edit form's initial values."""
    initial = {
        name: getattr(exp, name)
        for name in ("title", "key", "type", "unit", "description", "layer_share", "allocation",
                     "planned_start", "planned_end", "method", "alpha", "power", "mde",
                     "correction", "cuped", "baseline", "baseline_sd", "daily_traffic",
                     "refresh_minutes", "risks", "rollback_triggers")
    }  # fmt: skip
    initial.update(
        owner=exp.owner_id, data_source=exp.data_source_id, layer=exp.layer_id,
        milestone=exp.milestone_id, version=exp.version,
        variants=variants_text(exp.variants.all()),
        audience=audience_text(exp.audience), rollout_stages=stages_text(exp.rollout_stages),
        surfaces=[s.pk for s in exp.surfaces.all()],
    )  # fmt: skip
    for link in exp.metric_links.all():
        initial[f"role_{link.metric_id}"] = link.role
        initial[f"harm_{link.metric_id}"] = link.harm_threshold
    return initial


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=20)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             max_length=4000)  # fmt: skip


class ConcludeForm(forms.Form):
    decision = forms.ChoiceField(choices=[("", "—"), *Decision.choices], required=False)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10_000,
        help_text="Why this decision, from these results.",
    )  # fmt: skip


class IndexFilterForm(forms.Form):
    group = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any"), *Status.choices])
    type = forms.ChoiceField(required=False, choices=[("", "Any"), *ExperimentType.choices])
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, groups, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "All my groups"), *((g.slug, g.name) for g in groups)]
        self.fields["owner"].choices = [("", "Anyone"), *((u.pk, u.display_name) for u in owners)]


def _tags(raw: str) -> list[str]:
    return [t.strip() for t in raw.split(",") if t.strip()]


class MetricForm(forms.Form):
    name = forms.CharField(max_length=120)
    key = forms.CharField(max_length=60, required=False,
                          help_text="Blank: from the name. Fixed once saved.")  # fmt: skip
    data_source = forms.ModelChoiceField(queryset=DataSource.objects.none())
    kind = forms.ChoiceField(choices=MetricKind.choices)
    direction = forms.ChoiceField(choices=Direction.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  max_length=4000)  # fmt: skip
    tags = forms.CharField(max_length=900, required=False, help_text="Comma-separated.")
    sql = forms.CharField(
        label="SQL", widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="Returns unit_id, ts, value — or for a ratio unit_id, ts, numerator, "
        "denominator. It runs once on the data source when saved.",
    )  # fmt: skip
    covariate_sql = forms.CharField(
        label="Covariate SQL (CUPED)", required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="Optional: unit_id, value measured before the experiment.",
    )  # fmt: skip

    # Fixed once saved: the edit form leaves them out.
    CREATE_ONLY = ("key", "data_source", "kind")

    def __init__(self, *args, group: WorkingGroup, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in self.CREATE_ONLY:
                del self.fields[name]
        else:
            _model_field(self, "data_source").queryset = DataSource.objects.filter(
                working_group=group
            )

    def clean_tags(self) -> list[str]:
        return _tags(self.cleaned_data["tags"])


class SourceForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=SourceKind.choices)
    config = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text='JSON. DuckDB: {"path": "/data/warehouse.duckdb"}; PostgreSQL: '
        '{"url_env": "WAREHOUSE_URL"}; Trino: {"host": …, "password_env": …}. Secrets stay '
        "in environment variables: name the variable, never its value.",
    )
    assignment_sql = forms.CharField(
        label="Assignment SQL", widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text="One row per exposure: experiment_key, unit_id, variant, first_exposure_at, "
        "then any segment attributes.",
    )  # fmt: skip
    segment_columns = forms.CharField(max_length=800, required=False,
                                      help_text="Comma-separated column names.")  # fmt: skip

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]  # an adapter's settings do not carry over to another kind

    def clean_config(self) -> dict:
        try:
            config = json.loads(self.cleaned_data["config"] or "{}")
        except json.JSONDecodeError as error:
            raise ValidationError(f"Not JSON: {error.msg} (line {error.lineno}).") from None
        if not isinstance(config, dict):
            raise ValidationError('Give the settings as an object: {"path": …}.')
        return config

    def clean_segment_columns(self) -> list[str]:
        return _tags(self.cleaned_data["segment_columns"])
