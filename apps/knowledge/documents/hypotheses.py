"""Hypotheses, in every status: parked and rejected ideas are found too, with the reason."""

from django.db.models import Prefetch
from django.urls import reverse

from apps.backlog.models import Hypothesis, StatusChange
from apps.knowledge.indexing import Document, register, watch
from apps.knowledge.models.search import Kind

from .access import of_group
from .experiments import outcome_of_hypothesis
from .text import join


def build(hypothesis: Hypothesis) -> Document:
    changes = list(hypothesis.status_changes.all())
    reasons = [change.reason for change in changes if change.reason]
    outcome, experiment = outcome_of_hypothesis(hypothesis)
    return Document(
        title=hypothesis.title,
        url=reverse("backlog:hypothesis", args=[hypothesis.pk]),
        visibility=of_group(hypothesis.working_group_id),
        statement=hypothesis.statement,
        # Why it was rejected, parked or concluded: what "we tried this and…" searches find.
        text_c=join(*reasons),
        body=join(hypothesis.evidence),
        business_unit_id=hypothesis.business_unit_id,
        status=hypothesis.status,
        outcome=outcome,
        metrics=[hypothesis.metric] if hypothesis.metric else [],
        tags=[tag.name for tag in hypothesis.tags.all()],
        year=hypothesis.created_at.year if hypothesis.created_at else None,
        lift=experiment.get("lift") if experiment else None,
        lift_low=experiment.get("ci_low") if experiment else None,
        lift_high=experiment.get("ci_high") if experiment else None,
        happened_at=hypothesis.status_changed_at,
    )


def _queryset(queryset):
    from apps.experiments.models import Experiment, Snapshot

    snapshots = Snapshot.objects.current().only("experiment_id", "analysis", "taken_at")
    experiments = Experiment.objects.filter(status="concluded").prefetch_related(
        Prefetch("snapshots", queryset=snapshots, to_attr="current_snapshots")
    )
    return queryset.prefetch_related(
        "tags",
        Prefetch("status_changes", queryset=StatusChange.objects.order_by("at", "pk")),
        Prefetch("experiments", queryset=experiments, to_attr="concluded_experiments"),
    )


register(Kind.HYPOTHESIS, Hypothesis, build, queryset=_queryset)
watch(StatusChange, lambda change: [(Kind.HYPOTHESIS, change.hypothesis_id)])
