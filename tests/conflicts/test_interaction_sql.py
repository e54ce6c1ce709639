"""The interaction check's counts, computed in DuckDB, against the same sums taken in Python."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import numpy as np
import pytest

from apps.conflicts.interaction_sql import PairRequest, interaction_check, pair_cells
from apps.experiments.warehouse import MetricQuery, WarehouseError, warehouse_for
from apps.experiments.warehouse.demo_data import build_demo_warehouse

START = datetime(2027, 3, 1, tzinfo=UTC)
END = datetime(2027, 3, 29, tzinfo=UTC)
ASSIGNMENT = "SELECT experiment_key, unit_id, variant, first_exposure_at FROM exposures"
REVENUE = MetricQuery("revenue", "continuous", "SELECT unit_id, ts, value FROM events")
BOUGHT = MetricQuery("bought", "binomial", "SELECT unit_id, ts, value FROM events")
B_ARMS = ("control", "fast", "faster")


def _naive(moment: datetime) -> np.datetime64:
    return np.datetime64(moment.replace(tzinfo=None), "s")


def _scenario(seed: int, *, interaction: float, dependent: bool, units: int = 6000):
    """Exposures and events of A (2 arms) and B (3 arms) on shared units, and the cells a
    correct statement must return, computed here unit by unit."""
    rng = np.random.default_rng(seed)
    ids = np.arange(units)
    a = rng.integers(0, 2, units)
    b = rng.integers(0, 3, units)
    if dependent:  # B's hash leaks A's arm: A-treated units get B's control far less often
        b = np.where((a == 1) & (b == 0) & (rng.random(units) < 0.5), 1, b)
    in_b = rng.random(units) < 0.7
    crossed = rng.random(units) < 0.02  # A exposed in both arms: left out
    seconds = int((END - START).total_seconds()) - 86400 * 3
    a_at = _naive(START) + rng.integers(0, seconds, units).astype("timedelta64[s]")
    b_at = _naive(START) + rng.integers(0, seconds, units).astype("timedelta64[s]")
    exposures = {
        "experiment_key": ["a"] * units + ["a"] * int(crossed.sum()) + ["b"] * int(in_b.sum())
        + ["b"] * 50 + ["b"] * 10,
        "unit_id": np.concatenate([ids, ids[crossed], ids[in_b], units + np.arange(50),
                                   ids[in_b][:10]]),
        "variant": np.concatenate([np.array(["control", "treatment"])[a],
                                   np.array(["treatment", "control"])[a[crossed]],
                                   np.array(B_ARMS)[b[in_b]], ["fast"] * 50,
                                   np.array(B_ARMS)[b[in_b][:10]]]).astype(object),
        # B's repeat exposures come later: the first one counts.
        "first_exposure_at": np.concatenate([a_at, a_at[crossed] + np.timedelta64(60, "s"),
                                             b_at[in_b], b_at[:50], b_at[in_b][:10]
                                             + np.timedelta64(3600, "s")]),
    }  # fmt: skip
    later = np.maximum(a_at, b_at)
    mean = 10 + 1.0 * a + 0.5 * b + interaction * (a == 1) * (b == 2)
    value = rng.normal(mean, 3.0)
    has_event = rng.random(units) < 0.8
    before = rng.random(units) < 0.1  # an event before the unit is in both: not counted
    event_at = later + np.where(before, -1, 1) * rng.integers(60, 3600, units).astype(
        "timedelta64[s]"
    )
    events = {
        "unit_id": np.concatenate([ids[has_event], ids[has_event]]),
        "ts": np.concatenate([event_at[has_event], _naive(END) + np.timedelta64(5, "s")
                              + np.zeros(int(has_event.sum()), dtype="timedelta64[s]")]),
        "value": np.concatenate([value[has_event], np.full(int(has_event.sum()), 1000.0)]),
    }  # fmt: skip
    counted = in_b & ~crossed
    y = np.where(has_event & ~before, value, 0.0)
    expected = {}
    for i, a_arm in enumerate(("control", "treatment")):
        for j, b_arm in enumerate(B_ARMS):
            cell = counted & (a == i) & (b == j)
            expected[(a_arm, b_arm)] = (int(cell.sum()), y[cell].sum(), (y[cell] ** 2).sum())
    return exposures, events, expected


def _warehouse(path, exposures, events):
    connection = duckdb.connect(str(path))
    connection.execute("CREATE TABLE exposures (experiment_key VARCHAR, unit_id BIGINT, "
                       "variant VARCHAR, first_exposure_at TIMESTAMP)")  # fmt: skip
    connection.execute("CREATE TABLE events (unit_id BIGINT, ts TIMESTAMP, value DOUBLE)")
    for table, columns in (("exposures", exposures), ("events", events)):
        connection.register("incoming", {k: np.asarray(v) for k, v in columns.items()})
        connection.execute(f"INSERT INTO {table} SELECT * FROM incoming")
        connection.unregister("incoming")
    connection.close()
    return warehouse_for("duckdb", {"path": str(path)})


@pytest.fixture(scope="module")
def interacting(tmp_path_factory):
    exposures, events, expected = _scenario(5, interaction=4.0, dependent=False)
    warehouse = _warehouse(tmp_path_factory.mktemp("pair") / "w.duckdb", exposures, events)
    yield warehouse, expected
    warehouse.close()


def _request(metric=REVENUE, **changes):
    fields = dict(assignment_sql=ASSIGNMENT, a_key="a", b_key="b",
                  a_variants=("control", "treatment"), b_variants=B_ARMS, start=START, end=END,
                  metric=metric)  # fmt: skip
    return PairRequest(**{**fields, **changes})


def test_it_counts_shared_units_and_sums_the_metric_per_cell_in_the_warehouse(interacting):
    warehouse, expected = interacting

    rows = pair_cells(warehouse, _request())

    assert [(r.a_arm, r.b_arm) for r in rows] == list(expected)
    for row in rows:
        n, total, squares = expected[(row.a_arm, row.b_arm)]
        assert row.n == n
        assert row.sum == pytest.approx(total, rel=1e-9)
        assert row.sum_squares == pytest.approx(squares, rel=1e-9)


def test_without_a_metric_it_counts_units_only(interacting):
    warehouse, expected = interacting

    rows = pair_cells(warehouse, _request(metric=None))

    assert {(r.a_arm, r.b_arm): r.n for r in rows} == {k: v[0] for k, v in expected.items()}
    assert all(r.sum is None for r in rows)


def test_a_strong_interaction_is_red_with_the_figures(interacting):
    warehouse, expected = interacting

    check = interaction_check(warehouse, _request())

    assert check.verdict.colour == "red"
    assert check.verdict.rule.startswith("Red: A's effect differs between B's arms")
    assert check.shared_units == sum(v[0] for v in expected.values())
    assert check.interaction is not None and check.interaction.test == "wald"
    faster = next(c for c in check.interaction.contrasts if c.b_arm == "faster")

    def mean(a_arm, b_arm):
        n, total, _ = expected[(a_arm, b_arm)]
        return total / n

    did = (mean("treatment", "faster") - mean("control", "faster")) - (
        mean("treatment", "control") - mean("control", "control"))  # fmt: skip
    assert faster.estimate == pytest.approx(did, rel=1e-9)
    assert check.interaction.p_value < 0.01
    figures = check.as_dict()
    assert figures["colour"] == "red" and figures["interaction"]["df"] == [2]
    assert figures["dependence"]["df"] == 2


def test_assignments_that_depend_on_each_other_are_red(tmp_path):
    exposures, events, _ = _scenario(9, interaction=0.0, dependent=True)
    warehouse = _warehouse(tmp_path / "w.duckdb", exposures, events)
    try:
        check = interaction_check(warehouse, _request(metric=BOUGHT))
    finally:
        warehouse.close()

    assert check.verdict.colour == "red"
    assert check.dependence is not None and check.dependence.p_value < 1e-6
    assert "assignments depend on each other" in check.verdict.rule


def test_experiments_without_shared_units_are_green_and_say_why(interacting):
    warehouse, _ = interacting

    check = interaction_check(warehouse, _request(b_key="nobody"))

    assert check.verdict.colour == "green" and check.shared_units == 0
    assert check.notes == ("No unit was exposed to both experiments: they cannot interact.",)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"b_key": "a"}, "two different experiments"),
        ({"b_variants": ("only",)}, "at least two distinct variants"),
        ({"metric": MetricQuery("r", "ratio", "SELECT unit_id, ts, numerator, denominator FROM e")},
         "binomial or continuous"),
    ],
)  # fmt: skip
def test_it_refuses_a_request_it_cannot_answer(interacting, changes, message):
    warehouse, _ = interacting

    with pytest.raises(WarehouseError, match=message):
        pair_cells(warehouse, _request(**changes))


def test_it_runs_on_the_demo_warehouse(tmp_path):
    # The demo's experiments each have their own visitors; a second checkout experiment
    # on the same visitors, split by its own hash, is what the conflicts demo shows.
    now = datetime(2025, 6, 1, 12, tzinfo=UTC)
    built = build_demo_warehouse(str(tmp_path / "demo.duckdb"), now=now, units_per_experiment=4000)
    first = built.experiment("checkout-redesign")
    connection = duckdb.connect(built.path)
    connection.execute(
        "INSERT INTO exposures SELECT 'express-pay', unit_id, "
        "CASE WHEN hash(unit_id) % 2 = 0 THEN 'control' ELSE 'express' END, "
        "first_exposure_at + INTERVAL 1 HOUR, country, platform, visitor_type "
        "FROM exposures WHERE experiment_key = 'checkout-redesign'"
    )
    connection.close()
    warehouse = warehouse_for("duckdb", built.config)
    metric = next(m for m in built.metrics if m.key == "conversion").query(cuped=False)
    request = PairRequest(
        assignment_sql=built.assignment_sql, a_key=first.key, b_key="express-pay",
        a_variants=tuple(name for name, _ in first.variants), b_variants=("control", "express"),
        start=first.start, end=now, metric=metric,
    )  # fmt: skip
    try:
        check = interaction_check(warehouse, request)
    finally:
        warehouse.close()

    assert 3500 < check.shared_units < 4000  # multi-exposed visitors are left out
    assert len(check.rows) == 4 and check.interaction is not None
    assert check.verdict.colour in {"green", "yellow", "red"}
    assert 0 <= check.interaction.p_value <= 1 and check.dependence is not None
    assert check.dependence.p_value > 1e-4  # independent hashes


@pytest.mark.parametrize("dialect", ["postgres", "duckdb", "trino", "snowflake", "bigquery"])
def test_the_statement_renders_in_every_warehouse_dialect(dialect):
    from apps.conflicts.interaction_sql import pair_tree
    from apps.experiments.warehouse.compose import finish

    prepared = finish(pair_tree(_request(), dialect), dialect)

    assert "GREATEST" in prepared.sql.upper()
    assert set(prepared.order) == {"a_key", "b_key", "start", "end"}
