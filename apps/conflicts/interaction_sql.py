"""Counting two experiments' shared units in the warehouse, for the interaction check.

When two experiments read the same data source and assignment query, one statement
counts the units exposed to both by (A arm, B arm) and, for a shared metric, each cell's
n, Σy and Σy²: a k × m table of a few rows, whatever the traffic. It is built from the
pull's own pieces (``apps.experiments.warehouse.compose``), so exposures are deduplicated,
multi-exposed units left out and events counted from exposure exactly as a pull does:

- ``pair_a`` / ``pair_b``: each experiment's units as the pull's ``pull_units`` finds
  them (one row per unit, its variant NULL when it saw several);
- ``pull_units``: the units in both, each with its two arms; the metric counts from the
  later of the two first exposures, once the unit is under both treatments;
- ``pull_event_values`` / ``pull_unit_values`` and the cells: the pull's, with B's arm
  standing where a segment would.

The statistics (``apps.stats.engine.interaction``) then run on those few numbers. No
Django here: the conflicts app calls ``interaction_check`` from its task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlglot import exp

from apps.experiments.warehouse import MetricQuery, Warehouse, WarehouseError
from apps.experiments.warehouse.compose import (
    _cells,
    _event_values,
    _unit_values,
    _units,
    finish,
    parameter,
)
from apps.experiments.warehouse.sql_text import (
    ASSIGNMENT_COLUMNS,
    METRIC_COLUMNS,
    parse_query,
    require_columns,
)
from apps.stats.engine import (
    AssignmentTable,
    Cell,
    Dependence,
    Interaction,
    StatsError,
    Verdict,
    assignment_dependence,
    interaction_effect,
    interaction_verdict,
)

B_ARM = "b_variant"  # B's arm rides in the column where the pull keeps a segment


@dataclass(frozen=True)
class PairRequest:
    """Two experiments on one source: their keys and arms (controls first), the window."""

    assignment_sql: str
    a_key: str
    b_key: str
    a_variants: tuple[str, ...]
    b_variants: tuple[str, ...]
    start: datetime
    end: datetime | None = None
    metric: MetricQuery | None = None


@dataclass(frozen=True)
class CellRow:
    a_arm: str
    b_arm: str
    n: int
    sum: float | None = None
    sum_squares: float | None = None


@dataclass(frozen=True)
class PairCheck:
    """What the check found: the counts, both tests where they could run, the verdict."""

    rows: tuple[CellRow, ...]
    shared_units: int
    dependence: Dependence | None
    interaction: Interaction | None
    verdict: Verdict
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "colour": str(self.verdict.colour), "rule": self.verdict.rule,
            "shared_units": self.shared_units, "notes": list(self.notes),
            "cells": [{"a_arm": r.a_arm, "b_arm": r.b_arm, "n": r.n} for r in self.rows],
            **self.verdict.figures,
        }  # fmt: skip


def _renamed(tree: exp.Expr, old: str, new: str) -> exp.Expr:
    marker = f"\x00{old}\x00"

    def rename(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Var) and node.this == marker:
            return parameter(new)
        return node

    return tree.transform(rename)


def _check(request: PairRequest) -> None:
    if request.a_key == request.b_key:
        raise WarehouseError("The interaction check needs two different experiments.")
    for name, arms in (("A", request.a_variants), ("B", request.b_variants)):
        if len(arms) < 2 or len(set(arms)) != len(arms):
            raise WarehouseError(f"Experiment {name} needs at least two distinct variants.")
    if request.start.tzinfo is None or (request.end is not None and request.end.tzinfo is None):
        raise WarehouseError("The check's start and end must carry a time zone.")
    if request.metric is not None and request.metric.kind not in ("binomial", "continuous"):
        raise WarehouseError("The interaction test takes a binomial or continuous metric.")


def pair_tree(request: PairRequest, dialect: str) -> exp.Select:
    """The statement as a sqlglot tree: cells by (A arm, B arm), with the metric's sums."""
    _check(request)
    assignment = parse_query(request.assignment_sql, dialect, what="assignment SQL")
    require_columns(assignment, ASSIGNMENT_COLUMNS, what="assignment SQL")
    column = exp.column
    units_a = _renamed(_units(assignment, [], []), "experiment_key", "a_key")
    units_b = _renamed(_units(assignment.copy(), [], []), "experiment_key", "b_key")
    later = exp.func(
        "GREATEST", column("first_exposure_at", "pa"), column("first_exposure_at", "pb")
    )
    both = (
        exp.select(
            exp.alias_(column("unit_id", "pa"), "unit_id"),
            exp.alias_(column("variant", "pa"), "variant"),
            exp.alias_(column("variant", "pb"), B_ARM),
            exp.alias_(later, "first_exposure_at"),
        )
        .from_(exp.to_table("pair_a").as_("pa"))
        .join(
            exp.to_table("pair_b").as_("pb"),
            on=exp.EQ(this=column("unit_id", "pb"), expression=column("unit_id", "pa")),
            join_type="INNER",
        )
        .where(
            exp.Not(this=exp.Is(this=column("variant", "pa"), expression=exp.null())),
            exp.Not(this=exp.Is(this=column("variant", "pb"), expression=exp.null())),
        )
    )
    metric = request.metric
    if metric is None:
        keys = [column("variant", "u"), column(B_ARM, "u")]
        tree = (
            exp.select(
                *(exp.alias_(k, k.name) for k in keys),
                exp.alias_(exp.func("COUNT", exp.Star()), "n"),
            )
            .from_(exp.to_table("pull_units").as_("u"))
            .group_by(*(k.copy() for k in keys))
        )
    else:
        tree = _cells(metric.kind, [B_ARM], with_covariate=False)
    tree = tree.with_("pair_a", as_=units_a).with_("pair_b", as_=units_b)
    tree = tree.with_("pull_units", as_=both)
    if metric is not None:
        events = parse_query(metric.sql, dialect, what=f"SQL of metric {metric.key}")
        require_columns(events, METRIC_COLUMNS[metric.kind], what=f"SQL of metric {metric.key}")
        tree = tree.with_("pull_event_values", as_=_event_values(events, metric.kind))
        tree = tree.with_("pull_unit_values", as_=_unit_values(metric.kind, [B_ARM]))
    return tree


def pair_cells(
    warehouse: Warehouse, request: PairRequest, *, timeout_s: float = 300
) -> tuple[CellRow, ...]:
    """Run the statement: one row per (A arm, B arm) with units in both, in arm order."""
    prepared = finish(pair_tree(request, warehouse.dialect), warehouse.dialect)
    end = request.end or datetime.now(UTC)
    values: dict[str, Any] = {"a_key": request.a_key, "b_key": request.b_key,
                              "start": request.start, "end": end}  # fmt: skip
    rows = warehouse.fetch(prepared.sql, prepared.bind(values), timeout_s=timeout_s)
    a_order = {v: i for i, v in enumerate(request.a_variants)}
    b_order = {v: i for i, v in enumerate(request.b_variants)}
    out = []
    for row in rows:
        a_arm, b_arm = str(row[0]), str(row[1])
        if a_arm not in a_order or b_arm not in b_order:
            continue  # an arm the design no longer has: its units tell nothing here
        sums = (None, None) if request.metric is None else tuple(
            0.0 if v is None else float(v) for v in row[3:5])  # fmt: skip
        out.append(CellRow(a_arm, b_arm, int(row[2]), *sums))
    return tuple(sorted(out, key=lambda r: (a_order[r.a_arm], b_order[r.b_arm])))


def _table(request: PairRequest, rows: Sequence[CellRow]) -> AssignmentTable:
    counts = {(r.a_arm, r.b_arm): r.n for r in rows}
    return AssignmentTable(
        request.a_variants,
        request.b_variants,
        tuple(tuple(counts.get((a, b), 0) for b in request.b_variants) for a in request.a_variants),
    )


def interaction_check(
    warehouse: Warehouse, request: PairRequest, *, timeout_s: float = 300
) -> PairCheck:
    """Count in the warehouse, then test dependence and interaction; never raises on data
    too thin to test: the notes say what could not be computed and the verdict uses the rest."""
    rows = pair_cells(warehouse, request, timeout_s=timeout_s)
    shared = sum(r.n for r in rows)
    notes: list[str] = []
    dependence = interaction = None
    if shared == 0:
        notes.append("No unit was exposed to both experiments: they cannot interact.")
    else:
        dependence = assignment_dependence(_table(request, rows))
        if request.metric is not None:
            try:
                cells = [Cell(r.a_arm, r.b_arm, r.n, r.sum or 0.0, r.sum_squares or 0.0)
                         for r in rows]  # fmt: skip
                interaction = interaction_effect(
                    cells, a_control=request.a_variants[0], b_control=request.b_variants[0]
                )
            except StatsError as error:
                notes.append(f"No interaction test: {error.message}")
    return PairCheck(
        rows=rows, shared_units=shared, dependence=dependence, interaction=interaction,
        verdict=interaction_verdict(dependence, interaction), notes=tuple(notes),
    )  # fmt: skip


__all__ = ["CellRow", "PairCheck", "PairRequest", "interaction_check", "pair_cells"]
