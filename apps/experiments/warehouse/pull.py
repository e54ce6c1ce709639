"""Running the pull's statements and turning their few rows into SufficientRows."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlglot import exp

from .compose import PARAMETER_STYLES, Statement, finish, parameter, statement, sum_names
from .contract import (
    MetricPull,
    MetricQuery,
    PullRequest,
    SufficientRow,
    Warehouse,
    WarehouseError,
)
from .sql_text import (
    ASSIGNMENT_COLUMNS,
    COVARIATE_COLUMNS,
    METRIC_COLUMNS,
    parse_query,
    require_columns,
)

PROBE_ROWS = 100


def render(request: PullRequest, metric: MetricQuery, dialect: str) -> str:
    """The statement that pulls `metric`, in `dialect` with that dialect's placeholders.

    The admin's SQL is read in the same dialect: it was written for that warehouse.
    """
    return statement(request, metric, dialect).sql


def pull(warehouse: Warehouse, request: PullRequest, *, timeout_s: float = 300) -> list[MetricPull]:
    """Run one statement per metric; each returns the whole population and every segment.

    `end=None` means now, fixed once so that every metric counts the same exposures.
    A requested variant without units still gets a whole-population row with n = 0.
    """
    end = request.end or datetime.now(UTC)
    values = {"experiment_key": request.experiment_key, "start": request.start, "end": end}
    pulls = []
    for metric in request.metrics:
        prepared = statement(request, metric, warehouse.dialect)
        started = time.perf_counter()
        rows = warehouse.fetch(prepared.sql, prepared.bind(values), timeout_s=timeout_s)
        seconds = time.perf_counter() - started
        sufficient, multi_exposed = _read(rows, request, metric)
        pulls.append(MetricPull(metric.key, sufficient, multi_exposed, seconds, prepared.sql))
    return pulls


def _number(value: Any) -> float:
    # PostgreSQL returns Decimal for sums of numerics and None for a sum over no rows.
    return 0.0 if value is None else float(value)


def _read(
    rows: list[tuple[Any, ...]], request: PullRequest, metric: MetricQuery
) -> tuple[tuple[SufficientRow, ...], int]:
    segments = request.segments
    names = ["n", *sum_names(metric.kind, bool(metric.covariate_sql))]
    wanted = set(request.variants)
    whole: dict[str, SufficientRow] = {}
    by_segment: list[SufficientRow] = []
    multi_exposed = 0
    for row in rows:
        variant, values = row[0], row[1 : 1 + len(segments)]
        grouped = row[1 + len(segments) : 1 + 2 * len(segments)]
        sums = dict(zip(names, row[1 + 2 * len(segments) :], strict=True))
        # Which grouping set the row belongs to: the one segment not rolled up, if any.
        segment_index = next((i for i, g in enumerate(grouped) if int(g) == 0), None)
        if variant is None:
            if segment_index is None:
                multi_exposed += int(sums["n"])
            continue
        variant = str(variant)
        if variant not in wanted:
            continue
        fields = {name: _number(sums[name]) for name in names[1:]}
        segment = None if segment_index is None else segments[segment_index]
        raw_value = None if segment_index is None else values[segment_index]
        sufficient = SufficientRow(
            metric=metric.key,
            variant=variant,
            segment=segment,
            segment_value=None if raw_value is None else str(raw_value),
            n=int(sums["n"]),
            **fields,
        )
        if segment is None:
            whole[variant] = sufficient
        else:
            by_segment.append(sufficient)
    empty = {name: 0.0 for name in names[1:]}
    ordered = [
        whole.get(v)
        or SufficientRow(
            metric=metric.key, variant=v, segment=None, segment_value=None, n=0, **empty
        )
        for v in request.variants
    ]
    order = {v: i for i, v in enumerate(request.variants)}
    by_segment.sort(
        key=lambda r: (
            segments.index(r.segment or ""),
            r.segment_value is None,
            r.segment_value or "",
            order[r.variant],
        )
    )
    return tuple(ordered + by_segment), multi_exposed


def _run(
    warehouse: Warehouse, tree: exp.Expr, values: dict[str, Any], timeout_s: float
) -> list[tuple[Any, ...]]:
    prepared: Statement = finish(tree, warehouse.dialect)
    return warehouse.fetch(prepared.sql, prepared.bind(values), timeout_s=timeout_s)


def probe_metric(
    warehouse: Warehouse, assignment_sql: str, metric: MetricQuery, *, timeout_s: float = 30
) -> int:
    """How many rows the metric's SQL returns, up to PROBE_ROWS: "compiles and returns rows".

    Two statements. The first is planned but reads nothing (WHERE 1 = 0): the metric
    joined to the assignment as the pull joins them, so a missing column, a unit_id of
    another type or a non-numeric value fails with the database's own message. The second
    reads the first rows of the metric (and of its covariate), with LIMIT.
    """
    dialect = warehouse.dialect
    if dialect not in PARAMETER_STYLES:
        raise WarehouseError(f"Unsupported dialect {dialect!r}.")
    assignment = parse_query(assignment_sql, dialect, what="assignment SQL")
    require_columns(assignment, ASSIGNMENT_COLUMNS, what="assignment SQL")
    events = parse_query(metric.sql, dialect, what=f"SQL of metric {metric.key}")
    require_columns(events, METRIC_COLUMNS[metric.kind], what=f"SQL of metric {metric.key}")
    value_columns = [c for c in METRIC_COLUMNS[metric.kind] if c not in ("unit_id", "ts")]
    column = exp.column
    compiles = (
        exp.select(
            *(exp.func("SUM", column(c, "m")) for c in value_columns),
            exp.func("MIN", column("ts", "m")),
        )
        .from_(events.subquery("m"))
        .join(
            assignment.subquery("a"),
            on=exp.and_(
                exp.EQ(this=column("unit_id", "a"), expression=column("unit_id", "m")),
                exp.GTE(this=column("ts", "m"), expression=column("first_exposure_at", "a")),
            ),
        )
        .where(exp.EQ(this=exp.Literal.number(1), expression=exp.Literal.number(0)))
    )
    _run(warehouse, compiles, {}, timeout_s)
    first_rows = (
        exp.select(*(column(c, "m") for c in METRIC_COLUMNS[metric.kind]))
        .from_(events.subquery("m"))
        .limit(PROBE_ROWS)
    )
    returned = len(_run(warehouse, first_rows, {}, timeout_s))
    if metric.covariate_sql:
        covariate = parse_query(
            metric.covariate_sql, dialect, what=f"covariate SQL of metric {metric.key}"
        )
        require_columns(covariate, COVARIATE_COLUMNS, what=f"covariate SQL of metric {metric.key}")
        checked = exp.select(
            exp.func("SUM", column("value", "c")), exp.func("COUNT", exp.Star())
        ).from_(
            exp.select(column("unit_id", "c"), column("value", "c"))
            .from_(covariate.subquery("c"))
            .limit(PROBE_ROWS)
            .subquery("c")
        )
        _run(warehouse, checked, {}, timeout_s)
    return returned


def daily_traffic(
    warehouse: Warehouse,
    assignment_sql: str,
    *,
    days: int = 28,
    now: datetime | None = None,
    timeout_s: float = 60,
) -> float:
    """Distinct units exposed over the last `days` days, per day, across the source's
    experiments: the rate at which a new experiment on this source would gain units."""
    if days < 1:
        raise WarehouseError("Traffic is measured over at least one day.")
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise WarehouseError("`now` must carry a time zone.")
    assignment = parse_query(assignment_sql, warehouse.dialect, what="assignment SQL")
    require_columns(assignment, ASSIGNMENT_COLUMNS, what="assignment SQL")
    column = exp.column
    tree = (
        exp.select(exp.func("COUNT", exp.Distinct(expressions=[column("unit_id", "a")])))
        .from_(assignment.subquery("a"))
        .where(
            exp.GTE(this=column("first_exposure_at", "a"), expression=parameter("start")),
            exp.LT(this=column("first_exposure_at", "a"), expression=parameter("end")),
        )
    )
    values = {"start": now - timedelta(days=days), "end": now}
    rows = _run(warehouse, tree, values, timeout_s)
    return float(rows[0][0] or 0) / days


def check_connection(warehouse: Warehouse, *, timeout_s: float = 10) -> None:
    """Raise WarehouseError unless the warehouse answers a trivial query."""
    _run(warehouse, exp.select(exp.Literal.number(1)), {}, timeout_s)
