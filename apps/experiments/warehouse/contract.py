"""What the experiments app hands the warehouse package and what it gets back.

Plain dataclasses and one error family: the package imports no Django, so the app can
call it from a Celery task, a management command or a benchmark alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

METRIC_KINDS = ("binomial", "continuous", "ratio")


class WarehouseError(Exception):
    """A pull, probe or check failed; the message is meant for a person.

    It carries the database's or the parser's own text, never a connection URL or a
    password (the adapters scrub them).
    """


class WarehouseTimeout(WarehouseError):
    """The statement ran past its timeout and was cancelled."""


class WarehouseUnavailable(WarehouseError):
    """The warehouse could not be reached: worth retrying later, unlike a SQL error."""


@dataclass(frozen=True)
class MetricQuery:
    """A metric's SQL as an admin wrote it.

    `sql` returns `unit_id, ts, value` (binomial, continuous) or
    `unit_id, ts, numerator, denominator` (ratio); `covariate_sql` returns
    `unit_id, value` measured before the experiment, for CUPED.
    """

    key: str
    kind: str
    sql: str
    covariate_sql: str | None = None


@dataclass(frozen=True)
class PullRequest:
    """One experiment's pull: which exposures, which window, which breakdowns."""

    experiment_key: str
    assignment_sql: str
    variants: tuple[str, ...]
    start: datetime
    end: datetime | None
    segments: tuple[str, ...]
    metrics: tuple[MetricQuery, ...]


@dataclass(frozen=True)
class SufficientRow:
    """Sums over the units of one variant (and one segment value, if `segment` is set).

    `sum`/`sum_squares` are Σy and Σy² of the per-unit metric value (the numerator for a
    ratio); `pre_*` and `sum_product` are Σx, Σx², Σxy with x the CUPED covariate;
    `denominator_*` and `cross_sum` are Σd, Σd², Σyd of a ratio's per-unit denominator d.
    """

    metric: str
    variant: str
    segment: str | None
    segment_value: str | None
    n: int
    sum: float
    sum_squares: float
    pre_sum: float | None = None
    pre_sum_squares: float | None = None
    sum_product: float | None = None
    denominator_sum: float | None = None
    denominator_sum_squares: float | None = None
    cross_sum: float | None = None


@dataclass(frozen=True)
class MetricPull:
    """The rows of one metric, how many units were excluded, and what ran."""

    metric: str
    rows: tuple[SufficientRow, ...]
    multi_exposed: int
    seconds: float
    sql: str


Params = Mapping[str, Any] | Sequence[Any]


class Warehouse(Protocol):
    """A connection to a company's warehouse that only reads.

    `dialect` is the sqlglot dialect its SQL is written in; `fetch` runs one read-only
    statement with bound parameters (named or positional as the driver expects) and
    raises WarehouseError (WarehouseTimeout past `timeout_s`).
    """

    dialect: str

    def fetch(self, sql: str, params: Params, *, timeout_s: float) -> list[tuple[Any, ...]]: ...

    def close(self) -> None: ...
