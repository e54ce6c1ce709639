"""Experiments: the design, the decision and its rationale, the primary lift and guardrails.

The outcome is read from the primary metric of the current snapshot: a significant move the
right way won, the wrong way lost, no significant move is flat; an experiment concluded as
"inconclusive" (or one with no analysis) is inconclusive.
"""

from django.db.models import Prefetch
from django.urls import reverse

from apps.backlog.models import Hypothesis
from apps.experiments.models import (
    Experiment,
    ExperimentMetric,
    MetricRole,
    Snapshot,
    Status,
    Variant,
)
from apps.knowledge.indexing import Document, register, watch
from apps.knowledge.models.search import Kind, Outcome

from .access import of_experiment
from .text import join


def primary_result(analysis: dict | None) -> dict | None:
    """The primary metric's first treatment: lift, interval, significance, direction."""
    for metric in (analysis or {}).get("metrics") or ():
        if metric.get("role") == MetricRole.PRIMARY and metric.get("arms"):
            arm = metric["arms"][0]
            if arm.get("relative_lift") is None:
                return None
            return {
                "metric": metric.get("name", ""),
                "lift": arm["relative_lift"],
                "ci_low": arm.get("ci_low"),
                "ci_high": arm.get("ci_high"),
                "significant": bool(arm.get("significant")),
                "higher_is_better": metric.get("higher_is_better", True),
            }
    return None


def outcome_of(decision: str, result: dict | None) -> str:
    if decision == "inconclusive" or (result is None and decision in ("", "iterate")):
        return Outcome.INCONCLUSIVE
    if result is None:
        return Outcome.WON if decision == "ship" else Outcome.LOST
    if not result["significant"]:
        return Outcome.FLAT
    better = (result["lift"] > 0) == bool(result["higher_is_better"])
    return Outcome.WON if better else Outcome.LOST


def _current_analysis(experiment: Experiment) -> dict | None:
    snapshots = getattr(experiment, "current_snapshots", None)
    if snapshots is None:
        snapshot = Snapshot.objects.current().filter(experiment=experiment).first()
        return snapshot.analysis if snapshot else None
    return snapshots[0].analysis if snapshots else None


def outcome_of_hypothesis(hypothesis) -> tuple[str, dict | None]:
    """The outcome of a hypothesis's latest concluded experiment, if it has one."""
    experiments = getattr(hypothesis, "concluded_experiments", None) or []
    if not experiments:
        return "", None
    latest = max(experiments, key=lambda e: (e.concluded_at is not None, e.concluded_at, e.pk))
    result = primary_result(_current_analysis(latest))
    return outcome_of(latest.decision, result), result


def _guardrails(analysis: dict | None) -> list[str]:
    lines = []
    for metric in (analysis or {}).get("metrics") or ():
        if metric.get("role") != MetricRole.GUARDRAIL:
            continue
        for arm in metric.get("arms") or ():
            verdict = arm.get("guardrail") or "inconclusive"
            lines.append(f"Guardrail {metric.get('name', '')}: {verdict}")
    return lines


def build(experiment: Experiment) -> Document:
    analysis = _current_analysis(experiment)
    result = primary_result(analysis)
    concluded = experiment.status == Status.CONCLUDED
    links = list(experiment.metric_links.all())
    primary = [link.metric.name for link in links if link.role == MetricRole.PRIMARY]
    design = join(
        experiment.description,
        "Variants: " + ", ".join(v.name for v in experiment.variants.all()),
        "Metrics: " + ", ".join(f"{link.metric.name} ({link.role})" for link in links),
        experiment.risks,
    )
    hypothesis = experiment.hypothesis
    when = experiment.concluded_at or experiment.started_at or experiment.created_at
    return Document(
        title=experiment.title,
        url=reverse("experiments:detail", args=[experiment.pk]),
        visibility=of_experiment(experiment),
        statement=hypothesis.statement,
        text_c=join(
            experiment.get_decision_display() if experiment.decision else "",
            experiment.rationale,
            *_guardrails(analysis),
        ),
        body=join(hypothesis.title, design),
        business_unit_id=hypothesis.business_unit_id,
        status=experiment.status,
        outcome=outcome_of(experiment.decision, result) if concluded else "",
        surfaces=[surface.name for surface in experiment.surfaces.all()],
        metrics=primary or ([result["metric"]] if result else []),
        tags=[tag.name for tag in hypothesis.tags.all()],
        year=when.year if when else None,
        lift=result["lift"] if result else None,
        lift_low=result["ci_low"] if result else None,
        lift_high=result["ci_high"] if result else None,
        happened_at=when,
    )


def _queryset(queryset):
    snapshots = Snapshot.objects.current().only("experiment_id", "analysis", "taken_at")
    return queryset.select_related("hypothesis", "milestone__plan").prefetch_related(
        "surfaces",
        "hypothesis__tags",
        Prefetch("variants", queryset=Variant.objects.order_by("position", "pk")),
        Prefetch("metric_links", queryset=ExperimentMetric.objects.select_related("metric")),
        Prefetch("snapshots", queryset=snapshots, to_attr="current_snapshots"),
    )


register(Kind.EXPERIMENT, Experiment, build, queryset=_queryset)
watch(Experiment, lambda e: [(Kind.HYPOTHESIS, e.hypothesis_id)])
watch(Snapshot, lambda snapshot: [(Kind.EXPERIMENT, snapshot.experiment_id)])
watch(ExperimentMetric, lambda link: [(Kind.EXPERIMENT, link.experiment_id)])
watch(Variant, lambda variant: [(Kind.EXPERIMENT, variant.experiment_id)])


def _of_hypothesis(hypothesis: Hypothesis):
    # Its title, statement and tags are part of each of its experiments' rows.
    ids = hypothesis.experiments.values_list("pk", flat=True)
    return [(Kind.EXPERIMENT, pk) for pk in ids]


watch(Hypothesis, _of_hypothesis)
