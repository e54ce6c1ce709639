"""Writing an experiment's design document: drafting it from a hypothesis and editing it.

A design is whole or not saved: variants, metrics and surfaces are replaced together with
the experiment's own fields in one transaction, after every rule has been checked, so a
refused edit leaves the previous design untouched.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.text import slugify

from apps.accounts import policy
from apps.accounts.models import Membership, User, WorkingGroup
from apps.accounts.policy import Action
from apps.backlog.models import Hypothesis
from apps.backlog.models import Status as HypothesisStatus
from apps.backlog.services import hypothesis_follow
from apps.core.dates import check_date
from apps.core.text_rules import check_text
from apps.experiments.audience import AudienceError, conditions_as_json, parse_conditions
from apps.experiments.models import (
    AnalysisMethod,
    Correction,
    DataSource,
    Experiment,
    ExperimentMetric,
    ExperimentType,
    Layer,
    MetricRole,
    Status,
    Surface,
    Unit,
    Variant,
)
from apps.roadmap.models import Milestone

from .specs import MetricSpec, VariantSpec
from .templates import template_for

DESIGN_FIELDS = {
    "title",
    "key",
    "type",
    "unit",
    "description",
    "milestone",
    "data_source",
    "layer",
    "layer_share",
    "audience",
    "allocation",
    "planned_start",
    "planned_end",
    "method",
    "alpha",
    "power",
    "mde",
    "correction",
    "cuped",
    "baseline",
    "baseline_sd",
    "daily_traffic",
    "rollout_stages",
    "risks",
    "rollback_triggers",
    "refresh_minutes",
    "owner",
}
# Statuses whose layer share counts against what the layer has left.
HOLDING_LAYER = (Status.IN_REVIEW, Status.APPROVED, Status.RUNNING)
MAX_VARIANTS = 10
MAX_METRICS = 30
REFRESH_RANGE = (15, 7 * 24 * 60)


def _check_variants(variants: Sequence[VariantSpec]) -> list[VariantSpec]:
    if len(variants) < 2:
        raise ValidationError({"variants": "An experiment needs a control and at least one more."})
    if len(variants) > MAX_VARIANTS:
        raise ValidationError({"variants": f"At most {MAX_VARIANTS} variants."})
    names = [check_text("variants", v.name, max_length=60, required="Name every variant.")
             for v in variants]  # fmt: skip
    if len(set(n.lower() for n in names)) != len(names):
        raise ValidationError({"variants": "Variant names must differ."})
    for v in variants:
        if not isinstance(v.weight, int | float) or isinstance(v.weight, bool) or not v.weight > 0:
            raise ValidationError({"variants": f"{v.name}: a traffic weight must be positive."})
        if v.weight > 1e6:
            raise ValidationError({"variants": f"{v.name}: a traffic weight is at most 1000000."})
    if sum(1 for v in variants if v.is_control) != 1:
        raise ValidationError({"variants": "Exactly one variant is the control."})
    return [
        VariantSpec(name=n, weight=float(v.weight), is_control=v.is_control,
                    description=(v.description or "").strip()[:240])
        for n, v in zip(names, variants, strict=True)
    ]  # fmt: skip


def _check_metrics(group_id: int, metrics: Sequence[MetricSpec]) -> list[MetricSpec]:
    if len(metrics) > MAX_METRICS:
        raise ValidationError({"metrics": f"At most {MAX_METRICS} metrics."})
    if sum(1 for m in metrics if m.role == MetricRole.PRIMARY) != 1:
        raise ValidationError({"metrics": "Name exactly one primary metric."})
    seen = set()
    for m in metrics:
        if m.role not in MetricRole.values:
            raise ValidationError(
                {"metrics": f"Role must be one of {', '.join(MetricRole.values)}."}
            )
        if m.metric.working_group_id != group_id:
            raise ValidationError({"metrics": f"{m.metric.name} is not in this group's library."})
        if m.metric.pk in seen:
            raise ValidationError({"metrics": f"{m.metric.name} is listed twice."})
        seen.add(m.metric.pk)
        if m.role == MetricRole.GUARDRAIL:
            t = m.harm_threshold
            if t is None or isinstance(t, bool) or not 0 <= t <= 10:
                raise ValidationError(
                    {"metrics": f"Guardrail {m.metric.name} needs a harm threshold: the relative "
                     "change that counts as harm, between 0 and 10 (0.02 is 2 %)."}
                )  # fmt: skip
    return list(metrics)


def _check_audience(audience) -> list[dict]:
    """The conditions checked against the audience catalogue (apps/experiments/audience.py):
    an unknown attribute or operator, or a value outside its attribute's rule, is refused."""
    try:
        return conditions_as_json(parse_conditions(audience))
    except AudienceError as exc:
        raise ValidationError({exc.field: exc.message}) from None


def _check_percent(field: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise ValidationError({field: "A share is a percentage above 0 and at most 100."})
    return float(value)


def _check_settings(exp: Experiment) -> None:
    if exp.type not in ExperimentType.values:
        raise ValidationError({"type": f"Type must be one of {', '.join(ExperimentType.values)}."})
    if exp.unit not in Unit.values:
        raise ValidationError({"unit": f"Unit must be one of {', '.join(Unit.values)}."})
    if exp.method not in AnalysisMethod.values:
        raise ValidationError(
            {"method": f"Method must be one of {', '.join(AnalysisMethod.values)}."}
        )
    if exp.correction not in Correction.values:
        raise ValidationError(
            {"correction": f"Correction must be one of {', '.join(Correction.values)}."}
        )
    for field, low, high in (("alpha", 0.0001, 0.5), ("power", 0.5, 0.999), ("mde", 0.0001, 10)):
        value = getattr(exp, field)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise ValidationError({field: f"Must lie between {low:g} and {high:g}."})
    for field in ("baseline", "baseline_sd"):
        value = getattr(exp, field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not 0 <= value <= 1e12):  # fmt: skip
            raise ValidationError({field: "A number from 0 to 10¹²."})
    if exp.daily_traffic is not None and (
        isinstance(exp.daily_traffic, bool) or not 0 < exp.daily_traffic <= 1e10
    ):
        raise ValidationError({"daily_traffic": "Units per day: a positive number."})
    if not REFRESH_RANGE[0] <= exp.refresh_minutes <= REFRESH_RANGE[1]:
        raise ValidationError(
            {"refresh_minutes": f"Refresh every {REFRESH_RANGE[0]} minutes to 7 days."}
        )
    check_date(exp.planned_start, field="planned_start")
    check_date(exp.planned_end, field="planned_end")
    if exp.planned_start and exp.planned_end and exp.planned_end <= exp.planned_start:
        raise ValidationError({"planned_end": "The planned end comes after the planned start."})
    if not isinstance(exp.rollout_stages, list) or not all(
        isinstance(s, int | float) and not isinstance(s, bool) and 0 < s <= 100
        for s in exp.rollout_stages
    ):
        raise ValidationError({"rollout_stages": "Stages are percentages, e.g. [1, 10, 50, 100]."})
    if exp.rollout_stages != sorted(exp.rollout_stages) or len(exp.rollout_stages) > 10:
        raise ValidationError({"rollout_stages": "Stages rise, at most ten of them."})


def _overlaps(exp: Experiment) -> Q:
    """Other experiments whose planned window meets this one's (an unknown date: always)."""
    q = Q()
    if exp.planned_start:
        q &= Q(planned_end__isnull=True) | Q(planned_end__gt=exp.planned_start)
    if exp.planned_end:
        q &= Q(planned_start__isnull=True) | Q(planned_start__lt=exp.planned_end)
    return q


def _check_layer(exp: Experiment) -> None:
    """A layer's traffic cannot be promised twice: the shares held at once stay within 100 %."""
    if exp.layer is None:
        return
    if exp.layer.working_group_id != exp.working_group_id:
        raise ValidationError({"layer": "That layer belongs to another group."})
    # Lock the layer: two designs taking its last share at once must not both succeed.
    Layer.objects.select_for_update().get(pk=exp.layer.pk)
    taken = (
        Experiment.objects.filter(layer=exp.layer, status__in=HOLDING_LAYER)
        .exclude(pk=exp.pk)
        .filter(_overlaps(exp))
        .aggregate(total=Sum("layer_share"))["total"]
        or 0
    )
    left = max(0.0, 100 - taken)
    if exp.layer_share > left + 1e-9:
        raise ValidationError(
            {"layer_share": f"The layer {exp.layer.name} has {left:g} % left in these dates; "
             f"this design asks for {exp.layer_share:g} %."}
        )  # fmt: skip


def _check_links(exp: Experiment) -> None:
    group_id = exp.working_group_id
    if exp.milestone is not None and exp.milestone.plan.working_group_id != group_id:
        raise ValidationError({"milestone": "That milestone belongs to another group's plan."})
    if exp.data_source is not None and exp.data_source.working_group_id != group_id:
        raise ValidationError({"data_source": "That data source belongs to another group."})
    if (
        not Membership.objects.filter(user=exp.owner, working_group_id=group_id)
        .exclude(role="stakeholder")
        .exists()
    ):
        raise ValidationError({"owner": "The owner is a member of the group who may write."})


def _save_parts(
    exp: Experiment,
    variants: list[VariantSpec] | None,
    metrics: list[MetricSpec] | None,
    surfaces: Iterable[Surface] | None,
) -> None:
    if variants is not None:
        exp.variants.all().delete()
        Variant.objects.bulk_create(
            Variant(experiment=exp, name=v.name, weight=v.weight, is_control=v.is_control,
                    description=v.description, position=i)
            for i, v in enumerate(variants)
        )  # fmt: skip
    if metrics is not None:
        exp.metric_links.all().delete()
        ExperimentMetric.objects.bulk_create(
            ExperimentMetric(experiment=exp, metric=m.metric, role=m.role,
                             harm_threshold=m.harm_threshold, position=i)
            for i, m in enumerate(metrics)
        )  # fmt: skip
    if surfaces is not None:
        surfaces = list(surfaces)
        if any(s.working_group_id != exp.working_group_id for s in surfaces):
            raise ValidationError({"surfaces": "A surface belongs to another group."})
        exp.surfaces.set(surfaces)


def _unique_key(group: WorkingGroup, wanted: str, exclude: int = 0) -> str:
    key = slugify(wanted)[:80].strip("-")
    if not key:
        raise ValidationError({"key": "A key is letters, digits and hyphens."})
    taken = Experiment.objects.filter(working_group=group, key=key).exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"key": f"Another experiment of this group has the key {key}."})
    return key


@transaction.atomic
def experiment_create(
    *,
    actor: User,
    hypothesis: Hypothesis,
    title: str = "",
    key: str = "",
    variants: Sequence[VariantSpec] | None = None,
    metrics: Sequence[MetricSpec] | None = None,
    surfaces: Iterable[Surface] | None = None,
    **fields,
) -> Experiment:
    """Draft the design of an experiment that tests an accepted hypothesis.

    The hypothesis moves from accepted to designing; a second experiment may test a
    hypothesis already designing or running (a follow-up or a variation).
    """
    group = hypothesis.working_group
    policy.require(actor, group, Action.CREATE)
    unknown = set(fields) - DESIGN_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Not a field of an experiment's design."})
    allowed = (HypothesisStatus.ACCEPTED, HypothesisStatus.DESIGNING, HypothesisStatus.RUNNING)
    if hypothesis.status not in allowed:
        raise ValidationError(
            {"hypothesis": f"Only an accepted hypothesis gets an experiment; this one is "
             f"{hypothesis.get_status_display().lower()}."}
        )  # fmt: skip
    type_ = fields.get("type", ExperimentType.AB)
    template = template_for(type_)
    exp = Experiment(
        working_group=group,
        hypothesis=hypothesis,
        created_by=actor,
        owner=fields.pop("owner", None) or actor,
        title=check_text("title", title or hypothesis.title, max_length=200),
        **{**template.fields, **fields},
    )
    exp.key = _unique_key(group, key or exp.title)
    exp.audience = _check_audience(exp.audience)
    exp.layer_share = _check_percent("layer_share", exp.layer_share)
    exp.allocation = _check_percent("allocation", exp.allocation)
    _check_settings(exp)
    _check_links(exp)
    checked_variants = _check_variants(variants or template.variants)
    checked_metrics = _check_metrics(group.pk, metrics) if metrics is not None else None
    exp.save()
    _save_parts(exp, checked_variants, checked_metrics, surfaces)
    if hypothesis.status == HypothesisStatus.ACCEPTED:
        hypothesis_follow(
            actor=actor, hypothesis=hypothesis, to_status=HypothesisStatus.DESIGNING,
            reason=f"Experiment {exp.key} drafted.",
        )  # fmt: skip
    return exp


class ExperimentConflict(Exception):
    """The design changed since the editor opened it; nothing of the editor's was saved."""

    def __init__(self, experiment: Experiment):
        super().__init__("This experiment changed since you opened it.")
        self.experiment = experiment


@transaction.atomic
def experiment_update(
    *,
    actor: User,
    experiment: Experiment,
    version: int | None = None,
    variants: Sequence[VariantSpec] | None = None,
    metrics: Sequence[MetricSpec] | None = None,
    surfaces: Iterable[Surface] | None = None,
    **changes,
) -> Experiment:
    """Change the design while it is a draft or in review; the statistics lead approves the
    design as saved when they approve it, and it is frozen from then on."""
    exp = Experiment.objects.select_for_update().get(pk=experiment.pk)
    policy.require(actor, exp.working_group_id, Action.EDIT, owner_id=exp.owner_id)
    if version is not None and version != exp.version:
        raise ExperimentConflict(exp)
    unknown = set(changes) - DESIGN_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Not a field of an experiment's design."})
    if not exp.is_editable and (set(changes) - {"refresh_minutes"} or variants or metrics
                                or surfaces is not None):  # fmt: skip
        raise ValidationError(
            {"status": f"The design of a {exp.get_status_display().lower()} experiment is "
             "frozen; only its refresh interval may change."}
        )  # fmt: skip
    if "key" in changes:
        changes["key"] = _unique_key(exp.working_group, changes["key"], exclude=exp.pk)
    if "title" in changes:
        changes["title"] = check_text("title", changes["title"], max_length=200)
    for field, value in changes.items():
        setattr(exp, field, value)
    if "audience" in changes:
        exp.audience = _check_audience(exp.audience)
    exp.layer_share = _check_percent("layer_share", exp.layer_share)
    exp.allocation = _check_percent("allocation", exp.allocation)
    _check_settings(exp)
    _check_links(exp)
    checked_variants = _check_variants(variants) if variants is not None else None
    checked_metrics = _check_metrics(exp.working_group_id, metrics) if metrics is not None else None
    if exp.status == Status.IN_REVIEW:
        _check_layer(exp)
    exp.version += 1
    exp.save()
    _save_parts(exp, checked_variants, checked_metrics, surfaces)
    experiment.__dict__.update(exp.__dict__)
    return exp


def layer_left(layer: Layer, experiment: Experiment | None = None) -> float:
    """The share of a layer still free across an experiment's planned dates (all dates when
    none is given)."""
    qs = Experiment.objects.filter(layer=layer, status__in=HOLDING_LAYER)
    if experiment is not None:
        qs = qs.exclude(pk=experiment.pk).filter(_overlaps(experiment))
    return max(0.0, 100 - (qs.aggregate(total=Sum("layer_share"))["total"] or 0))


def check_layer(experiment: Experiment) -> None:
    """The layer rule, asked when a design goes to review and again at launch."""
    _check_layer(experiment)


def source_for(group: WorkingGroup, pk) -> DataSource:
    return DataSource.objects.get(working_group=group, pk=pk)


def milestone_for(group: WorkingGroup, pk) -> Milestone:
    return Milestone.objects.select_related("plan").get(plan__working_group=group, pk=pk)
