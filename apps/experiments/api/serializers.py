"""The experiments API's shapes: inputs checked here, rules applied by the services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import User
from apps.backlog.models import Hypothesis
from apps.core.api_fields import VisibleGroupField
from apps.core.dates import DATE_HELP, check_date
from apps.experiments.models import (
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
    Snapshot,
    SourceKind,
    Surface,
    Unit,
)
from apps.experiments.services import STEPS
from apps.roadmap.models import Milestone, ResearchPlan

MAX_ROWS = 20_000


def _in_group_queryset(field, model, **lookups):
    """The field's choices: rows of groups the requester reads (any other id is unknown)."""
    user = field.context["request"].user
    return model.objects.filter(**{lookups.get("group", "working_group__memberships__user"): user})


@extend_schema_field(OpenApiTypes.INT)
class VisibleHypothesisField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Hypothesis.objects.visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VisibleMilestoneField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        plans = ResearchPlan.objects.visible_to(self.context["request"].user)
        return Milestone.objects.filter(plan__in=plans)


@extend_schema_field(OpenApiTypes.INT)
class GroupRowField(serializers.PrimaryKeyRelatedField):
    """A data source, metric, layer or surface of a group the requester reads."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return _in_group_queryset(self, self.model)


def _in_window(value):
    check_date(value)


def _date(**kwargs) -> serializers.DateField:
    return serializers.DateField(help_text=DATE_HELP, validators=[_in_window], **kwargs)


class DesignVariantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    weight = serializers.FloatField(min_value=-1e12, max_value=1e12,
                                    help_text="A positive traffic weight.")  # fmt: skip
    is_control = serializers.BooleanField(default=False)
    description = serializers.CharField(max_length=240, required=False, allow_blank=True)


class MetricRoleInputSerializer(serializers.Serializer):
    metric = GroupRowField(Metric)
    role = serializers.ChoiceField(choices=MetricRole.choices)
    harm_threshold = serializers.FloatField(
        required=False, allow_null=True, min_value=-1e12, max_value=1e12,
        help_text="Guardrails: the relative change that counts as harm (0.02 is 2 %).",
    )  # fmt: skip


class AudienceConditionSerializer(serializers.Serializer):
    attribute = serializers.CharField(max_length=60)
    operator = serializers.ChoiceField(choices=[("in", "in"), ("not_in", "not in")], default="in")
    values = serializers.ListField(child=serializers.CharField(max_length=120), max_length=200)


class DesignFieldsSerializer(serializers.Serializer):
    """The design's own fields, shared by create and update."""

    title = serializers.CharField(max_length=200, required=False)
    key = serializers.SlugField(max_length=80, required=False)
    type = serializers.ChoiceField(choices=ExperimentType.choices, required=False)
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    milestone = VisibleMilestoneField(required=False, allow_null=True)
    data_source = GroupRowField(DataSource, required=False, allow_null=True)
    layer = GroupRowField(Layer, required=False, allow_null=True)
    layer_share = serializers.FloatField(required=False, min_value=-1e12, max_value=1e12)
    audience = AudienceConditionSerializer(many=True, required=False)
    allocation = serializers.FloatField(required=False, min_value=-1e12, max_value=1e12)
    planned_start = _date(required=False, allow_null=True)
    planned_end = _date(required=False, allow_null=True)
    method = serializers.ChoiceField(choices=AnalysisMethod.choices, required=False)
    alpha = serializers.FloatField(required=False, min_value=-1e12, max_value=1e12)
    power = serializers.FloatField(required=False, min_value=-1e12, max_value=1e12)
    mde = serializers.FloatField(required=False, min_value=-1e12, max_value=1e12)
    correction = serializers.ChoiceField(choices=Correction.choices, required=False)
    cuped = serializers.BooleanField(required=False)
    baseline = serializers.FloatField(
        required=False, allow_null=True, min_value=-1e12, max_value=1e12
    )
    baseline_sd = serializers.FloatField(
        required=False, allow_null=True, min_value=-1e12, max_value=1e12
    )
    daily_traffic = serializers.FloatField(
        required=False, allow_null=True, min_value=-1e12, max_value=1e12
    )
    rollout_stages = serializers.ListField(
        child=serializers.FloatField(min_value=-1e12, max_value=1e12), required=False, max_length=20
    )
    risks = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    rollback_triggers = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    refresh_minutes = serializers.IntegerField(required=False, min_value=0, max_value=10**6)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True),
                                               required=False)  # fmt: skip
    variants = serializers.ListField(child=DesignVariantSerializer(), required=False, max_length=20)
    metrics = serializers.ListField(
        child=MetricRoleInputSerializer(), required=False, max_length=40
    )
    surfaces: serializers.ListField = serializers.ListField(
        child=GroupRowField(Surface), required=False, max_length=50
    )


class ExperimentInputSerializer(DesignFieldsSerializer):
    hypothesis = VisibleHypothesisField()


class ExperimentUpdateSerializer(DesignFieldsSerializer):
    version = serializers.IntegerField(
        required=False, min_value=0, max_value=2**31 - 1,
        help_text="The version you started editing from: if someone saved since, nothing is "
        "saved and the answer is 409 with the saved experiment.",
    )  # fmt: skip


class ExperimentTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(name, name) for name in STEPS])
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True,
                                   help_text="Why; required to request changes or reset.")  # fmt: skip
    decision = serializers.ChoiceField(choices=Decision.choices, required=False,
                                       help_text="For conclude.")  # fmt: skip
    rationale = serializers.CharField(max_length=10_000, required=False, allow_blank=True,
                                      help_text="For conclude: why this decision.")  # fmt: skip


class StatRowSerializer(serializers.Serializer):
    """Per-variant sufficient statistics, in the statistics engine's input shape."""

    metric = serializers.CharField(max_length=60)
    variant = serializers.CharField(max_length=60)
    segment = serializers.CharField(max_length=63, required=False, allow_null=True, default=None)
    segment_value = serializers.CharField(max_length=120, required=False, allow_null=True,
                                          default=None)  # fmt: skip
    n = serializers.IntegerField(min_value=0, max_value=10**12)
    sum = serializers.FloatField(min_value=-1e150, max_value=1e150)
    sum_squares = serializers.FloatField(min_value=0, max_value=1e150)
    pre_sum = serializers.FloatField(required=False, min_value=-1e150, max_value=1e150)
    pre_sum_squares = serializers.FloatField(required=False, min_value=0, max_value=1e150)
    sum_product = serializers.FloatField(required=False, min_value=-1e150, max_value=1e150)
    denominator_sum = serializers.FloatField(required=False, min_value=-1e150, max_value=1e150)
    denominator_sum_squares = serializers.FloatField(required=False, min_value=0, max_value=1e150)
    cross_sum = serializers.FloatField(required=False, min_value=-1e150, max_value=1e150)


class PushInputSerializer(serializers.Serializer):
    rows = serializers.ListField(child=StatRowSerializer(), max_length=MAX_ROWS, allow_empty=False)


class UploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV: per-variant aggregates (metric, variant, n, "
                                 "sum, sum_squares, …) or per-unit rows (metric, variant, "
                                 "unit_id, value).")  # fmt: skip


# --- output ------------------------------------------------------------------------------


class VariantSerializer(serializers.Serializer):
    name = serializers.CharField()
    weight = serializers.FloatField()
    is_control = serializers.BooleanField()
    description = serializers.CharField()


class MetricLinkSerializer(serializers.Serializer):
    metric = serializers.IntegerField(source="metric_id")
    key = serializers.CharField(source="metric.key")
    name = serializers.CharField(source="metric.name")
    kind = serializers.ChoiceField(source="metric.kind", choices=MetricKind.choices)
    role = serializers.ChoiceField(choices=MetricRole.choices)
    harm_threshold = serializers.FloatField(allow_null=True)


class ExperimentSerializer(serializers.ModelSerializer):
    # Declared: a read-only model field loses allow_blank, and an undecided experiment's
    # decision is "".
    decision = serializers.ChoiceField(choices=Decision.choices, allow_blank=True, read_only=True)
    variants = VariantSerializer(many=True, read_only=True)
    metrics = MetricLinkSerializer(source="metric_links", many=True, read_only=True)
    surfaces = serializers.ListField(
        source="surface_ids", child=serializers.IntegerField(), read_only=True
    )
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Experiment
        fields = [
            "id", "working_group", "hypothesis", "milestone", "key", "title", "type", "unit",
            "status", "owner", "data_source", "surfaces", "layer", "layer_share", "audience",
            "allocation", "planned_start", "planned_end", "method", "alpha", "power", "mde",
            "correction", "cuped", "baseline", "baseline_sd", "daily_traffic",
            "rollout_stages", "risks", "rollback_triggers", "description", "approved_by",
            "approved_at", "started_at", "stopped_at", "run", "refresh_minutes", "decision",
            "rationale", "concluded_by", "concluded_at", "version", "created_at",
            "updated_at", "variants", "metrics", "allowed_actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_allowed_actions(self, exp) -> list[str]:
        from apps.experiments.services import allowed_actions

        return allowed_actions(exp, self.context["request"].user)


class MetricInputSerializer(serializers.Serializer):
    working_group = VisibleGroupField()
    data_source = GroupRowField(DataSource)
    key = serializers.SlugField(max_length=60, required=False)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=MetricKind.choices)
    direction = serializers.ChoiceField(choices=Direction.choices, default=Direction.INCREASE)
    sql = serializers.CharField(max_length=20_000)
    covariate_sql = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20,
                                 required=False)  # fmt: skip


class MetricUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    sql = serializers.CharField(max_length=20_000, required=False)
    covariate_sql = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20,
                                 required=False)  # fmt: skip


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = ["id", "working_group", "data_source", "key", "name", "description", "owner",
                  "tags", "kind", "direction", "sql", "covariate_sql", "created_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class DataSourceInputSerializer(serializers.Serializer):
    working_group = VisibleGroupField()
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    config = serializers.DictField(
        help_text="duckdb: path (and files); postgresql: url_env, the NAME of the environment "
        "variable holding the URL; trino: host, port, user, catalog, schema, http_scheme, "
        "password_env. Never a secret."
    )
    assignment_sql = serializers.CharField(max_length=20_000)
    segment_columns = serializers.ListField(child=serializers.CharField(max_length=63),
                                            max_length=10, required=False)  # fmt: skip


class DataSourceUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    config = serializers.DictField(required=False)
    assignment_sql = serializers.CharField(max_length=20_000, required=False)
    segment_columns = serializers.ListField(child=serializers.CharField(max_length=63),
                                            max_length=10, required=False)  # fmt: skip


class DataSourceSerializer(serializers.ModelSerializer):
    """A source as admins see it: the config names environment variables, never secrets."""

    class Meta:
        model = DataSource
        fields = ["id", "working_group", "name", "kind", "config", "assignment_sql",
                  "segment_columns", "daily_traffic", "traffic_measured_at", "created_at"]  # fmt: skip
        read_only_fields = fields


class SnapshotSerializer(serializers.ModelSerializer):
    """A snapshot: its state while pulling, then its statistics and analysis."""

    error = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = ["id", "experiment", "run", "source", "status", "valid", "created_at",
                  "started_at", "taken_at", "attempts", "error", "stats", "multi_exposed",
                  "durations", "analysis"]  # fmt: skip
        read_only_fields = fields

    def get_error(self, snapshot) -> str:
        """Admins read the data source's error; others learn only that the pull failed."""
        from apps.accounts import policy
        from apps.accounts.policy import Action

        if not snapshot.error:
            return ""
        user = self.context["request"].user
        if policy.allows(user, snapshot.experiment.working_group_id, Action.CONFIGURE):
            return snapshot.error
        return "The pull failed; the previous results stay current. An admin sees why."
