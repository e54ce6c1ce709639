"""Experiments: design documents, the metric library, data sources and result snapshots.

An experiment tests one hypothesis of the backlog. Its design names the variants, the unit
randomised, where it shows (surfaces, a layer of mutually exclusive traffic, an audience),
its metrics by role and how it is analysed. While it runs, a job pulls per-variant
sufficient statistics from the group's data source into a snapshot; the statistics engine
analyses each snapshot. The rules that move an experiment along live in services/; this
module holds the data and the rules about one row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.accounts.models import WorkingGroup
from apps.backlog.models import Hypothesis
from apps.roadmap.models import Milestone, ResearchPlan


class ExperimentType(models.TextChoices):
    AB = "ab", "A/B/n"
    AA = "aa", "A/A (system check)"
    HOLDOUT = "holdout", "Holdout"
    CANARY = "canary", "Canary"
    SHADOW = "shadow", "Shadow"


class Unit(models.TextChoices):
    USER = "user", "User"
    SESSION = "session", "Session"
    DEVICE = "device", "Device"
    ACCOUNT = "account", "Account"
    CLUSTER = "cluster", "Cluster"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    RUNNING = "running", "Running"
    STOPPED = "stopped", "Stopped"
    CONCLUDED = "concluded", "Concluded"


class Decision(models.TextChoices):
    SHIP = "ship", "Ship"
    DONT_SHIP = "dont_ship", "Don't ship"
    ITERATE = "iterate", "Iterate"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


class AnalysisMethod(models.TextChoices):
    FREQUENTIST = "frequentist", "Frequentist (fixed horizon)"
    SEQUENTIAL = "sequential", "Sequential (always valid)"
    BAYESIAN = "bayesian", "Bayesian"


class Correction(models.TextChoices):
    NONE = "none", "None"
    BONFERRONI = "bonferroni", "Bonferroni"
    HOLM = "holm", "Holm"
    BH = "bh", "Benjamini–Hochberg"


class MetricKind(models.TextChoices):
    BINOMIAL = "binomial", "Binomial (converted or not)"
    CONTINUOUS = "continuous", "Continuous (a value per unit)"
    RATIO = "ratio", "Ratio (numerator over denominator, delta method)"


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"


class MetricRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    GUARDRAIL = "guardrail", "Guardrail"


class SourceKind(models.TextChoices):
    DUCKDB = "duckdb", "DuckDB (file, Parquet or CSV)"
    POSTGRESQL = "postgresql", "PostgreSQL"
    TRINO = "trino", "Trino"


class DataSource(models.Model):
    """Where a group's experiment data lives, and how to read who saw which variant.

    `config` holds the adapter's settings (a DuckDB path, a Trino host); never a secret. A
    PostgreSQL URL or a Trino password is read at connect time from the environment variable
    the config names, so no page, API response or backup holds it.
    """

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="data_sources"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    config = models.JSONField(default=dict, blank=True)
    assignment_sql = models.TextField(
        help_text="One row per exposure: experiment_key, unit_id, variant, first_exposure_at, "
        "then any segment attributes (country, platform…)."
    )
    segment_columns = models.JSONField(default=list, blank=True)
    daily_traffic = models.FloatField(null=True, blank=True)
    traffic_measured_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "name"], name="unique_source_name")
        ]

    def __str__(self) -> str:
        return self.name


class Metric(models.Model):
    """A reusable metric definition: one value per unit and time, computed in the source."""

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")
    data_source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="metrics")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    tags = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=12, choices=MetricKind.choices)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    sql = models.TextField(
        help_text="unit_id, ts, value — or for a ratio unit_id, ts, numerator, denominator."
    )
    covariate_sql = models.TextField(
        blank=True, help_text="Optional pre-period value per unit for CUPED: unit_id, value."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "key"], name="unique_metric_key")
        ]

    def __str__(self) -> str:
        return self.name


class Layer(models.Model):
    """Mutually exclusive traffic: the experiments in one layer share it out, never overlap."""

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=240, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "name"], name="unique_layer_name")
        ]

    def __str__(self) -> str:
        return self.name


class Surface(models.Model):
    """A named place an experiment changes: "checkout page", "search ranking"."""

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "name"], name="unique_surface_name")
        ]

    def __str__(self) -> str:
        return self.name


class ExperimentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExperimentQuerySet":
        """Experiments whose hypothesis's group the person reads, minus those tied to a
        research plan they may not read (a confidential plan's milestone)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(working_group__memberships__user=user).filter(
            Q(milestone__isnull=True) | Q(milestone__plan__in=ResearchPlan.objects.visible_to(user))
        )

    def running(self) -> "ExperimentQuerySet":
        return self.filter(status=Status.RUNNING)


class Experiment(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="experiments"
    )
    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.PROTECT, related_name="experiments")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="experiments"
    )
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    type = models.CharField(
        max_length=10, choices=ExperimentType.choices, default=ExperimentType.AB
    )
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.USER)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data_source = models.ForeignKey(
        DataSource, on_delete=models.PROTECT, null=True, blank=True, related_name="experiments"
    )
    surfaces = models.ManyToManyField(Surface, blank=True, related_name="experiments")
    layer = models.ForeignKey(
        Layer, on_delete=models.PROTECT, null=True, blank=True, related_name="experiments"
    )
    layer_share = models.FloatField(default=100, help_text="Percent of the layer's traffic.")
    audience = models.JSONField(
        default=list,
        blank=True,
        help_text='Conditions: [{"attribute": "country", "operator": "in", "values": ["DE"]}].',
    )
    allocation = models.FloatField(default=100, help_text="Percent of the audience enrolled.")
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    # Analysis settings
    method = models.CharField(
        max_length=12, choices=AnalysisMethod.choices, default=AnalysisMethod.FREQUENTIST
    )
    alpha = models.FloatField(default=0.05)
    power = models.FloatField(default=0.8)
    mde = models.FloatField(default=0.02, help_text="Relative minimum detectable effect.")
    correction = models.CharField(
        max_length=12, choices=Correction.choices, default=Correction.HOLM
    )
    cuped = models.BooleanField(default=False)
    baseline = models.FloatField(
        null=True, blank=True, help_text="The primary metric today: a rate, or a mean."
    )
    baseline_sd = models.FloatField(
        null=True, blank=True, help_text="Its standard deviation per unit (not for rates)."
    )
    daily_traffic = models.FloatField(
        null=True, blank=True, help_text="Units per day entering; blank: measured on the source."
    )
    # Rollout and rollback
    rollout_stages = models.JSONField(default=list, blank=True)
    risks = models.TextField(blank=True)
    rollback_triggers = models.TextField(blank=True)
    description = models.TextField(blank=True)
    # Review and launch
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    run = models.PositiveIntegerField(default=1, help_text="Raised by a reset: clean data.")
    refresh_minutes = models.PositiveIntegerField(default=60)
    # Conclusion
    decision = models.CharField(max_length=14, choices=Decision.choices, blank=True)
    rationale = models.TextField(blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ExperimentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "key"], name="unique_experiment_key"),
            models.CheckConstraint(
                condition=Q(layer_share__gt=0) & Q(layer_share__lte=100), name="layer_share_range"
            ),
            models.CheckConstraint(
                condition=Q(allocation__gt=0) & Q(allocation__lte=100), name="allocation_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "working_group"])]

    def __str__(self) -> str:
        return self.title

    @property
    def surface_ids(self) -> list[int]:
        """The surfaces' ids, from a prefetch when there is one."""
        return [surface.pk for surface in self.surfaces.all()]

    @property
    def is_editable(self) -> bool:
        """The design is frozen once approved: a change after review needs a new review."""
        return self.status in (Status.DRAFT, Status.IN_REVIEW)


class Variant(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=60)
    weight = models.FloatField()
    is_control = models.BooleanField(default=False)
    description = models.CharField(max_length=240, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "name"], name="unique_variant_name"),
            models.UniqueConstraint(
                fields=["experiment"], condition=Q(is_control=True), name="one_control"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="positive_weight"),
        ]

    def __str__(self) -> str:
        return self.name


class ExperimentMetric(models.Model):
    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="metric_links"
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=MetricRole.choices)
    harm_threshold = models.FloatField(
        null=True, blank=True, help_text="Guardrails: the relative change that counts as harm."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "metric"], name="unique_metric_link"),
            models.UniqueConstraint(
                fields=["experiment"], condition=Q(role="primary"), name="one_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} ({self.role})"


class Transition(models.Model):
    """Who moved an experiment, when, from where to where, and why."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class SnapshotStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class SnapshotSource(models.TextChoices):
    PULL = "pull", "Pulled from the data source"
    PUSH = "push", "Pushed through the API"
    UPLOAD = "upload", "Uploaded as CSV"


class SnapshotQuerySet(models.QuerySet):
    def current(self) -> "SnapshotQuerySet":
        """Valid, complete snapshots, newest first: the first is what the results show."""
        return self.filter(status=SnapshotStatus.DONE, valid=True).order_by("-taken_at", "-pk")


class Snapshot(models.Model):
    """One look at an experiment's data: sufficient statistics and their analysis.

    `slot` names the schedule slot a pull belongs to (the hour for the scheduled pull, the
    request for "Refresh now"); the unique constraint on (experiment, run, slot) makes a
    redelivered or duplicated task store one snapshot. The statistics are written with the
    final status in one UPDATE, so a pull killed halfway leaves no partial snapshot.
    """

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="snapshots")
    run = models.PositiveIntegerField()
    slot = models.CharField(max_length=40)
    source = models.CharField(
        max_length=10, choices=SnapshotSource.choices, default=SnapshotSource.PULL
    )
    status = models.CharField(
        max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.QUEUED
    )
    valid = models.BooleanField(default=True, help_text="False once a reset discards the run.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # [{metric, variant, segment, segment_value, n, sum, sum_squares, ...}]
    stats = models.JSONField(default=list, blank=True)
    multi_exposed = models.JSONField(default=dict, blank=True)  # metric key -> units excluded
    durations = models.JSONField(default=dict, blank=True)  # metric key -> seconds
    analysis = models.JSONField(default=dict, blank=True)
    # Problems this snapshot raised that no earlier snapshot of the run had: each is emailed
    # once ("guardrail:<metric>:<arm>", "srm", "aa").
    alert_keys = models.JSONField(default=list, blank=True)
    alerts_sent = models.BooleanField(default=False)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "run", "slot"], name="one_snapshot_per_slot"
            )
        ]
        indexes = [models.Index(fields=["experiment", "status", "-taken_at"])]

    def __str__(self) -> str:
        return f"Snapshot {self.pk} of experiment {self.experiment_id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (SnapshotStatus.DONE, SnapshotStatus.FAILED)
