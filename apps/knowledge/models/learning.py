"""Learnings: the write-up after an experiment, for wins and failures alike.

A learning says what changed, what happened, why we think so and what we will do next. It
rests on one or more experiments, each linked as supporting or contradicting it. It is
drafted by a member, submitted for review, and published by the program manager or the
statistics lead (see `services/learnings.py`).

Who reads one: the members of its working group; stakeholders read published learnings
only (drafts are work in progress, as research plans' drafts are). A learning resting on
an experiment the reader may not see (one tied to a confidential plan) is hidden like the
experiment: otherwise its text would leak what the plan keeps confidential.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.accounts.models import Membership, Role, WorkingGroup
from apps.experiments.models import Experiment


class LearningStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class LinkRole(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"


class LearningQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LearningQuerySet":
        """Learnings of the person's groups (published only, for a stakeholder), minus any
        resting on an experiment they may not read."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        mine = Membership.objects.filter(user=user, working_group=OuterRef("working_group"))
        insider = Exists(mine.exclude(role=Role.STAKEHOLDER))
        readable = self.filter(Exists(mine)).filter(insider | Q(status=LearningStatus.PUBLISHED))
        hidden = LearningLink.objects.filter(learning=OuterRef("pk")).exclude(
            experiment__in=Experiment.objects.visible_to(user)
        )
        return readable.filter(~Exists(hidden))

    def published(self) -> "LearningQuerySet":
        return self.filter(status=LearningStatus.PUBLISHED)


class Learning(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="learnings"
    )
    title = models.CharField(max_length=200)
    changed = models.TextField(help_text="What we changed.")
    happened = models.TextField(help_text="What happened: the results, in words and figures.")
    why = models.TextField(blank=True, help_text="Why we think it happened.")
    next_steps = models.TextField(blank=True, help_text="What we will do next.")
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=LearningStatus.choices, default=LearningStatus.DRAFT
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    experiments = models.ManyToManyField(
        Experiment, through="LearningLink", related_name="learnings", blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="The reviewer's last request.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LearningQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["working_group", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        """Published learnings are frozen: a reviewer reopens one to change it."""
        return self.status != LearningStatus.PUBLISHED


class LearningLink(models.Model):
    """One experiment a learning rests on, and whether it supports or contradicts it."""

    learning = models.ForeignKey(Learning, on_delete=models.CASCADE, related_name="links")
    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="learning_links"
    )
    role = models.CharField(max_length=12, choices=LinkRole.choices, default=LinkRole.SUPPORTS)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["learning", "experiment"], name="one_link_each")
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id} {self.role} {self.learning_id}"
