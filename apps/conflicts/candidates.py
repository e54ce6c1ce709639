"""Experiments as the conflict engine reads them: one `Candidate` per experiment.

Two queries whatever the number of experiments (the experiments with their layer and
primary metric, then the surfaces), read as plain tuples rather than model instances: the
hourly scan loads ten thousand of them, and the bench holds the whole scan under 2 s.

Dates: a running experiment runs from the day it started until its planned end, and at
least until today (one past its planned end still runs); one without a planned end is
given a far date. A design without dates yet (a draft asking what a launch would face)
runs from today for its planned length, or open-ended.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import FilteredRelation, Q, QuerySet, TextField
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from apps.conflicts.detection import Candidate
from apps.experiments.audience import Condition, read_stored
from apps.experiments.models import Experiment, MetricRole, Status

# Statuses the engine compares: in review, approved (scheduled when its start is ahead) and
# running. Drafts are checked only when someone asks what their launch would face.
CANDIDATE_STATUSES = (Status.IN_REVIEW, Status.APPROVED, Status.RUNNING)
OPEN_END = datetime.date(9999, 12, 31)
# Read as tuples, in this order. The audience comes as its JSON text and the start of a
# running experiment as its local date (TruncDate, in the current time zone as
# timezone.localdate): a program reuses a few dozen audiences, so each distinct text is
# parsed once instead of ten thousand times, and the database converts the dates.
FIELDS = (
    "pk", "key", "title", "working_group_id", "status", "type", "unit", "planned_start",
    "planned_end", "started_on", "layer_id", "layer__name", "layer_share", "allocation",
    "audience_text", "data_source_id", "primary_link__metric_id", "primary_link__metric__name",
)  # fmt: skip


def _dates(
    status: str,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
    started_on: datetime.date | None,
    today: datetime.date,
) -> tuple[datetime.date, datetime.date]:
    start = planned_start
    if status == Status.RUNNING and started_on is not None:
        start = started_on
    end = planned_end
    if start is None:
        start = today
    if end is None:
        end = OPEN_END
    if status == Status.RUNNING:
        end = max(end, today)
    return start, max(start, end)


def _rows(qs: QuerySet[Experiment]) -> list[tuple]:
    return list(
        qs.annotate(
            audience_text=Cast("audience", TextField()),
            started_on=TruncDate("started_at"),
            primary_link=FilteredRelation(
                "metric_links", condition=Q(metric_links__role=MetricRole.PRIMARY)
            ),
        )
        .order_by("pk")
        .values_list(*FIELDS)
    )


def _candidates(qs: QuerySet[Experiment], today: datetime.date) -> list[Candidate]:
    """Two queries whatever the number of experiments: the experiments with their layer and
    primary metric (one per experiment, `one_primary`), then their surfaces. The surfaces
    are selected by the experiments' query as a subquery: ten thousand ids as parameters
    cost more to send than the rows they select."""
    rows = _rows(qs)
    surfaces: dict[int, dict[int, str]] = defaultdict(dict)
    if rows:
        through = Experiment.surfaces.through.objects.filter(
            experiment_id__in=qs.order_by().values("pk")
        )
        for exp_id, surface_id, name in through.values_list(
            "experiment_id", "surface_id", "surface__name"
        ):
            surfaces[exp_id][surface_id] = name
    audiences: dict[str | None, tuple[Condition, ...]] = {}
    out = []
    for (
        pk, key, title, group_id, status, type_, unit, planned_start, planned_end, started_on,
        layer_id, layer_name, layer_share, allocation, audience_text, data_source_id,
        metric_id, metric_name,
    ) in rows:  # fmt: skip
        audience = audiences.get(audience_text)
        if audience is None:
            raw = json.loads(audience_text) if audience_text is not None else None
            audience = audiences[audience_text] = read_stored(raw)
        start, end = _dates(status, planned_start, planned_end, started_on, today)
        names = surfaces.get(pk, {})
        out.append(
            Candidate(
                id=pk,
                key=key,
                title=title,
                group_id=group_id,
                status=status,
                type=type_,
                unit=unit,
                start=start,
                end=end,
                surfaces=frozenset(names),
                surface_names=names,
                layer_id=layer_id,
                layer_name=layer_name,
                layer_share=layer_share / 100,
                allocation=allocation / 100,
                audience=audience,
                primary_metric_id=metric_id,
                primary_metric_name=metric_name,
                data_source_id=data_source_id,
            )
        )
    return out


def candidates_from(qs, *, today: datetime.date | None = None) -> list[Candidate]:
    """The experiments of a queryset as candidates (the timeline's, narrowed to a reader)."""
    today = today or timezone.localdate()
    return _candidates(qs, today)


def current_candidates(
    *, today: datetime.date | None = None, exclude: Iterable[int] = ()
) -> list[Candidate]:
    """Every experiment in review, approved or running that has not ended before today."""
    today = today or timezone.localdate()
    qs = (
        Experiment.objects.filter(status__in=CANDIDATE_STATUSES)
        .filter(Q(planned_end__isnull=True) | Q(planned_end__gte=today) | Q(status=Status.RUNNING))
        .exclude(pk__in=list(exclude))
    )
    return _candidates(qs, today)


def candidate_for(experiment: Experiment, *, today: datetime.date | None = None) -> Candidate:
    """One experiment as a candidate, whatever its status (what its launch would face)."""
    today = today or timezone.localdate()
    return _candidates(Experiment.objects.filter(pk=experiment.pk), today)[0]
