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
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

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


def _json(figures: dict) -> dict:
    return json.loads(json.dumps(figures or {}, default=str))


def _values(finding: Finding) -> dict:
    return {
        "severity": str(finding.severity),
        "rule": finding.rule[:240],
        "layer_id": finding.layer_id,
        "window_start": finding.window_start,
        "window_end": finding.window_end,
        "overlap_share": round(min(1.0, max(0.0, float(finding.overlap_share))), 6),
        "explanation": finding.explanation,
        "remedy": finding.remedy,
        "figures": _json(finding.figures),
    }


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK])


def _why_resolved(row: Conflict, by_id: dict[int, Candidate], statuses: dict[int, str]) -> str:
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
    existing: Iterable[Conflict],
    candidates: Sequence[Candidate],
    *,
    now: datetime.datetime,
    notify: bool = True,
) -> ScanResult:
    result = ScanResult(candidates=len(candidates), findings=len(findings))
    by_id = {c.id: c for c in candidates}
    current = {row.identity: row for row in existing}
    seen: set[str] = set()
    new_rows: list[Conflict] = []
    changed: list[Conflict] = []
    for finding in findings:
        key = identity_of(finding)
        if key in seen:
            continue
        seen.add(key)
        values = _values(finding)
        row = current.get(key)
        if row is None:
            # The engine names only the candidates it was given, all of them in `by_id`.
            group = by_id[finding.a].group_id
            new_rows.append(
                Conflict(
                    identity=key,
                    kind=str(finding.kind),
                    experiment_a_id=finding.a,
                    experiment_b_id=finding.b,
                    working_group_id=group,
                    status=ConflictStatus.OPEN,
                    opened_at=now,
                    updated_at=now,
                    **values,
                )
            )
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            changed.append(row)
    stale = [row for key, row in current.items() if key not in seen]
    if stale:
        gone = {
            i for row in stale for i in (row.experiment_a_id, row.experiment_b_id)
            if i is not None and i not in by_id
        }  # fmt: skip
        statuses = dict(Experiment.objects.filter(pk__in=gone).values_list("pk", "status"))
        for row in stale:
            row.status = ConflictStatus.RESOLVED
            row.resolved_at = row.updated_at = now
            row.resolved_reason = _why_resolved(row, by_id, statuses)
    if new_rows:
        result.opened = _insert(new_rows)
    if changed:
        Conflict.objects.bulk_update(changed, [*UPDATABLE, "updated_at"], batch_size=1000)
    if stale:
        Conflict.objects.bulk_update(
            stale, ["status", "resolved_at", "resolved_reason", "updated_at"], batch_size=1000
        )
    result.updated, result.resolved = len(changed), len(stale)
    if result.opened and notify:
        _queue_notices()
    return result


def _insert(rows: list[Conflict]) -> list[int]:
    """Write new conflicts; their ids.

    On PostgreSQL through COPY: a first scan of a large program opens ten thousand rows, and
    half of its time went into bulk_create turning them into UNNEST arrays in Python. COPY
    sends no signals, as bulk_create does not; the identities, unique among unresolved
    rows, find the ids again.
    """
    if connection.vendor != "postgresql":
        return [row.pk for row in Conflict.objects.bulk_create(rows, batch_size=1000) if row.pk]
    fields = [f for f in Conflict._meta.concrete_fields if not f.primary_key]
    json_columns = {f.attname for f in fields if isinstance(f, JSONField)}
    quote = connection.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(Conflict._meta.db_table), ", ".join(quote(f.column or f.attname) for f in fields)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [
                    json.dumps(value) if f.attname in json_columns else value
                    for f in fields
                    for value in (getattr(row, f.attname),)
                ]
            )
    identities = [row.identity for row in rows]
    return list(
        Conflict.objects.unresolved().filter(identity__in=identities).values_list("pk", flat=True)
    )


def _queue_notices() -> None:
    from apps.conflicts.tasks import send_conflict_notices

    transaction.on_commit(send_conflict_notices.delay, robust=True)


def conflicts_scan(*, today: datetime.date | None = None, notify: bool = True) -> ScanResult:
    """Compare every experiment in review, approved or running; open, update and resolve.

    `notify=False` leaves the owners' emails to the next scan (a bulk import, the bench).
    """
    now = timezone.now()
    with transaction.atomic():
        _lock()
        candidates = current_candidates(today=today)
        findings = detect(candidates)
        existing = list(Conflict.objects.unresolved())
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
        existing = list(
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
