"""Hypotheses, the scoring frameworks a working group scores them with, and member scores.

A framework is data: criteria with a scale and a weight, and a rule that combines them
(`scoring.py` holds the formulas). Scores belong to the framework they were given in, so a
group that changes framework keeps its old scores. `ScoreSummary` is the per-hypothesis,
per-framework aggregate the score service keeps current, so ranking is an indexed join.
"""

import math

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q

from apps.accounts.models import BusinessUnit, WorkingGroup

from . import scoring


class Category(models.TextChoices):
    PRODUCT = "product", "Product-focused"
    FOUNDATIONAL = "foundational", "Foundational"


class Direction(models.TextChoices):
    INCREASE = "increase", "rises"
    DECREASE = "decrease", "falls"


# The expected effect is the size of the change in the stated direction, in percent: more
# than 0 (the direction says which way), at most +1000 % for a metric that rises, and at
# most 100 % for one that falls (it cannot fall by more than all of it). The form, the
# serializer and the services all check it with `expected_effect_problem`.
EXPECTED_EFFECT_MAX = {"increase": 1000.0, "decrease": 100.0}


def expected_effect_problem(effect: float | None, direction: str | None) -> str | None:
    """What is wrong with an expected effect for its direction, or None when it is fine.

    `direction` None (a partial update that leaves it) checks against the wider bound.
    """
    if effect is None:
        return None
    if not math.isfinite(effect) or effect <= 0:
        return (
            "The expected effect is a size above 0 %: choose whether the metric rises or "
            "falls, then say by how much."
        )
    limit = EXPECTED_EFFECT_MAX.get(direction or "increase", EXPECTED_EFFECT_MAX["increase"])
    if effect > limit:
        verb = dict(Direction.choices).get(direction or "increase", "rises")
        return (
            f"A metric that {verb} is expected to move by at most {limit:,.0f} %; got {effect:g} %."
        )
    return None


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    DESIGNING = "designing", "Designing"
    RUNNING = "running", "Running"
    ANALYZING = "analyzing", "Analyzing"
    CONCLUDED = "concluded", "Concluded"
    PARKED = "parked", "Parked"
    REJECTED = "rejected", "Rejected"


# The backlog's default view: hypotheses still alive, whether waiting or in delivery.
OPEN_STATUSES = (
    Status.PROPOSED,
    Status.ACCEPTED,
    Status.DESIGNING,
    Status.RUNNING,
    Status.ANALYZING,
)
# Work the group has committed to: what the portfolio balance is measured on.
COMMITTED_STATUSES = (Status.ACCEPTED, Status.DESIGNING, Status.RUNNING)
# Members still score these; a rejected or concluded hypothesis no longer competes.
SCOREABLE_STATUSES = (Status.PROPOSED, Status.ACCEPTED, Status.PARKED, Status.DESIGNING)


class ScoringFramework(models.Model):
    """A way to score hypotheses in one working group: ICE, RICE, PIE or a custom one."""

    class Rule(models.TextChoices):
        MEAN = "mean", "Weighted mean: Σ w·v / Σ|w|"
        SUM = "sum", "Weighted sum: Σ w·v"
        PRODUCT = "product", "Product: Π v^w (a negative weight divides)"

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="scoring_frameworks"
    )
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    rule = models.CharField(max_length=10, choices=Rule.choices, default=Rule.SUM)
    # ICE, RICE and PIE as every group gets them; only an admin changes their definition.
    is_standard = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["working_group", "-is_standard", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "name"], name="one_framework_name_per_group"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One thing members score, on a scale; a negative weight marks a cost."""

    class Axis(models.TextChoices):
        NONE = "", "—"
        IMPACT = "impact", "Impact"
        EFFORT = "effort", "Effort"
        EASE = "ease", "Ease (the inverse of effort)"

    framework = models.ForeignKey(
        ScoringFramework, on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=240, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    scale_min = models.FloatField()
    scale_max = models.FloatField()
    weight = models.FloatField(default=1)
    # Which axis of the impact-vs-effort scatter this criterion feeds, if any.
    axis = models.CharField(max_length=10, choices=Axis.choices, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="one_criterion_key_each"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.scale_label})"

    @property
    def scale_label(self) -> str:
        return scoring.scale_label(self)


class BacklogSettings(models.Model):
    """A working group's current scoring framework (the group row belongs to accounts)."""

    working_group = models.OneToOneField(
        WorkingGroup, on_delete=models.CASCADE, related_name="backlog_settings"
    )
    framework = models.ForeignKey(ScoringFramework, on_delete=models.PROTECT, related_name="+")
    framework_changed_at = models.DateTimeField(null=True, blank=True)
    framework_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Whether a proposer's score of their own hypothesis counts in the ranking; the
    # program manager decides per group (the score itself is always kept).
    proposer_scores_count = models.BooleanField(db_default=True)

    class Meta:
        verbose_name_plural = "backlog settings"

    def __str__(self) -> str:
        return f"{self.working_group}: {self.framework}"


class Tag(models.Model):
    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["working_group", "slug"], name="one_tag_slug_per_group")
        ]

    def __str__(self) -> str:
        return self.name


class HypothesisQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HypothesisQuerySet":
        return self.filter(working_group__in=WorkingGroup.objects.visible_to(user))

    def open(self) -> "HypothesisQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


def search_document() -> SearchVector:
    """What full-text search reads on PostgreSQL: the title first, then the statement."""
    return SearchVector("title", weight="A", config="english") + SearchVector(
        "change", "metric", "rationale", "evidence", weight="B", config="english"
    )


# What the people who may edit a hypothesis change, in the order its form asks for it: the
# edit form and the update service take exactly these, and its tags.
EDITABLE_FIELDS = (
    "title",
    "change",
    "metric",
    "direction",
    "expected_effect",
    "rationale",
    "evidence",
    "category",
    "business_unit",
    "owner",
    "effort_weeks",
)


class Hypothesis(models.Model):
    """If we <change>, then <metric> <direction> by ~<expected effect> %, because <rationale>."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="hypotheses"
    )
    title = models.CharField(max_length=160)
    change = models.TextField(help_text="If we… (the change we would make)")
    metric = models.CharField(max_length=120, help_text="The metric we expect to move.")
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    expected_effect = models.FloatField(
        null=True, blank=True, help_text="Expected relative change, in percent."
    )
    rationale = models.TextField(help_text="…because (the reason we believe it)")
    evidence = models.TextField(blank=True, help_text="Evidence and links.")
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.PRODUCT)
    business_unit = models.ForeignKey(
        BusinessUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="hypotheses"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_hypotheses"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_hypotheses"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="hypotheses")
    effort_weeks = models.FloatField(
        null=True, blank=True, help_text="Estimated effort in person-weeks, when known."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    status_changed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL's full-text document of the statement (`search_document()` above), kept by
    # the services and GIN-indexed (migration 0001), so search does not re-parse every
    # hypothesis. Unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)

    objects = HypothesisQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "hypotheses"
        indexes = [
            models.Index(fields=["working_group", "status"], name="hypothesis_group_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def statement(self) -> str:
        size = f" by ~{self.expected_effect:g} %" if self.expected_effect is not None else ""
        return (
            f"If we {self.change.rstrip('.')}, then {self.metric} "
            f"{self.get_direction_display()}{size}, because {self.rationale.rstrip('.')}."
        )


class StatusChange(models.Model):
    """One step of a hypothesis through the workflow: who moved it, when, from, to, why."""

    hypothesis = models.ForeignKey(
        Hypothesis, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["hypothesis", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.hypothesis_id}: {self.from_status or '—'} → {self.to_status}"


class Score(models.Model):
    """A member's current score of a hypothesis in one framework; earlier versions in revisions."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="scores")
    framework = models.ForeignKey(ScoringFramework, on_delete=models.PROTECT, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    values = models.JSONField(help_text="Criterion key → value on the criterion's scale.")
    total = models.FloatField()
    # The score's position in [0, 1] across its criteria's scales: what the spread compares.
    normalised = models.FloatField()
    impact = models.FloatField(null=True, blank=True)
    effort = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hypothesis", "framework", "scorer"]
        constraints = [
            models.UniqueConstraint(
                fields=["hypothesis", "framework", "scorer"], name="one_score_per_member"
            ),
        ]
        indexes = [models.Index(fields=["scorer", "framework"], name="score_scorer_framework")]

    def __str__(self) -> str:
        return f"{self.scorer} → {self.hypothesis_id}: {self.total:g}"


class ScoreRevision(models.Model):
    """A version of a score as it was saved; the newest equals the score itself."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="revisions")
    values = models.JSONField()
    total = models.FloatField()
    comment = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["score", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"score {self.score_id} at {self.recorded_at:%Y-%m-%d %H:%M}: {self.total:g}"


class ScoreSummary(models.Model):
    """Aggregate of the members' scores of a hypothesis in one framework, kept by the service.

    Ranking joins this row instead of aggregating every member's score on each request.
    """

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="summaries")
    framework = models.ForeignKey(
        ScoringFramework, on_delete=models.CASCADE, related_name="summaries"
    )
    scorer_count = models.PositiveIntegerField(default=0)
    mean = models.FloatField()
    # The same without the proposer's own score, for groups where self-scores do not count.
    peer_count = models.PositiveIntegerField(db_default=0)
    peer_mean = models.FloatField(null=True, blank=True)
    median = models.FloatField()
    spread = models.FloatField(help_text="Range of the members' normalised scores, 0–1.")
    discuss = models.BooleanField(default=False)
    impact = models.FloatField(null=True, blank=True)
    effort = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hypothesis", "framework"], name="one_summary_per_framework"
            ),
        ]
        indexes = [models.Index(fields=["framework", "mean"], name="summary_framework_mean")]

    def __str__(self) -> str:
        return f"{self.hypothesis_id} in {self.framework_id}: {self.mean:g} ({self.scorer_count})"


class Pin(models.Model):
    """The program manager's pin: the hypothesis heads the ranking, for a recorded reason."""

    hypothesis = models.OneToOneField(Hypothesis, on_delete=models.CASCADE, related_name="pin")
    reason = models.CharField(max_length=300)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    pinned_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hypothesis_id} pinned: {self.reason}"
