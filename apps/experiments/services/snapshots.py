"""Snapshots: pulling an experiment's statistics, pushing or uploading them, and analysing.

A pull is a row first (queued), then a job. The row is created in the request or by the
schedule and the job queued on commit; the page polls the row. `snapshot_pull` is what the
job runs: it marks the row running in its own short transaction (so the page sees it), runs
the statements on the data source with no transaction of ours open, then writes the
statistics, their analysis and "done" in one UPDATE. A pull killed halfway therefore leaves
the row running with no statistics, and the redelivered job completes it; a redelivered job
for a row already done does nothing. The unique (experiment, run, slot) constraint makes a
duplicated schedule tick create one row, not two.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User
from apps.accounts.policy import Action
from apps.experiments.analysis import AnalysisPlan, MetricPlan, analyse
from apps.experiments.models import (
    Direction,
    Experiment,
    Snapshot,
    SnapshotSource,
    SnapshotStatus,
    Status,
)

from .sizing import experiment_sizing

PULLABLE = (Status.RUNNING, Status.STOPPED)
MAX_ATTEMPTS = 4  # the first try and the job's three retries


class PullFailed(Exception):
    """The data source failed this time; the job retries, the previous snapshot stays."""


def analysis_plan(exp: Experiment) -> AnalysisPlan:
    links = list(exp.metric_links.select_related("metric").order_by("position", "pk"))
    variants = list(exp.variants.all())
    variants.sort(key=lambda v: (not v.is_control, v.position, v.pk))
    sizing = experiment_sizing(exp)
    return AnalysisPlan(
        type=exp.type,
        variants=tuple(v.name for v in variants),
        weights=tuple(v.weight for v in variants),
        metrics=tuple(
            MetricPlan(
                key=link.metric.key,
                name=link.metric.name,
                kind=link.metric.kind,
                role=link.role,
                higher_is_better=link.metric.direction == Direction.INCREASE,
                harm_threshold=link.harm_threshold,
            )
            for link in links
        ),
        method=exp.method,
        alpha=exp.alpha,
        correction=exp.correction,
        cuped=exp.cuped,
        planned_units=sizing.n_total,
        running=exp.status == Status.RUNNING,
    )


def _queue(snapshot: Snapshot) -> None:
    from apps.experiments.tasks import pull_results

    transaction.on_commit(lambda: pull_results.delay(snapshot.pk))


@transaction.atomic
def experiment_refresh(*, actor: User, experiment: Experiment) -> Snapshot:
    """ "Refresh now": queue a pull, or return the one already waiting or running."""
    exp = Experiment.objects.select_for_update().get(pk=experiment.pk)
    policy.require(actor, exp.working_group_id, Action.CREATE)
    if exp.status not in PULLABLE:
        raise ValidationError(
            {"status": f"Results are pulled while an experiment runs or once it stopped; this "
             f"one is {exp.get_status_display().lower()}."}
        )  # fmt: skip
    if exp.data_source_id is None:
        raise ValidationError({"data_source": "Choose the data source the results come from."})
    pending = Snapshot.objects.filter(
        experiment=exp, run=exp.run,
        status__in=(SnapshotStatus.QUEUED, SnapshotStatus.RUNNING),
    ).first()  # fmt: skip
    if pending is not None:
        return pending
    snapshot = Snapshot.objects.create(
        experiment=exp, run=exp.run, slot=f"manual:{uuid.uuid4().hex}", requested_by=actor
    )
    _queue(snapshot)
    return snapshot


def snapshot_create(*, experiment: Experiment, slot: str, source: str) -> Snapshot:
    """A queued snapshot row for a pull the caller runs itself (the demo's backfill)."""
    return Snapshot.objects.create(
        experiment=experiment, run=experiment.run, slot=slot[:40], source=source
    )


def _slot(now: datetime.datetime, minutes: int) -> str:
    """The schedule slot `now` falls in: the same string for every tick of one interval."""
    epoch = int(now.timestamp()) // (minutes * 60) * (minutes * 60)
    start = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC)
    return f"auto:{minutes}:{start:%Y-%m-%dT%H:%M}"


def pulls_schedule_due(*, now: datetime.datetime | None = None) -> int:
    """Create and queue the scheduled pull of every running experiment whose slot has no
    snapshot yet; beat calls this every few minutes. Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    running = Experiment.objects.running().filter(data_source__isnull=False)
    for exp in running.only("pk", "run", "refresh_minutes"):
        slot = _slot(now, exp.refresh_minutes)
        try:
            with transaction.atomic():
                snapshot, created = Snapshot.objects.get_or_create(
                    experiment_id=exp.pk, run=exp.run, slot=slot
                )
                if created:
                    _queue(snapshot)
                    queued += 1
        except IntegrityError:
            # Another beat tick created the same slot at the same moment: one snapshot.
            continue
    return queued


def _claim(snapshot_id: int) -> Snapshot | None:
    """Mark the row running (committed at once, so the page shows it); None if it is done or
    belongs to a run a reset discarded."""
    with transaction.atomic():
        snapshot = (
            # Lock only the snapshot's row: the data source is an outer join.
            Snapshot.objects.select_for_update(of=("self",))
            .select_related("experiment__data_source")
            .filter(pk=snapshot_id)
            .first()
        )
        if snapshot is None or snapshot.status == SnapshotStatus.DONE:
            return None
        if snapshot.run != snapshot.experiment.run:
            snapshot.status, snapshot.valid = SnapshotStatus.FAILED, False
            snapshot.error = "The experiment was reset before this pull ran."
            snapshot.save(update_fields=["status", "valid", "error"])
            return None
        snapshot.status = SnapshotStatus.RUNNING
        snapshot.started_at = timezone.now()
        snapshot.attempts += 1
        snapshot.save(update_fields=["status", "started_at", "attempts"])
    return snapshot


def snapshot_pull(
    snapshot_id: int, *, final_attempt: bool = False, until: datetime.datetime | None = None
) -> Snapshot | None:
    """Run one snapshot's pull and analysis; PullFailed (after recording the error) when the
    data source failed, so the job retries with backoff. `until` backfills the history: the
    data as it stood then, stamped with that moment."""
    from apps.experiments.sources import connect, metric_query
    from apps.experiments.warehouse import PullRequest, WarehouseError, pull

    snapshot = _claim(snapshot_id)
    if snapshot is None:
        return None
    exp = snapshot.experiment
    source = exp.data_source
    if source is None:
        Snapshot.objects.filter(pk=snapshot.pk).update(
            status=SnapshotStatus.FAILED, error="The experiment has no data source."
        )
        return Snapshot.objects.get(pk=snapshot.pk)
    plan = analysis_plan(exp)
    start = exp.started_at or timezone.now()
    request = PullRequest(
        experiment_key=exp.key,
        assignment_sql=source.assignment_sql,
        variants=plan.variants,
        start=start,
        end=min(filter(None, (exp.stopped_at, until)), default=None),
        segments=tuple(source.segment_columns or ()),
        metrics=tuple(
            metric_query(link.metric, cuped=exp.cuped)
            for link in exp.metric_links.select_related("metric").order_by("position", "pk")
        ),
    )
    try:
        warehouse = connect(source)
        try:
            pulls = pull(warehouse, request)
        finally:
            warehouse.close()
    except WarehouseError as error:
        last = final_attempt or snapshot.attempts >= MAX_ATTEMPTS
        Snapshot.objects.filter(pk=snapshot.pk).update(
            status=SnapshotStatus.FAILED,
            error=f"Attempt {snapshot.attempts}: {error}"
            + ("" if last else " — retrying with backoff."),
        )
        if last:
            return Snapshot.objects.get(pk=snapshot.pk)
        raise PullFailed(str(error)) from error
    rows = [row_dict(row) for p in pulls for row in p.rows]
    _finish(
        snapshot,
        rows=rows,
        plan=plan,
        multi_exposed={p.metric: p.multi_exposed for p in pulls},
        durations={p.metric: round(p.seconds, 4) for p in pulls},
        taken_at=until,
    )
    return Snapshot.objects.get(pk=snapshot.pk)


def row_dict(row) -> dict:
    fields = ("metric", "variant", "segment", "segment_value", "n", "sum", "sum_squares",
              "pre_sum", "pre_sum_squares", "sum_product", "denominator_sum",
              "denominator_sum_squares", "cross_sum")  # fmt: skip
    out = {name: getattr(row, name) for name in fields}
    return {k: v for k, v in out.items() if v is not None or k in ("segment", "segment_value")}


def _finish(snapshot: Snapshot, *, rows, plan, multi_exposed, durations, taken_at=None) -> None:
    analysis = analyse(rows, plan)
    # One UPDATE: the statistics, their analysis and "done" arrive together or not at all.
    Snapshot.objects.filter(pk=snapshot.pk).update(
        status=SnapshotStatus.DONE,
        taken_at=taken_at or timezone.now(),
        error="",
        stats=rows,
        analysis=analysis,
        multi_exposed=multi_exposed,
        durations=durations,
    )
    from .alerts import snapshot_alerts_queue

    snapshot_alerts_queue(snapshot.pk)


@transaction.atomic
def snapshot_store(
    *, actor: User, experiment: Experiment, rows: list[dict], source: str
) -> Snapshot:
    """Store statistics pushed through the API or uploaded as CSV, already validated whole
    by the caller, and analyse them: a complete snapshot or nothing."""
    exp = Experiment.objects.select_for_update().get(pk=experiment.pk)
    policy.require(actor, exp.working_group_id, Action.EDIT, owner_id=exp.owner_id)
    if source not in (SnapshotSource.PUSH, SnapshotSource.UPLOAD):
        raise ValidationError({"source": "Push or upload."})
    if exp.status not in PULLABLE:
        raise ValidationError(
            {"status": "Results are stored while an experiment runs or once it stopped."}
        )
    plan = analysis_plan(exp)
    known_metrics = {m.key for m in plan.metrics}
    for i, row in enumerate(rows):
        if row["metric"] not in known_metrics:
            raise ValidationError({f"rows[{i}].metric": f"{row['metric']!r} is not a metric of "
                                   f"this design: {', '.join(sorted(known_metrics))}."})  # fmt: skip
        if row["variant"] not in plan.variants:
            raise ValidationError({f"rows[{i}].variant": f"{row['variant']!r} is not a variant: "
                                   f"{', '.join(plan.variants)}."})  # fmt: skip
    analysis = analyse(rows, plan)
    if analysis.get("error"):
        raise ValidationError({"rows": analysis["error"]})
    now = timezone.now()
    return Snapshot.objects.create(
        experiment=exp, run=exp.run, slot=f"{source}:{uuid.uuid4().hex}", source=source,
        status=SnapshotStatus.DONE, requested_by=actor, started_at=now, taken_at=now,
        stats=rows, analysis=analysis, attempts=1,
    )  # fmt: skip
