"""The conflicts API's shapes."""

from rest_framework import serializers

from apps.conflicts.detection import Finding
from apps.conflicts.models import Conflict, ConflictStatus, Kind, Severity, Verdict
from apps.experiments.models import Experiment


class ConflictExperimentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Experiment
        fields = ["id", "key", "title", "status", "owner"]
        read_only_fields = fields


class InteractionSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    summary = serializers.CharField()
    figures = serializers.DictField()
    computed_at = serializers.DateTimeField()


class ConflictSerializer(serializers.ModelSerializer):
    experiment_a = ConflictExperimentSerializer(read_only=True)
    experiment_b = ConflictExperimentSerializer(read_only=True, allow_null=True)
    layer_name = serializers.CharField(source="layer.name", read_only=True, allow_null=True,
                                       default=None)  # fmt: skip
    figures = serializers.DictField(read_only=True)
    interaction = serializers.SerializerMethodField()

    class Meta:
        model = Conflict
        fields = [
            "id", "working_group", "kind", "severity", "rule", "experiment_a", "experiment_b",
            "layer", "layer_name", "window_start", "window_end", "overlap_share",
            "explanation", "remedy", "figures", "status", "opened_at", "updated_at",
            "acknowledged_by", "acknowledged_at", "acknowledgement", "resolved_at",
            "resolved_reason", "interaction",
        ]  # fmt: skip
        read_only_fields = fields

    def get_interaction(self, obj: Conflict) -> InteractionSerializer(allow_null=True):  # type: ignore[valid-type]
        if not obj.interaction or obj.interaction_at is None:
            return None
        return {
            "verdict": obj.interaction.get("verdict", "yellow"),
            "summary": obj.interaction.get("summary", ""),
            "figures": {k: v for k, v in obj.interaction.items()
                        if k not in ("verdict", "summary")},
            "computed_at": obj.interaction_at,
        }  # fmt: skip


class AcknowledgeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, max_length=4000, help_text="Why the launch may go ahead."
    )


class FindingSerializer(serializers.Serializer):
    """What a launch would face: the engine's finding, not saved."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    rule = serializers.CharField()
    experiment_a = serializers.IntegerField()
    experiment_b = serializers.IntegerField(allow_null=True)
    layer = serializers.IntegerField(allow_null=True)
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    overlap_share = serializers.FloatField()
    explanation = serializers.CharField()
    remedy = serializers.CharField(allow_blank=True)
    figures = serializers.DictField()
    acknowledged = serializers.BooleanField(
        help_text="A stored conflict with this identity was acknowledged by the statistics lead."
    )


class CheckConflictsSerializer(serializers.Serializer):
    experiment = serializers.IntegerField()
    blocking = serializers.IntegerField(help_text="Blocking conflicts not yet acknowledged.")
    conflicts = FindingSerializer(many=True)


def finding_data(finding: Finding, acknowledged: bool) -> dict:
    return {
        "kind": str(finding.kind), "severity": str(finding.severity), "rule": finding.rule,
        "experiment_a": finding.a, "experiment_b": finding.b, "layer": finding.layer_id,
        "window_start": finding.window_start, "window_end": finding.window_end,
        "overlap_share": finding.overlap_share, "explanation": finding.explanation,
        "remedy": finding.remedy, "figures": finding.figures, "acknowledged": acknowledged,
    }  # fmt: skip


STATUS_CHOICES = ConflictStatus.choices
