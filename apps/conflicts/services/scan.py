"""Finding conflicts and keeping the rows in step with them.

`conflicts_scan` (hourly) compares every experiment in review, approved or running;
`conflicts_check_experiment` (after a design or status change) compares one with the
rest; `conflicts_preview` answers what a launch would face now and saves nothing.

Storing findings (`_apply`): a finding whose identity has an unresolved row updates it if
anything changed; a new one opens a row; an unresolved row no finding matches any more is
resolved, with when and why. Everything is read and written in bulk, so a scan costs the
same handful of queries for ten experiments or ten thousand, and an unchanged program
writes nothing: a redelivered hourly job changes no row. Scans hold a transaction-level
advisory lock on PostgreSQL, so two at once (a late job and the next hour's) run one
after the other instead of both opening the same conflict; the conditional unique
constraint stays as the last word.
"""

import datetime
import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import JSONField, Q
from django.utils import timezone

from apps.conflicts.candidates import CANDIDATE_STATUSES, candidate_for, current_candidates
from apps.conflicts.detection import Candidate, Finding, check_one, detect
from apps.conflicts.models import Conflict, ConflictStatus
from apps.experiments.models import Experiment, Status

SCAN_LOCK = 7_514_001  # pg_advisory_xact_lock key: one conflicts scan at a time
# Fields a rescan may change on an unresolved row (its identity and pair never change).
UPDATABLE = (
    "severity", "rule", "layer_id", "window_start", "window_end", "overlap_share",
    "explanation", "remedy", "figures",
)  # fmt: skip


@dataclass
class ScanResult:
    candidates: int = 0
    findings: int = 0
    opened: list[int] = field(default_factory=list)
    updated: int = 0
    resolved: int = 0

    def as_dict(self) -> dict:
        return {"candidates": self.candidates, "findings": self.findings,
                "opened": len(self.opened), "updated": self.updated,
                "resolved": self.resolved}  # fmt: skip


def identity_of(finding: Finding) -> str:
    """The finding's identity as the constraint compares it: kind, pair, and layer."""
    a, b, kind, layer = finding.identity
    return f"{kind}:{a}:{b if b is not None else '-'}:{layer if layer is not None else '-'}"


# json.dumps(value, default=str), without building an encoder for every row.
_AS_JSON = json.JSONEncoder(default=str).encode


def _json(figures: dict) -> dict:
    return json.loads(_AS_JSON(figures or {}))


def _values(finding: Finding) -> tuple:
    """The row's UPDATABLE fields, in that order, as the finding states them (figures as the
    engine made them: see `_same_figures` and `_insert` for how they are compared and written).
    """
    return (
        str(finding.severity),
        finding.rule[:240],
        finding.layer_id,
        finding.window_start,
        finding.window_end,
        round(min(1.0, max(0.0, float(finding.overlap_share))), 6),
        finding.explanation,
        finding.remedy,
        finding.figures or {},
    )


def _same_figures(stored: object, figures: dict) -> bool:
    """Whether the stored figures are those the finding would store (its JSON round trip).

    Stored figures are JSON-native, and the engine's usually are too: then plain equality
    already answers, without a dumps and loads per finding. Only figures that differ (or
    hold what JSON turns into something else, such as a tuple) are compared after the
    round trip.
    """
    return stored == figures or stored == _json(figures)


class _Stored(NamedTuple):
    """An unresolved conflict as the scan compares it: its identity, pair and UPDATABLE
    fields (`values`, in that order, as `_values` gives a finding's)."""

    pk: int
    identity: str
    kind: str
    experiment_a_id: int
    experiment_b_id: int | None
    values: tuple

    def differs(self, values: tuple) -> bool:
        # Everything but the figures in one tuple comparison; the figures last.
        return self.values[:-1] != values[:-1] or not _same_figures(self.values[-1], values[-1])


def _stored(qs) -> list[_Stored]:
    # Tuples rather than model instances: a rescan of a large program compares ten thousand
    # rows and changes none; instances are built only for the rows that change.
    return [
        _Stored(pk, identity, kind, a, b, tuple(values))
        for pk, identity, kind, a, b, *values in qs.values_list(
            "pk", "identity", "kind", "experiment_a_id", "experiment_b_id", *UPDATABLE
        )
    ]


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK])


def _why_resolved(row: _Stored, by_id: dict[int, Candidate], statuses: dict[int, str]) -> str:
    """In words: why a conflict no longer holds."""
    for exp_id in (row.experiment_a_id, row.experiment_b_id):
        if exp_id is None or exp_id in by_id:
            continue
        status = statuses.get(exp_id)
        if status is None:
            return "One of the experiments was deleted."
        label = Status(status).label.lower()
        if status in CANDIDATE_STATUSES:
            return f"Experiment {exp_id} ended on its planned date."
        return f"Experiment {exp_id} is no longer scheduled or running: it is now {label}."
    a = by_id.get(row.experiment_a_id)
    b = by_id.get(row.experiment_b_id) if row.experiment_b_id else None
    if a is not None and b is not None:
        if a.end < b.start or b.end < a.start:
            return f"Their dates no longer overlap ({a.key} and {b.key})."
        if row.kind in ("surface_collision", "unit_mismatch", "cluster_contamination") and not (
            a.surfaces & b.surfaces
        ):
            return "They no longer share a surface."
        if a.layer_id is not None and a.layer_id == b.layer_id:
            return f"Both now share the layer {a.layer_name}, which keeps them apart."
    return "The designs changed so that the conflict no longer holds (dates, surfaces, " \
        "audience, layer, unit or metrics)."  # fmt: skip


def _apply(
    findings: Sequence[Finding],
    existing: Iterable[_Stored],
    candidates: Sequence[Candidate],
    *,
    now: datetime.datetime,
    notify: bool = True,
) -> ScanResult:
    result = ScanResult(candidates=len(candidates), findings=len(findings))
    by_id = {c.id: c for c in candidates}
    current = {row.identity: row for row in existing}
    seen: set[str] = set()
    new_rows: list[tuple[str, Finding, tuple]] = []
    changed: list[Conflict] = []
    for finding in findings:
        key = identity_of(finding)
        if key in seen:
            continue
        seen.add(key)
        values = _values(finding)
        row = current.get(key)
        if row is None:
            new_rows.append((key, finding, values))
        elif row.differs(values):
            fields = dict(zip(UPDATABLE, values, strict=True))
            fields["figures"] = _json(fields["figures"])
            changed.append(Conflict(pk=row.pk, updated_at=now, **fields))
    stale = [row for key, row in current.items() if key not in seen]
    resolved: list[Conflict] = []
    if stale:
        gone = {
            i for row in stale for i in (row.experiment_a_id, row.experiment_b_id)
            if i is not None and i not in by_id
        }  # fmt: skip
        statuses = dict(Experiment.objects.filter(pk__in=gone).values_list("pk", "status"))
        resolved = [
            Conflict(
                pk=row.pk, status=ConflictStatus.RESOLVED, resolved_at=now, updated_at=now,
                resolved_reason=_why_resolved(row, by_id, statuses),
            )
            for row in stale
        ]  # fmt: skip
    if new_rows:
        # The engine names only the candidates it was given, all of them in `by_id`.
        groups = {finding.a: by_id[finding.a].group_id for _, finding, _ in new_rows}
        result.opened = _insert(new_rows, groups, now)
    if changed:
        Conflict.objects.bulk_update(changed, [*UPDATABLE, "updated_at"], batch_size=1000)
    if resolved:
        Conflict.objects.bulk_update(
            resolved, ["status", "resolved_at", "resolved_reason", "updated_at"], batch_size=1000
        )
    result.updated, result.resolved = len(changed), len(stale)
    if result.opened and notify:
        _queue_notices()
    return result


def _insert(
    new_rows: list[tuple[str, Finding, tuple]], groups: dict[int, int], now: datetime.datetime
) -> list[int]:
    """Write new conflicts; their ids.

    On PostgreSQL through COPY, with ids drawn from the table's sequence first: a first scan
    of a large program opens ten thousand rows, and model instances, bulk_create's UNNEST
    arrays built in Python, and reading the ids back by ten thousand identities each cost
    more than the rest of the write. COPY sends no signals, as bulk_create does not.
    """
    rows = [
        {
            "identity": key, "kind": str(finding.kind), "experiment_a_id": finding.a,
            "experiment_b_id": finding.b, "working_group_id": groups[finding.a],
            "status": str(ConflictStatus.OPEN), "opened_at": now, "updated_at": now,
            **dict(zip(UPDATABLE, values, strict=True)),
        }
        for key, finding, values in new_rows
    ]  # fmt: skip
    if connection.vendor != "postgresql":
        for row in rows:
            row["figures"] = _json(row["figures"])
        made = Conflict.objects.bulk_create([Conflict(**row) for row in rows], batch_size=1000)
        return [row.pk for row in made if row.pk]
    meta = Conflict._meta
    fields = list(meta.concrete_fields)
    # What a new Conflict holds in the columns a finding does not set (JSON ones as text).
    blank = Conflict()
    defaults = {
        f.attname: json.dumps(value) if isinstance(f, JSONField) else value
        for f in fields
        for value in (getattr(blank, f.attname),)
    }
    in_order = itemgetter(*(f.attname for f in fields))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The sequence named once (MATERIALIZED): looked up on every row, it cost ten times more.
        cursor.execute(
            "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
            "SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
            [meta.db_table, meta.pk.column or meta.pk.attname, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        statement = "COPY {} ({}) FROM STDIN".format(
            quote(meta.db_table), ", ".join(quote(f.column or f.attname) for f in fields)
        )
        with cursor.cursor.copy(statement) as copy:
            for pk, row in zip(ids, rows, strict=True):
                row[meta.pk.attname] = pk
                row["figures"] = _AS_JSON(row["figures"])
                copy.write_row(in_order({**defaults, **row}))
    return ids


def _queue_notices() -> None:
    from apps.conflicts.tasks import send_conflict_notices

    transaction.on_commit(send_conflict_notices.delay, robust=True)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration, then as it was before.

    A scan of 10,000 experiments keeps some 200,000 objects alive until it returns (the
    candidates, the findings with their words and figures, the stored rows). The collector
    reads that growth as a sign of garbage and walked the whole process's heap several
    times per scan: a quarter of its CPU time. The scan makes no reference cycles (a
    collection after one finds nothing to free); everything it built is freed by reference
    counting as it returns. Used by the hourly scan, which runs on a worker, not a request.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def conflicts_scan(*, today: datetime.date | None = None, notify: bool = True) -> ScanResult:
    """Compare every experiment in review, approved or running; open, update and resolve.

    `notify=False` leaves the owners' emails to the next scan (a bulk import, the bench).
    """
    now = timezone.now()
    with _collector_paused(), transaction.atomic():
        _lock()
        candidates = current_candidates(today=today)
        findings = detect(candidates)
        existing = _stored(Conflict.objects.unresolved())
        return _apply(findings, existing, candidates, now=now, notify=notify)


def conflicts_check_experiment(
    *, experiment: Experiment | int, today: datetime.date | None = None
) -> ScanResult:
    """Compare one experiment with the rest, after its design or status changed.

    An experiment that is no longer in review, approved or running has no conflicts: its
    unresolved ones are resolved, saying why.
    """
    exp_id = experiment if isinstance(experiment, int) else experiment.pk
    now = timezone.now()
    with transaction.atomic():
        _lock()
        exp = Experiment.objects.filter(pk=exp_id).first()
        others = current_candidates(today=today, exclude=[exp_id])
        findings: list[Finding] = []
        candidates = list(others)
        if exp is not None and exp.status in CANDIDATE_STATUSES:
            own = candidate_for(exp, today=today)
            findings = check_one(own, others)
            candidates.append(own)
        identities = [identity_of(f) for f in findings]
        existing = _stored(
            Conflict.objects.unresolved().filter(
                Q(experiment_a_id=exp_id) | Q(experiment_b_id=exp_id) | Q(identity__in=identities)
            )
        )
        return _apply(findings, existing, candidates, now=now)


def conflicts_preview(
    *, experiment: Experiment, today: datetime.date | None = None
) -> list[Finding]:
    """What the experiment's launch would face now, whatever its status; saves nothing.

    A draft is compared as if approved: the question is what stands in the way of its launch.
    """
    own = candidate_for(experiment, today=today)
    if own.status not in CANDIDATE_STATUSES:
        own = replace(own, status=Status.APPROVED)
    others = current_candidates(today=today, exclude=[experiment.pk])
    return check_one(own, others)
