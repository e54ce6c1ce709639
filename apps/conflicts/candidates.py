"""Experiments as the conflict engine reads them: one `Candidate` per experiment.

Three queries whatever the number of experiments (the experiments with their layer, the
surfaces, the primary metrics), read as plain values rather than model instances: the
hourly scan loads ten thousand of them, and the bench holds the whole scan under 2 s.

Dates: a running experiment runs from the day it started until its planned end, and at
least until today (one past its planned end still runs); one without a planned end is
given a far date. A design without dates yet (a draft asking what a launch would face)
runs from today for its planned length, or open-ended.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from apps.conflicts.detection import Candidate
from apps.experiments.audience import read_stored
from apps.experiments.models import Experiment, ExperimentMetric, MetricRole, Status

# Statuses the engine compares: in review, approved (scheduled when its start is ahead) and
# running. Drafts are checked only when someone asks what their launch would face.
CANDIDATE_STATUSES = (Status.IN_REVIEW, Status.APPROVED, Status.RUNNING)
OPEN_END = datetime.date(9999, 12, 31)
FIELDS = (
    "pk", "key", "title", "working_group_id", "status", "type", "unit", "planned_start",
    "planned_end", "started_at", "layer_id", "layer__name", "layer_share", "allocation",
    "audience", "data_source_id",
)  # fmt: skip


def _dates(row: dict, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = row["planned_start"]
    if row["status"] == Status.RUNNING and row["started_at"] is not None:
        start = timezone.localdate(row["started_at"])
    end = row["planned_end"]
    if start is None:
        start = today
    if end is None:
        end = OPEN_END
    if row["status"] == Status.RUNNING:
        end = max(end, today)
    return start, max(start, end)


def _candidates(rows: list[dict], today: datetime.date) -> list[Candidate]:
    ids = [row["pk"] for row in rows]
    surfaces: dict[int, dict[int, str]] = defaultdict(dict)
    primary: dict[int, tuple[int | None, str | None]] = {}
    if ids:
        through = Experiment.surfaces.through.objects.filter(experiment_id__in=ids)
        for exp_id, surface_id, name in through.values_list(
            "experiment_id", "surface_id", "surface__name"
        ):
            surfaces[exp_id][surface_id] = name
        for exp_id, primary_id, name in ExperimentMetric.objects.filter(
            experiment_id__in=ids, role=MetricRole.PRIMARY
        ).values_list("experiment_id", "metric_id", "metric__name"):
            primary[exp_id] = (primary_id, name)
    out = []
    for row in rows:
        start, end = _dates(row, today)
        metric_id, metric_name = primary.get(row["pk"], (None, None))
        names = surfaces.get(row["pk"], {})
        out.append(
            Candidate(
                id=row["pk"],
                key=row["key"],
                title=row["title"],
                group_id=row["working_group_id"],
                status=row["status"],
                type=row["type"],
                unit=row["unit"],
                start=start,
                end=end,
                surfaces=frozenset(names),
                surface_names=names,
                layer_id=row["layer_id"],
                layer_name=row["layer__name"],
                layer_share=row["layer_share"] / 100,
                allocation=row["allocation"] / 100,
                audience=read_stored(row["audience"]),
                primary_metric_id=metric_id,
                primary_metric_name=metric_name,
                data_source_id=row["data_source_id"],
            )
        )
    return out


def candidates_from(qs, *, today: datetime.date | None = None) -> list[Candidate]:
    """The experiments of a queryset as candidates (the timeline's, narrowed to a reader)."""
    today = today or timezone.localdate()
    return _candidates(list(qs.order_by("pk").values(*FIELDS)), today)


def current_candidates(
    *, today: datetime.date | None = None, exclude: Iterable[int] = ()
) -> list[Candidate]:
    """Every experiment in review, approved or running that has not ended before today."""
    today = today or timezone.localdate()
    qs = (
        Experiment.objects.filter(status__in=CANDIDATE_STATUSES)
        .filter(Q(planned_end__isnull=True) | Q(planned_end__gte=today) | Q(status=Status.RUNNING))
        .exclude(pk__in=list(exclude))
        .order_by("pk")
    )
    return _candidates(list(qs.values(*FIELDS)), today)


def candidate_for(experiment: Experiment, *, today: datetime.date | None = None) -> Candidate:
    """One experiment as a candidate, whatever its status (what its launch would face)."""
    today = today or timezone.localdate()
    rows = list(Experiment.objects.filter(pk=experiment.pk).values(*FIELDS))
    return _candidates(rows, today)[0]
