"""Learnings: the lesson's title, what happened, why and what next (the C weight).

Draft and in-review learnings are found by the group's members only (stakeholders read
published ones, as `LearningQuerySet.visible_to` says); a learning resting on an experiment
tied to a confidential plan carries that plan's rule, like the experiment itself.
"""

from django.db.models import Prefetch
from django.urls import reverse

from apps.experiments.models import Experiment, Snapshot
from apps.knowledge.indexing import Document, Visibility, register, watch
from apps.knowledge.models.learning import Learning, LearningLink, LearningStatus
from apps.knowledge.models.search import Kind, StakeholderAccess

from .access import of_experiment
from .experiments import outcome_of, primary_result
from .text import join


def _analysis(experiment: Experiment) -> dict | None:
    snapshots = getattr(experiment, "current_snapshots", None) or []
    return snapshots[0].analysis if snapshots else None


def build(learning: Learning) -> Document:
    links = list(learning.links.all())
    visibility = Visibility(learning.working_group_id)
    if learning.status != LearningStatus.PUBLISHED:
        visibility = visibility.narrowed(
            Visibility(learning.working_group_id, StakeholderAccess.NONE)
        )
    for link in links:
        visibility = visibility.narrowed(of_experiment(link.experiment))
    # The outcome and lift of the first supporting experiment: what the result row shows.
    first = next((link.experiment for link in links if link.role == "supports"), None)
    result = primary_result(_analysis(first)) if first is not None else None
    surfaces = [s.name for link in links for s in link.experiment.surfaces.all()]
    hypothesis = first.hypothesis if first is not None else None
    when = learning.published_at or learning.updated_at
    return Document(
        title=learning.title,
        url=reverse("knowledge:learning", args=[learning.pk]),
        visibility=visibility,
        statement=learning.happened,
        text_c=join(learning.why, learning.next_steps),
        body=join(
            learning.changed,
            *(f"{link.get_role_display()}: {link.experiment.title}" for link in links),
        ),
        business_unit_id=hypothesis.business_unit_id if hypothesis else None,
        status=learning.status,
        outcome=outcome_of(first.decision, result) if first is not None else "",
        surfaces=surfaces,
        metrics=[result["metric"]] if result else [],
        tags=list(learning.tags or []),
        year=when.year if when else None,
        lift=result["lift"] if result else None,
        lift_low=result["ci_low"] if result else None,
        lift_high=result["ci_high"] if result else None,
        happened_at=when,
    )


def _queryset(queryset):
    snapshots = Snapshot.objects.current().only("experiment_id", "analysis", "taken_at")
    experiments = Experiment.objects.select_related(
        "hypothesis", "milestone__plan"
    ).prefetch_related(
        "surfaces", Prefetch("snapshots", queryset=snapshots, to_attr="current_snapshots")
    )
    links = LearningLink.objects.select_related(None).prefetch_related(
        Prefetch("experiment", queryset=experiments)
    )
    return queryset.prefetch_related(Prefetch("links", queryset=links))


register(Kind.LEARNING, Learning, build, queryset=_queryset)
watch(LearningLink, lambda link: [(Kind.LEARNING, link.learning_id)])


def _of_experiment(experiment: Experiment):
    # Its title, result and confidentiality are part of each learning resting on it.
    ids = LearningLink.objects.filter(experiment=experiment).values_list("learning_id", flat=True)
    return [(Kind.LEARNING, pk) for pk in ids]


watch(Experiment, _of_experiment)
watch(Snapshot, lambda snapshot: _of_experiment(snapshot.experiment))
