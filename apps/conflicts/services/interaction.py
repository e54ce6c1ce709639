"""The interaction check: when two conflicting experiments read the same data source and
assignment query, do they interfere in the data?

The warehouse counts the units exposed to both by (A arm, B arm) and, for the primary
metric they share, each cell's n, Σy and Σy² (`apps.conflicts.interaction_sql`); the
statistics engine tests assignment dependence (χ² on the k × m table) and the interaction
effect (does A's effect differ between B's arms?) and gives green, yellow or red. The
result is stored on the conflict with the figures and when it was computed. The check is
a job queued on commit: it runs SQL on the warehouse, never inside a request.
"""

import datetime
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.conflicts.interaction_sql import PairRequest, interaction_check
from apps.conflicts.models import Conflict
from apps.experiments.models import Experiment, MetricRole
from apps.experiments.sources import connect, metric_query
from apps.experiments.warehouse import WarehouseError
from apps.stats.engine import StatsError

TIMEOUT_S = 300


def _why_not(conflict: Conflict) -> str:
    """Why the check cannot run on this conflict, or "" when it can."""
    a, b = conflict.experiment_a, conflict.experiment_b
    if b is None:
        return "The interaction check compares two experiments; this conflict concerns one."
    if a.data_source_id is None or a.data_source_id != b.data_source_id:
        return "The two experiments read different data sources: there is no shared data."
    return ""


def conflict_interaction_queue(*, conflict: Conflict) -> None:
    """Queue the check after commit; a conflict it cannot run on is refused, naming why."""
    from apps.conflicts.tasks import check_interaction

    reason = _why_not(conflict)
    if reason:
        raise ValidationError({"interaction": reason})
    conflict_id = conflict.pk
    transaction.on_commit(lambda: check_interaction.delay(conflict_id))


def _arms(exp: Experiment) -> tuple[str, ...]:
    variants = sorted(exp.variants.all(), key=lambda v: (not v.is_control, v.position, v.pk))
    return tuple(v.name for v in variants)


def _since(exp: Experiment) -> datetime.datetime:
    if exp.started_at is not None:
        return exp.started_at
    day = exp.planned_start or timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _primary(exp: Experiment):
    links = [link for link in exp.metric_links.all() if link.role == MetricRole.PRIMARY]
    return links[0].metric if links else None


def _finite(value):
    """JSON the database stores: an infinite or undefined statistic becomes null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def conflict_interaction(*, conflict_id: int) -> Conflict:
    """Run the check on the shared data source and store the verdict with its figures."""
    conflict = Conflict.objects.select_related("experiment_a__data_source", "experiment_b").get(
        pk=conflict_id
    )
    result: dict
    reason = _why_not(conflict)
    if reason:
        result = {"error": reason}
    else:
        a, b = conflict.experiment_a, conflict.experiment_b
        assert b is not None
        source = a.data_source
        assert source is not None  # _why_not: both read the same source
        metric_a, metric_b = _primary(a), _primary(b)
        shared = metric_a if metric_a is not None and metric_b is not None \
            and metric_a.pk == metric_b.pk and metric_a.kind in ("binomial", "continuous") \
            else None  # fmt: skip
        request = PairRequest(
            assignment_sql=source.assignment_sql, a_key=a.key, b_key=b.key,
            a_variants=_arms(a), b_variants=_arms(b), start=max(_since(a), _since(b)),
            metric=metric_query(shared) if shared is not None else None,
        )  # fmt: skip
        try:
            warehouse = connect(source)
            try:
                check = interaction_check(warehouse, request, timeout_s=TIMEOUT_S)
            finally:
                warehouse.close()
        except (WarehouseError, StatsError) as error:
            result = {"error": f"The check could not run on {source.name}: {error}"}
        else:
            result = {
                "verdict": str(check.verdict.colour), "summary": check.verdict.rule,
                "metric": shared.name if shared is not None else None, **check.as_dict(),
            }  # fmt: skip
    conflict.interaction = _finite(result)
    conflict.interaction_at = timezone.now()
    conflict.save(update_fields=["interaction", "interaction_at"])
    return conflict
