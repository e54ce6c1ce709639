"""Research plans, their milestones (decision points) and the decisions taken at them.

A plan is a path of decisions, not a list of deliverables: each milestone asks a question,
names the criteria that will answer it before any data exists, and ends in a decision —
continue, pivot, abandon or (for product work) ship. The rules that move a plan along live
in services.py; this module holds the data, the read queries and the per-object rules.

When is a milestone "started" (and its criteria therefore pre-registered)? There is no
experiments app yet, so a milestone counts as started once its plan is active and either
one of its linked hypotheses has reached delivery (running, analyzing or concluded in the
backlog), or its window has opened: the previous milestone's target date (the plan's start
date for the first milestone) is today or earlier. From then on every change to the
decision criteria is recorded as changed-after-start and shown beside the milestone.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.accounts.models import BusinessUnit, Membership, Role, WorkingGroup

# Plans use the backlog's categories, so the portfolio balance reads alike everywhere.
from apps.backlog.models import Category
from apps.core.dispatch import DispatchProgress, DispatchStatus


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CONCLUDED = "concluded", "Concluded"
    ABANDONED = "abandoned", "Abandoned"


CLOSED_STATUSES = (PlanStatus.CONCLUDED, PlanStatus.ABANDONED)


class Outcome(models.TextChoices):
    CONTINUE = "continue", "Continue"
    PIVOT = "pivot", "Pivot"
    ABANDON = "abandon", "Abandon"
    SHIP = "ship", "Ship"


# Backlog statuses that mean a linked hypothesis's experiment has started.
STARTED_HYPOTHESIS_STATUSES = ("running", "analyzing", "concluded")


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


class PlanFacts:
    """What a plan's own columns say, for the model and the roadmap's lean rows alike."""

    __slots__ = ()
    end_date: datetime.date
    status: str

    @property
    def target_quarter(self) -> str:
        return quarter_of(self.end_date)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ResearchPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResearchPlanQuerySet":
        """Plans in the person's groups, minus what a stakeholder may not see.

        A stakeholder reads no drafts (internal work in progress) and no confidential plan
        unless they speak for the sponsor's business unit in that group.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        mine = Membership.objects.filter(user=user, working_group=OuterRef("working_group"))
        insider = Exists(mine.exclude(role=Role.STAKEHOLDER))
        same_unit = Exists(mine.filter(business_unit=OuterRef("business_unit")))
        member = Exists(mine)
        return self.filter(member).filter(
            insider | (~Q(status=PlanStatus.DRAFT) & (Q(confidential=False) | same_unit))
        )

    def for_roadmap(self) -> "ResearchPlanQuerySet":
        """Everything a roadmap row shows, with milestones and decisions prefetched."""
        milestones = Milestone.objects.select_related(
            "decision__decided_by", "decision__meeting"
        ).order_by("position", "pk")
        return self.select_related(
            "working_group", "owner", "sponsor", "business_unit"
        ).prefetch_related(models.Prefetch("milestones", queryset=milestones))


class ResearchPlan(PlanFacts, models.Model):
    """A goal, the path by which it creates value, and the decision points along the way."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="research_plans"
    )
    title = models.CharField(max_length=160)
    goal = models.TextField(help_text="What the plan sets out to learn or achieve.")
    value_path = models.TextField(
        blank=True,
        help_text="What has to happen for the result to land in the product or platform.",
    )
    feature_teams = models.JSONField(
        default=list, blank=True, help_text="The feature teams the value path runs through."
    )
    category = models.CharField(max_length=12, choices=Category.choices, default=Category.PRODUCT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_research_plans"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sponsored_research_plans",
        help_text="The stakeholder who sponsors the plan.",
    )
    # The sponsor's business unit in the group when the plan was written: what the
    # business-unit filter and the confidentiality rule compare against, without a join
    # through memberships on every roadmap row.
    business_unit = models.ForeignKey(
        BusinessUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="research_plans",
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    start_date = models.DateField()
    end_date = models.DateField(help_text="No milestone may fall after it.")
    kill_criteria = models.TextField(help_text="Under what circumstances we stop.")
    confidential = models.BooleanField(
        default=False,
        help_text="Hidden from stakeholders outside the sponsor's business unit.",
    )
    # Set by a pivot: the remaining milestones may be replaced or removed until the next
    # decision is recorded.
    revision_open = models.BooleanField(default=False)
    hypotheses = models.ManyToManyField(
        "backlog.Hypothesis", blank=True, related_name="research_plans"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Lost-update protection: an edit form carries the version it was opened at.
    version = models.PositiveIntegerField(default=0)

    objects = ResearchPlanQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "pk"]
        indexes = [
            models.Index(fields=["working_group", "status"], name="plan_group_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="plan_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def path_open(self) -> bool:
        """Whether the decision points still ahead may be inserted, replaced or removed:
        in a draft, and after a pivot until the next decision."""
        return self.status == PlanStatus.DRAFT or self.revision_open

    def ordered_milestones(self) -> list["Milestone"]:
        """The decision points in order; from the prefetch when the plan came with one.

        Only a prefetched list is kept on the plan: a roadmap of 300 plans asks each plan
        several times while rendering, and a list from the database could go stale.
        """
        # A Prefetch with to_attr="milestone_list" (the API's) or a plain prefetch.
        prefetched = self.__dict__.get("milestone_list")
        if prefetched is None:
            prefetched = getattr(self, "_prefetched_objects_cache", {}).get("milestones")
        if prefetched is None:
            return sorted(self.milestones.all(), key=lambda m: (m.position, m.pk))
        cached = self.__dict__.get("_ordered_milestones")
        if cached is None or cached[0] is not prefetched:
            cached = (prefetched, sorted(prefetched, key=lambda m: (m.position, m.pk)))
            self.__dict__["_ordered_milestones"] = cached
        return cached[1]

    @property
    def current_milestone_id(self) -> int | None:
        current = self.current_milestone()
        return current.pk if current else None

    def current_milestone(self) -> "Milestone | None":
        """The first undecided decision point: the only one a decision may be taken on."""
        return next((m for m in self.ordered_milestones() if not m.is_decided), None)

    def latest_decision(self) -> "Decision | None":
        decided = [m.decision for m in self.ordered_milestones() if m.is_decided]
        return decided[-1] if decided else None

    @property
    def shipped(self) -> bool:
        latest = self.latest_decision()
        return latest is not None and latest.outcome == Outcome.SHIP


class Milestone(models.Model):
    """A decision point: a question, the criteria that will answer it, and a target date."""

    plan = models.ForeignKey(ResearchPlan, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=160)
    question = models.TextField(help_text="The question this decision point answers.")
    target_date = models.DateField()
    decision_criteria = models.TextField(
        help_text="What result means continue, pivot or abandon — written before the data."
    )
    hypotheses = models.ManyToManyField("backlog.Hypothesis", blank=True, related_name="milestones")
    registered_at = models.DateTimeField(help_text="When the criteria were first written.")
    # Kept by the criteria service so a roadmap row needs no join to know it.
    criteria_changed_after_start = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="one_milestone_per_position"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def decision_or_none(self) -> "Decision | None":
        return self.decision if self.is_decided else None

    @property
    def is_decided(self) -> bool:
        # hasattr on a reverse one-to-one asks the database unless select_related filled it.
        try:
            return self.decision is not None
        except Decision.DoesNotExist:
            return False

    def window_start(self) -> datetime.date:
        """The previous milestone's target date, or the plan's start for the first one."""
        earlier = [m for m in self.plan.ordered_milestones() if m.position < self.position]
        return earlier[-1].target_date if earlier else self.plan.start_date

    def has_started(self, today: datetime.date) -> bool:
        """Whether data collection has begun; see the module docstring for the rule."""
        if self.plan.status != PlanStatus.ACTIVE:
            return False
        if self.window_start() <= today:
            return True
        if self.pk is None:
            return False
        return self.hypotheses.filter(status__in=STARTED_HYPOTHESIS_STATUSES).exists()


class CriteriaRevision(models.Model):
    """One version of a milestone's decision criteria: the pre-registration record."""

    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="criteria_revisions"
    )
    criteria = models.TextField()
    previous = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    after_start = models.BooleanField(
        default=False, help_text="Written after the milestone's data collection began."
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["milestone", "at", "pk"]

    def __str__(self) -> str:
        return f"criteria of milestone {self.milestone_id} at {self.at:%Y-%m-%d %H:%M}"


class Decision(models.Model):
    """What was decided at a decision point, why, by whom, and in which meeting if any."""

    milestone = models.OneToOneField(Milestone, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    rationale = models.TextField()
    learned = models.TextField(blank=True, help_text="What the milestone taught us.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roadmap_decisions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    # The working-group meeting the decision was taken in, when the meetings hook recorded it.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_decisions",
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.milestone}"


# The stakeholder update's introduction: the model, the form, the API and the service read it.
INTRODUCTION_MAX_CHARS = 4000


class UpdateDispatch(DispatchProgress, models.Model):
    """One emailing of the stakeholder update, done by a background job; its row is the
    progress people watch, and the record of who was sent a copy."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="update_dispatches"
    )
    since = models.DateField()
    until = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=8, choices=DispatchStatus.choices, default=DispatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0, help_text="Stakeholders to send a copy to.")
    # The program manager's own words above the update, as previewed and sent.
    introduction = models.TextField(blank=True, max_length=INTRODUCTION_MAX_CHARS)
    # User ids already sent their copy: a redelivered job skips them, nobody gets two.
    sent_to = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"update of {self.working_group} {self.since}–{self.until}: {self.status}"

    @property
    def sent(self) -> int:
        return len(self.sent_to)
