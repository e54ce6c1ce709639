"""Conflicts between concurrent experiments.

A conflict is one finding of the detector (apps/conflicts/detection) kept as a row: what
collides (two experiments, or one experiment and the layer it over-allocates), how badly
and why, in words a product manager reads, with a remedy. The scan opens, updates and
resolves rows; the statistics lead acknowledges a blocking one with a reason, which lets
the launch go ahead. The database refuses a second unresolved conflict of one kind about
the same pair (`one_unresolved_conflict`), so two scans racing cannot duplicate one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.accounts.models import WorkingGroup
from apps.experiments.models import Experiment, Layer


class Kind(models.TextChoices):
    """The engine's kinds (detection.model.Kind), with the words the pages show."""

    SURFACE_COLLISION = "surface_collision", "Surface collision"
    LAYER_OVERALLOCATION = "layer_overallocation", "Layer over-allocation"
    SHARED_PRIMARY_METRIC = "shared_primary_metric", "Shared primary metric"
    UNIT_MISMATCH = "unit_mismatch", "Unit mismatch"
    HOLDOUT_BREACH = "holdout_breach", "Holdout breach"
    CLUSTER_CONTAMINATION = "cluster_contamination", "Cluster contamination"


class Severity(models.TextChoices):
    BLOCKING = "blocking", "Blocking"
    WARNING = "warning", "Warning"
    INFO = "info", "Info"


class ConflictStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class Verdict(models.TextChoices):
    GREEN = "green", "No sign of interaction"
    YELLOW = "yellow", "Worth a look"
    RED = "red", "Interaction"


UNRESOLVED = (ConflictStatus.OPEN, ConflictStatus.ACKNOWLEDGED)
SEVERITY_RANK: dict[str, int] = {Severity.BLOCKING: 0, Severity.WARNING: 1, Severity.INFO: 2}


class ConflictQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConflictQuerySet":
        """Conflicts whose experiments the person may both read: one tied to a confidential
        plan they may not read hides the whole conflict, not just its name."""
        readable = Experiment.objects.visible_to(user).values("pk")
        return self.filter(experiment_a__in=readable).filter(
            Q(experiment_b__isnull=True) | Q(experiment_b__in=readable)
        )

    def unresolved(self) -> "ConflictQuerySet":
        return self.filter(status__in=UNRESOLVED)

    def blocking(self) -> "ConflictQuerySet":
        return self.filter(severity=Severity.BLOCKING)

    def involving(self, experiment_id: int) -> "ConflictQuerySet":
        return self.filter(Q(experiment_a_id=experiment_id) | Q(experiment_b_id=experiment_id))


class Conflict(models.Model):
    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")
    # What the unique constraint compares: the kind and the pair (or the experiment and its
    # layer), as the detector names them, so a pair seen the other way round is the same.
    identity = models.CharField(max_length=120)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    rule = models.CharField(max_length=240, help_text="The rule that set the severity.")
    experiment_a = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="+")
    experiment_b = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    layer = models.ForeignKey(
        Layer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    overlap_share = models.FloatField(
        default=0, help_text="Estimated share of traffic in both, 0 to 1."
    )
    explanation = models.TextField()
    remedy = models.TextField(blank=True)
    figures = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=12, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement = models.TextField(blank=True, help_text="Why the launch may go ahead.")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_reason = models.TextField(blank=True)
    # User ids already emailed about this conflict: a redelivered job skips them.
    notified_to = models.JSONField(default=list, blank=True)
    notified = models.BooleanField(default=False, help_text="Every owner has been emailed.")
    # {"verdict": "green"|"yellow"|"red", "dependence": {...}, "interaction": {...}, ...}
    interaction = models.JSONField(default=dict, blank=True)
    interaction_at = models.DateTimeField(null=True, blank=True)

    objects = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["identity"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="one_unresolved_conflict",
            ),
            models.CheckConstraint(
                condition=Q(overlap_share__gte=0) & Q(overlap_share__lte=1),
                name="conflict_share_range",
            ),
        ]
        indexes = [
            models.Index(fields=["working_group", "status"]),
            models.Index(fields=["status", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.identity} ({self.status})"

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED

    @property
    def verdict(self) -> str:
        return (self.interaction or {}).get("verdict", "")
