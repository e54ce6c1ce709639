"""The DuckDB adapter only reads, gives up on time, and keeps to the files it was given."""

from __future__ import annotations

import duckdb
import pytest

from apps.experiments.warehouse import (
    DuckDBWarehouse,
    MetricQuery,
    WarehouseError,
    WarehouseTimeout,
    WarehouseUnavailable,
    probe_metric,
    pull,
    warehouse_for,
)

from . import scenario as sc

ASSIGNMENT = (
    "SELECT experiment_key, unit_id, variant, first_exposure_at, country, platform FROM exposures"
)
CROSS_JOIN = "SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range + b.range = 3"


def _rows(path: str, table: str) -> int:
    connection = duckdb.connect(path, read_only=True)
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO events (unit_id) VALUES (1)",
        "DELETE FROM events",
        "CREATE TABLE stolen AS SELECT 1 AS x",
    ],
)
def test_the_database_file_refuses_a_write(duck, duckdb_file, raw, statement):
    with pytest.raises(WarehouseError, match="read-only mode"):
        duck.fetch(statement, {}, timeout_s=10)
    duck.close()
    assert _rows(duckdb_file, "events") == len(raw.events)


def test_a_long_query_is_interrupted_at_its_timeout(duck):
    with pytest.raises(WarehouseTimeout, match=r"timed out after 0\.2 s"):
        duck.fetch(CROSS_JOIN, {}, timeout_s=0.2)
    assert duck.fetch("SELECT 42", {}, timeout_s=5) == [(42,)]


def test_a_timer_that_outlives_its_query_cancels_nothing_later(duck):
    import time

    assert duck.fetch("SELECT 1", {}, timeout_s=0.05) == [(1,)]
    time.sleep(0.1)
    assert duck.fetch("SELECT count(*) FROM range(3000000)", {}, timeout_s=30) == [(3000000,)]


def test_files_are_served_as_tables_and_nothing_else_is_readable(tmp_path, duckdb_file, raw):
    source = duckdb.connect(duckdb_file, read_only=True)
    exposures, events = tmp_path / "exposures.parquet", tmp_path / "events.csv"
    source.execute(f"COPY exposures TO '{exposures}' (FORMAT parquet)")
    source.execute(f"COPY events TO '{events}' (HEADER)")
    source.close()
    secret = tmp_path / "secret.csv"
    secret.write_text("token\nhunter2\n")
    warehouse = warehouse_for(
        "duckdb",
        {"path": ":memory:", "files": {"exposures": str(exposures), "events": str(events)}},
    )
    try:
        metric = MetricQuery("revenue", "continuous", "SELECT unit_id, ts, value FROM events")
        request = sc.request(ASSIGNMENT, (metric,))
        wanted, multi = sc.expected(raw, metric)
        pulled = pull(warehouse, request)[0]
        assert pulled.multi_exposed == multi
        sc.assert_rows_match(pulled.rows, wanted)
        for statement in (
            f"SELECT * FROM read_csv('{secret}')",
            f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
            "SET enable_external_access = true",
        ):
            with pytest.raises(WarehouseError, match=r"disabled by configuration|Cannot enable"):
                warehouse.fetch(statement, {}, timeout_s=5)
        assert not (tmp_path / "out.csv").exists()
    finally:
        warehouse.close()


def test_a_metric_cannot_read_files_beside_the_database(duck, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("unit_id,ts,value\n1,2024-03-02,7\n")
    metric = MetricQuery("leak", "continuous", f"SELECT * FROM read_csv('{secret}')")
    with pytest.raises(WarehouseError, match="disabled by configuration"):
        probe_metric(duck, ASSIGNMENT, metric)


def test_probe_reports_a_missing_column_in_the_databases_words(duck):
    metric = MetricQuery(
        "revenue", "continuous", "SELECT unit_id, ts, revenue AS value FROM events"
    )
    with pytest.raises(WarehouseError, match='Referenced column "revenue" not found'):
        probe_metric(duck, ASSIGNMENT, metric)


def test_probe_counts_rows_up_to_its_limit(duck):
    few = MetricQuery(
        "few", "ratio", "SELECT unit_id, ts, numerator, denominator FROM events LIMIT 7"
    )
    many = MetricQuery("many", "binomial", "SELECT unit_id, ts, value FROM events")
    assert probe_metric(duck, ASSIGNMENT, few) == 7
    assert probe_metric(duck, ASSIGNMENT, many) == 100


def test_probe_checks_the_covariate_too(duck):
    metric = MetricQuery(
        "revenue",
        "continuous",
        "SELECT unit_id, ts, value FROM events",
        covariate_sql="SELECT unit_id, amount AS value FROM pre_period",
    )
    with pytest.raises(WarehouseError, match='"amount" not found'):
        probe_metric(duck, ASSIGNMENT, metric)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"path": "/nonexistent/warehouse.duckdb"}, "not found"),
        ({"path": ":memory:", "files": {"events": "/nonexistent/events.parquet"}}, "not found"),
    ],
)
def test_a_missing_file_is_reported_as_unavailable(config, message):
    warehouse = warehouse_for("duckdb", config)
    with pytest.raises(WarehouseUnavailable, match=message):
        warehouse.fetch("SELECT 1", {}, timeout_s=5)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"bad name": "/x.parquet"}, "not a table name"),
        ({"events": "/x.json"}, "only .parquet and .csv"),
    ],
)
def test_it_refuses_files_it_cannot_serve(files, message):
    with pytest.raises(WarehouseError, match=message):
        DuckDBWarehouse(":memory:", files=files).fetch("SELECT 1", {}, timeout_s=5)


@pytest.mark.parametrize(
    ("kind", "config", "message"),
    [
        ("oracle", {}, "Unknown warehouse kind"),
        ("postgresql", {}, "lack 'url_env'"),
        ("duckdb", {}, "lack 'path'"),
    ],
)
def test_warehouse_for_names_what_is_wrong_with_the_settings(kind, config, message):
    with pytest.raises(WarehouseError, match=message):
        warehouse_for(kind, config)


def _database_with_a_view_over(tmp_path):
    lake = tmp_path / "lake"
    lake.mkdir()
    path = str(tmp_path / "views.duckdb")
    connection = duckdb.connect(path)
    connection.execute(f"COPY (SELECT 7 AS unit_id) TO '{lake / 'units.parquet'}' (FORMAT parquet)")
    connection.execute(
        f"CREATE VIEW units AS SELECT * FROM read_parquet('{lake / 'units.parquet'}')"
    )
    connection.close()
    return path, lake


def test_a_database_whose_views_read_files_needs_their_directory_allowed(tmp_path):
    path, lake = _database_with_a_view_over(tmp_path)
    closed = warehouse_for("duckdb", {"path": path})
    try:
        with pytest.raises(WarehouseError, match="disabled by configuration"):
            closed.fetch("SELECT unit_id FROM units", {}, timeout_s=5)
    finally:
        closed.close()
    opened = warehouse_for("duckdb", {"path": path, "allowed_directories": [str(lake)]})
    try:
        assert opened.fetch("SELECT unit_id FROM units", {}, timeout_s=5) == [(7,)]
        secret = tmp_path / "secret.csv"
        secret.write_text("token\nhunter2\n")
        with pytest.raises(WarehouseError, match="disabled by configuration"):
            opened.fetch(f"SELECT * FROM read_csv('{secret}')", {}, timeout_s=5)
    finally:
        opened.close()


def test_two_connections_to_one_file_share_its_settings_or_say_why_not(tmp_path):
    """DuckDB opens one instance per file in a process; its outside access is set once."""
    path, lake = _database_with_a_view_over(tmp_path)
    first = warehouse_for("duckdb", {"path": path, "allowed_directories": [str(lake)]})
    same = warehouse_for("duckdb", {"path": path, "allowed_directories": [str(lake)]})
    narrower = warehouse_for("duckdb", {"path": path})
    wider = warehouse_for("duckdb", {"path": path, "allowed_directories": [str(tmp_path)]})
    try:
        assert first.fetch("SELECT unit_id FROM units", {}, timeout_s=5) == [(7,)]
        assert same.fetch("SELECT unit_id FROM units", {}, timeout_s=5) == [(7,)]
        assert narrower.fetch("SELECT 1", {}, timeout_s=5) == [(1,)]
        with pytest.raises(WarehouseUnavailable, match="already open in this process"):
            wider.fetch("SELECT 1", {}, timeout_s=5)
    finally:
        for warehouse in (first, same, narrower, wider):
            warehouse.close()
