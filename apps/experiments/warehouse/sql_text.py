"""Reading admin-written SQL with sqlglot, and the checks a data source's form runs.

The admin's SQL is parsed in the warehouse's dialect and becomes a subquery of the pull's
statement; anything that is not a single read-only query is refused here, before the
database's own read-only guard ever sees it.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from .contract import METRIC_KINDS, WarehouseError

ASSIGNMENT_COLUMNS = ("experiment_key", "unit_id", "variant", "first_exposure_at")
METRIC_COLUMNS = {
    "binomial": ("unit_id", "ts", "value"),
    "continuous": ("unit_id", "ts", "value"),
    "ratio": ("unit_id", "ts", "numerator", "denominator"),
}
COVARIATE_COLUMNS = ("unit_id", "value")
DEFAULT_DIALECT = "postgres"

# Statements that change something, wherever they hide (a Postgres CTE may DELETE).
_WRITES = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.TruncateTable,
    exp.Command,
    exp.Copy,
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def parse_query(sql: str, dialect: str, *, what: str) -> exp.Query:
    """The admin's SQL as one sqlglot query, or WarehouseError with the parser's words.

    Refused: more than one statement, anything but a query, a write anywhere inside, and
    bind parameters (the pull binds its own, by name, and a stray `?` would shift them).
    """
    if not sql or not sql.strip():
        raise WarehouseError(f"The {what} is empty.")
    if "\x00" in sql:
        raise WarehouseError(f"The {what} contains a NUL character.")
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except (ParseError, TokenError) as error:
        message = _ANSI.sub("", str(error)).strip()
        raise WarehouseError(f"The {what} does not parse: {message}") from None
    if len(statements) != 1:
        raise WarehouseError(f"The {what} must be exactly one SELECT statement.")
    query = statements[0]
    if not isinstance(query, exp.Query):
        raise WarehouseError(
            f"The {what} must be a SELECT query, not {query.key.upper()}: "
            "the warehouse is only ever read."
        )
    write = next(query.find_all(*_WRITES), None)
    if write is not None:
        raise WarehouseError(
            f"The {what} contains a {write.key.upper()}: the warehouse is only ever read."
        )
    if next(query.find_all(exp.Placeholder, exp.Parameter), None) is not None:
        raise WarehouseError(
            f"The {what} contains a bind parameter: the pull binds the experiment key and "
            "dates itself; write other values literally."
        )
    return query


def output_columns(query: exp.Query) -> tuple[str, ...] | None:
    """The names a query returns, or None when a `*` makes them unknowable here."""
    select = query
    while isinstance(select, exp.SetOperation):
        select = select.this
    if not isinstance(select, exp.Select):
        return None
    if any(isinstance(e, exp.Star) or e.is_star for e in select.expressions):
        return None
    return tuple(name.lower() for name in select.named_selects)


def require_columns(query: exp.Query, required: tuple[str, ...], *, what: str) -> None:
    names = output_columns(query)
    if names is None:
        return
    missing = [c for c in required if c not in names]
    if missing:
        raise WarehouseError(
            f"The {what} must return the columns {', '.join(required)}; "
            f"missing: {', '.join(missing)} (returns: {', '.join(names) or 'nothing named'})."
        )


def check_assignment_sql(sql: str, *, dialect: str = DEFAULT_DIALECT) -> None:
    """Parse the assignment query; WarehouseError with the parser's message if it is wrong."""
    query = parse_query(sql, dialect, what="assignment SQL")
    require_columns(query, ASSIGNMENT_COLUMNS, what="assignment SQL")


def check_metric_sql(sql: str, kind: str, *, dialect: str = DEFAULT_DIALECT) -> None:
    """Parse a metric's SQL for its kind; WarehouseError with the parser's message if wrong."""
    if kind not in METRIC_KINDS:
        raise WarehouseError(f"Unknown metric kind {kind!r}: one of {', '.join(METRIC_KINDS)}.")
    query = parse_query(sql, dialect, what="metric SQL")
    require_columns(query, METRIC_COLUMNS[kind], what=f"{kind} metric SQL")


def check_covariate_sql(sql: str, *, dialect: str = DEFAULT_DIALECT) -> None:
    """Parse a metric's pre-period covariate SQL (for CUPED)."""
    query = parse_query(sql, dialect, what="covariate SQL")
    require_columns(query, COVARIATE_COLUMNS, what="covariate SQL")
