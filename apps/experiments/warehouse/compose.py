"""The pull's statement: one per metric, built once as a sqlglot tree, rendered per dialect.

Shape of the statement (names of its common table expressions):

- `pull_units`: the assignment query filtered to the experiment and to exposures in
  [start, end), one row per unit: its first exposure, its segment attributes (the smallest
  value when its exposure rows disagree, so every unit sits in exactly one segment value)
  and its variant, NULL when the unit was seen in more than one (multi-exposed).
- `pull_event_values`: for units with events at or after their first exposure and before
  `end`, the metric value (an inner join: only those units are aggregated a second time).
  Multi-exposed units are joined like the others (a condition on the unit alone in the
  join would turn DuckDB's hash join into a nested loop) and fall in the NULL variant.
- `pull_unit_values`: every unit with its value, 0 for units without events (LEFT JOIN).
- `pull_covariate`: for CUPED, each unit's pre-period value (missing → 0).
- `pull_cells`: n and the sums per variant × every segment attribute at once, a plain GROUP
  BY that warehouses parallelise, leaving a few hundred rows at most.
- the final SELECT rolls the cells up with GROUPING SETS ((variant), (variant, seg1), …):
  the whole population and each segment in one pass; GROUPING() tells the rows apart.

Multi-exposed units come out of the same statement: the row whose variant is NULL in the
(variant) grouping set counts them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from .contract import MetricQuery, PullRequest, WarehouseError
from .sql_text import (
    ASSIGNMENT_COLUMNS,
    COVARIATE_COLUMNS,
    METRIC_COLUMNS,
    output_columns,
    parse_query,
    require_columns,
)

# How each dialect's usual Python driver wants its parameters: psycopg and the Snowflake
# connector `%(name)s`, duckdb `$name`, the Trino client `?` in order, BigQuery `@name`.
PARAMETER_STYLES = {
    "postgres": "pyformat",
    "snowflake": "pyformat",
    "duckdb": "dollar",
    "trino": "qmark",
    "bigquery": "at",
}
# Segment columns are written unquoted, so each warehouse folds their case as it folds the
# admin's own SQL (PostgreSQL to lower, Snowflake to upper).
SEGMENT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# The generated SQL carries this marker where a parameter goes; the dialect's generator
# never sees a placeholder it might respell, and the marker cannot occur in admin SQL
# (parse_query refuses NUL characters).
_MARKER = re.compile("\x00([a-z_]+)\x00")


@dataclass(frozen=True)
class Statement:
    """A rendered statement and how to bind its parameters."""

    sql: str
    style: str
    order: tuple[str, ...]  # parameter names in the order their placeholders appear

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any] | list[Any]:
        if self.style == "qmark":
            return [values[name] for name in self.order]
        return {name: values[name] for name in dict.fromkeys(self.order)}


def statement(
    request: PullRequest, metric: MetricQuery, dialect: str, *, style: str | None = None
) -> Statement:
    """The statement that pulls one metric of `request`, in `dialect`."""
    tree = metric_tree(request, metric, dialect)
    return finish(tree, dialect, style=style)


def finish(tree: exp.Expr, dialect: str, *, style: str | None = None) -> Statement:
    """Render a tree built with `parameter()` markers in a dialect's parameter style
    (or in `style`, for a driver that differs from its dialect's usual one)."""
    style = style or PARAMETER_STYLES.get(dialect)
    if style is None or dialect not in PARAMETER_STYLES:
        raise WarehouseError(
            f"Unsupported dialect {dialect!r}: one of {', '.join(PARAMETER_STYLES)}."
        )
    sql = tree.sql(dialect=dialect, pretty=True)
    order = tuple(_MARKER.findall(sql))
    if style == "pyformat":
        # With parameters, psycopg reads every % as a placeholder: double the admin's.
        sql = sql.replace("%", "%%")
    placeholder = {
        "pyformat": lambda name: f"%({name})s",
        "dollar": lambda name: f"${name}",
        "at": lambda name: f"@{name}",
        "qmark": lambda name: "?",
    }[style]
    return Statement(_MARKER.sub(lambda m: placeholder(m.group(1)), sql), style, order)


def parameter(name: str) -> exp.Expr:
    return exp.Var(this=f"\x00{name}\x00")


def check_request(request: PullRequest) -> None:
    if not request.variants:
        raise WarehouseError("The experiment has no variants to pull.")
    if len(set(request.variants)) != len(request.variants):
        raise WarehouseError("The experiment names a variant twice.")
    if request.start.tzinfo is None or (request.end is not None and request.end.tzinfo is None):
        raise WarehouseError("The pull's start and end must carry a time zone.")
    if request.end is not None and request.end <= request.start:
        raise WarehouseError("The pull's end must come after its start.")
    for segment in request.segments:
        if not SEGMENT_NAME.fullmatch(segment):
            raise WarehouseError(
                f"Segment {segment!r} is not a column name (letters, digits and _)."
            )
        if segment.lower() in ASSIGNMENT_COLUMNS:
            raise WarehouseError(f"Segment {segment!r} is one of the assignment's own columns.")
    if len({s.lower() for s in request.segments}) != len(request.segments):
        raise WarehouseError("A segment is named twice.")


def metric_tree(request: PullRequest, metric: MetricQuery, dialect: str) -> exp.Select:
    """The pull's statement for one metric, as a sqlglot tree (see the module docstring)."""
    check_request(request)
    if metric.kind not in METRIC_COLUMNS:
        raise WarehouseError(f"Metric {metric.key}: unknown kind {metric.kind!r}.")
    assignment = parse_query(request.assignment_sql, dialect, what="assignment SQL")
    require_columns(assignment, ASSIGNMENT_COLUMNS, what="assignment SQL")
    returned = output_columns(assignment)
    absent = [s for s in request.segments if returned is not None and s.lower() not in returned]
    if absent:
        raise WarehouseError(
            f"The assignment SQL returns no column {', '.join(absent)} to break results down "
            f"by (it returns: {', '.join(returned or ())})."
        )
    events = parse_query(metric.sql, dialect, what=f"SQL of metric {metric.key}")
    require_columns(events, METRIC_COLUMNS[metric.kind], what=f"SQL of metric {metric.key}")
    covariate = None
    if metric.covariate_sql:
        covariate = parse_query(
            metric.covariate_sql, dialect, what=f"covariate SQL of metric {metric.key}"
        )
        require_columns(covariate, COVARIATE_COLUMNS, what=f"covariate SQL of metric {metric.key}")

    segments = [f"segment_{i}" for i in range(1, len(request.segments) + 1)]
    units = _units(assignment, request.segments, segments)
    cells = _cells(metric.kind, segments, with_covariate=covariate is not None)
    tree = cells if not segments else _rollup(metric.kind, segments, covariate is not None)
    tree = (
        tree.with_("pull_units", as_=units)
        .with_("pull_event_values", as_=_event_values(events, metric.kind))
        .with_("pull_unit_values", as_=_unit_values(metric.kind, segments))
    )
    if covariate is not None:
        tree = tree.with_("pull_covariate", as_=_covariate(covariate))
    if segments:
        tree = tree.with_("pull_cells", as_=cells)
    return tree


def _units(assignment: exp.Query, attributes: Sequence[str], segments: list[str]) -> exp.Select:
    column = exp.column
    first_variant = exp.func("MIN", column("variant", "a"))
    only_variant = exp.case().when(
        exp.EQ(this=first_variant, expression=exp.func("MAX", column("variant", "a"))),
        first_variant.copy(),
    )
    select = exp.select(
        exp.alias_(column("unit_id", "a"), "unit_id"),
        exp.alias_(only_variant, "variant"),
        exp.alias_(exp.func("MIN", column("first_exposure_at", "a")), "first_exposure_at"),
        *(
            exp.alias_(exp.func("MIN", column(attribute, "a")), segment)
            for attribute, segment in zip(attributes, segments, strict=True)
        ),
    )
    return (
        select.from_(assignment.subquery("a"))
        .where(
            exp.EQ(this=column("experiment_key", "a"), expression=parameter("experiment_key")),
            exp.GTE(this=column("first_exposure_at", "a"), expression=parameter("start")),
            exp.LT(this=column("first_exposure_at", "a"), expression=parameter("end")),
            exp.Not(this=exp.Is(this=column("unit_id", "a"), expression=exp.null())),
            exp.Not(this=exp.Is(this=column("variant", "a"), expression=exp.null())),
        )
        .group_by(column("unit_id", "a"))
    )


def _double(expression: exp.Expr) -> exp.Expr:
    # Per-unit values as doubles: integer sums of squares overflow and numeric sums are slow.
    return exp.cast(expression, exp.DataType.build("DOUBLE"))


def _event_values(events: exp.Query, kind: str) -> exp.Select:
    """Per unit with events in its window: y (and d for a ratio).

    Only units with events are aggregated here (an inner join): most metrics touch few
    units, and aggregating every exposed unit a second time would double the pull's work.
    """
    column = exp.column
    if kind == "binomial":
        # A unit converts with any event whose value is positive or NULL ("it happened").
        converted = (
            exp.case()
            .when(
                exp.or_(
                    exp.Is(this=column("value", "m"), expression=exp.null()),
                    exp.GT(this=column("value", "m"), expression=exp.Literal.number(0)),
                ),
                exp.Literal.number(1),
            )
            .else_(exp.Literal.number(0))
        )
        values = [exp.alias_(_double(exp.func("MAX", converted)), "y")]
    elif kind == "continuous":
        values = [exp.alias_(_double(exp.func("SUM", column("value", "m"))), "y")]
    else:
        values = [
            exp.alias_(_double(exp.func("SUM", column("numerator", "m"))), "y"),
            exp.alias_(_double(exp.func("SUM", column("denominator", "m"))), "d"),
        ]
    joined = exp.and_(
        exp.EQ(this=column("unit_id", "m"), expression=column("unit_id", "u")),
        exp.GTE(this=column("ts", "m"), expression=column("first_exposure_at", "u")),
        exp.LT(this=column("ts", "m"), expression=parameter("end")),
    )
    return (
        exp.select(exp.alias_(column("unit_id", "u"), "unit_id"), *values)
        .from_(exp.to_table("pull_units").as_("u"))
        .join(events.subquery("m"), on=joined, join_type="INNER")
        .group_by(column("unit_id", "u"))
    )


def _unit_values(kind: str, segments: list[str]) -> exp.Select:
    """Every unit with its variant, segments and value; 0 without events (LEFT JOIN)."""
    column = exp.column
    keys = [column("unit_id", "u"), column("variant", "u"), *(column(s, "u") for s in segments)]
    names = ["y", "d"] if kind == "ratio" else ["y"]
    return (
        exp.select(
            *(exp.alias_(k, k.name) for k in keys),
            *(
                exp.alias_(exp.func("COALESCE", column(name, "e"), exp.Literal.number(0)), name)
                for name in names
            ),
        )
        .from_(exp.to_table("pull_units").as_("u"))
        .join(
            exp.to_table("pull_event_values").as_("e"),
            on=exp.EQ(this=column("unit_id", "e"), expression=column("unit_id", "u")),
            join_type="LEFT",
        )
    )


def _covariate(covariate: exp.Query) -> exp.Select:
    return (
        exp.select(
            exp.alias_(exp.column("unit_id", "c"), "unit_id"),
            exp.alias_(_double(exp.func("SUM", exp.column("value", "c"))), "x"),
        )
        .from_(covariate.subquery("c"))
        .group_by(exp.column("unit_id", "c"))
    )


def _sums(kind: str, with_covariate: bool) -> list[tuple[str, exp.Expr]]:
    """(name, per-unit expression) of every sum the statement returns after n."""

    def product(a: exp.Expr, b: exp.Expr) -> exp.Expr:
        return exp.Mul(this=a, expression=b)

    y = exp.column("y", "v")
    sums: list[tuple[str, exp.Expr]] = [("sum", y), ("sum_squares", product(y, y.copy()))]
    if with_covariate:
        x = exp.func("COALESCE", exp.column("x", "c"), exp.Literal.number(0))
        sums += [
            ("pre_sum", x),
            ("pre_sum_squares", product(x.copy(), x.copy())),
            ("sum_product", product(y.copy(), x.copy())),
        ]
    if kind == "ratio":
        d = exp.column("d", "v")
        sums += [
            ("denominator_sum", d),
            ("denominator_sum_squares", product(d.copy(), d.copy())),
            ("cross_sum", product(y.copy(), d.copy())),
        ]
    return sums


def sum_names(kind: str, with_covariate: bool) -> list[str]:
    """The SufficientRow fields the statement returns after n, in its column order."""
    return [name for name, _ in _sums(kind, with_covariate)]


# The statement's own column names for those fields: `sum` would shadow the function.
ALIASES = {
    "n": "n",
    "sum": "y_sum",
    "sum_squares": "y_squares",
    "pre_sum": "x_sum",
    "pre_sum_squares": "x_squares",
    "sum_product": "xy_sum",
    "denominator_sum": "d_sum",
    "denominator_sum_squares": "d_squares",
    "cross_sum": "yd_sum",
}


def _cells(kind: str, segments: list[str], *, with_covariate: bool) -> exp.Select:
    keys = [exp.column("variant", "v"), *(exp.column(s, "v") for s in segments)]
    select = (
        exp.select(
            *(exp.alias_(k, k.name) for k in keys),
            exp.alias_(exp.func("COUNT", exp.Star()), "n"),
            *(
                exp.alias_(exp.func("SUM", e), ALIASES[name])
                for name, e in _sums(kind, with_covariate)
            ),
        )
        .from_(exp.to_table("pull_unit_values").as_("v"))
        .group_by(*(k.copy() for k in keys))
    )
    if with_covariate:
        select = select.join(
            exp.to_table("pull_covariate").as_("c"),
            on=exp.EQ(this=exp.column("unit_id", "c"), expression=exp.column("unit_id", "v")),
            join_type="LEFT",
        )
    return select


def _rollup(kind: str, segments: list[str], with_covariate: bool) -> exp.Select:
    column = exp.column
    sets = [
        exp.Tuple(expressions=[column("variant", "pc")]),
        *(exp.Tuple(expressions=[column("variant", "pc"), column(s, "pc")]) for s in segments),
    ]
    names = [ALIASES[name] for name in ("n", *sum_names(kind, with_covariate))]
    return (
        exp.select(
            exp.alias_(column("variant", "pc"), "variant"),
            *(exp.alias_(column(s, "pc"), s) for s in segments),
            *(
                exp.alias_(exp.func("GROUPING", column(s, "pc")), f"grouping_{i}")
                for i, s in enumerate(segments, start=1)
            ),
            *(exp.alias_(exp.func("SUM", column(name, "pc")), name) for name in names),
        )
        .from_(exp.to_table("pull_cells").as_("pc"))
        .group_by(exp.GroupingSets(expressions=sets))
    )
