"""Reads for the conflicts pages, the API, the panels and the agenda.

Every read starts from `Conflict.objects.visible_to(user)`: a conflict is shown only to
someone who may read both its experiments, so one with a confidential plan's experiment
stays hidden on the list, its facet counts, the detail, the panels and the agenda.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When

from apps.accounts.models import WorkingGroup
from apps.experiments.models import Experiment, Layer, Surface

from .models import SEVERITY_RANK, Conflict, ConflictQuerySet, ConflictStatus, Kind


@dataclass(frozen=True)
class ConflictFilters:
    """What the list narrows to; None means any."""

    status: str | None = ConflictStatus.OPEN
    group: int | None = None
    surface: int | None = None
    layer: int | None = None
    kind: str | None = None
    severity: str | None = None
    experiment: int | None = None


def _with_rows(qs: ConflictQuerySet) -> ConflictQuerySet:
    return qs.select_related(
        "experiment_a", "experiment_b", "layer", "acknowledged_by", "working_group"
    )


def _narrow(qs: ConflictQuerySet, f: ConflictFilters, *, status: bool = True) -> ConflictQuerySet:
    if status and f.status:
        qs = qs.filter(status=f.status)
    if f.group:
        qs = qs.filter(working_group_id=f.group)
    if f.layer:
        qs = qs.filter(
            Q(layer_id=f.layer) | Q(experiment_a__layer_id=f.layer)
            | Q(experiment_b__layer_id=f.layer)
        )  # fmt: skip
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.experiment:
        qs = qs.involving(f.experiment)
    if f.surface:
        on = Experiment.surfaces.through.objects.filter(surface_id=f.surface)
        qs = qs.filter(
            Exists(on.filter(experiment_id=OuterRef("experiment_a_id")))
            | Exists(on.filter(experiment_id=OuterRef("experiment_b_id")))
        )
    return qs


def conflicts_for(user, filters: ConflictFilters | None = None) -> ConflictQuerySet:
    """The conflicts `user` may read, narrowed, most severe and newest first."""
    qs = _narrow(Conflict.objects.visible_to(user), filters or ConflictFilters())
    rank = Case(*(When(severity=s, then=Value(n)) for s, n in SEVERITY_RANK.items()),
                default=Value(9))  # fmt: skip
    return _with_rows(qs).annotate(rank=rank).order_by("rank", "-opened_at", "-pk")


def status_counts(user, filters: ConflictFilters) -> dict[str, int]:
    """How many conflicts each status tab holds under the other filters (one query)."""
    rows = (
        _narrow(Conflict.objects.visible_to(user), filters, status=False)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {s: 0 for s in ConflictStatus.values}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def conflicts_of_experiment(user, experiment: Experiment) -> list[Conflict]:
    """The experiment's unresolved conflicts the person may read, most severe first."""
    rows = list(_with_rows(Conflict.objects.visible_to(user).unresolved().involving(experiment.pk)))
    return sorted(rows, key=lambda c: (SEVERITY_RANK.get(c.severity, 9), -c.pk))


def conflict_for(user, pk) -> Conflict:
    return _with_rows(Conflict.objects.visible_to(user)).get(pk=pk)


def filter_choices(user) -> dict:
    """The groups, surfaces and layers the filters offer: those of the person's groups."""
    groups = list(WorkingGroup.objects.visible_to(user).order_by("name"))
    ids = [g.pk for g in groups]
    return {
        "groups": groups,
        "surfaces": list(Surface.objects.filter(working_group_id__in=ids).order_by("name")),
        "layers": list(Layer.objects.filter(working_group_id__in=ids).order_by("name")),
        "kinds": Kind.choices,
    }
