"""The PostgreSQL adapter only reads, gives up on time, and never shows its URL."""

from __future__ import annotations

import socket
from dataclasses import replace

import psycopg
import pytest
from psycopg import sql

from apps.experiments.warehouse import (
    MetricQuery,
    PostgresWarehouse,
    WarehouseError,
    WarehouseTimeout,
    WarehouseUnavailable,
    probe_metric,
    pull,
    warehouse_for,
)

from . import scenario as sc
from .conftest import URL_ENV, warehouse_test_url

pytestmark = pytest.mark.postgres

ASSIGNMENT = "SELECT experiment_key, unit_id, variant, first_exposure_at FROM {}.exposures"


def _count(schema: str, table: str) -> int:
    with psycopg.connect(warehouse_test_url()) as connection:
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)
        )
        return connection.execute(query).fetchone()[0]


@pytest.mark.parametrize(
    "statement",
    [
        "WITH gone AS (DELETE FROM {s}.events RETURNING unit_id) SELECT count(*) FROM gone",
        "INSERT INTO {s}.events (unit_id, ts) VALUES (1, now()) RETURNING unit_id",
        "UPDATE {s}.events SET value = 0 RETURNING unit_id",
        "CREATE TABLE {s}.stolen AS SELECT 1 AS x",
    ],
)
def test_the_database_refuses_a_statement_that_writes(pg, pg_schema, raw, statement):
    with pytest.raises(WarehouseError, match="read-only transaction"):
        pg.fetch(statement.format(s=pg_schema), {}, timeout_s=10)
    assert _count(pg_schema, "events") == len(raw.events)


def test_a_pull_whose_metric_hides_a_delete_leaves_every_row(pg, pg_schema, raw):
    writing = MetricQuery(
        "revenue",
        "continuous",
        f"WITH gone AS (DELETE FROM {pg_schema}.events RETURNING unit_id, ts, value) "
        "SELECT unit_id, ts, value FROM gone",
    )
    request = sc.request(ASSIGNMENT.format(pg_schema), (writing,))
    with pytest.raises(WarehouseError, match="DELETE"):
        pull(pg, replace(request, segments=()))
    assert _count(pg_schema, "events") == len(raw.events)


def test_a_statement_past_its_timeout_is_cancelled(pg):
    with pytest.raises(WarehouseTimeout, match=r"timed out after 0\.2 s"):
        pg.fetch("SELECT pg_sleep(5)", {}, timeout_s=0.2)
    # The connection is usable again after the cancelled transaction.
    assert pg.fetch("SELECT 1", {}, timeout_s=5) == [(1,)]


def test_every_statement_runs_read_only_with_its_own_timeout(pg):
    assert pg.fetch("SHOW transaction_read_only", {}, timeout_s=5) == [("on",)]
    assert pg.fetch("SHOW statement_timeout", {}, timeout_s=2.5) == [("2500ms",)]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_says_so_without_the_url_or_password(monkeypatch):
    password = "s3cr3t-Pa55word"
    url = f"postgres://reader:{password}@127.0.0.1:{_closed_port()}/warehouse"
    monkeypatch.setenv("EXPR_TEST_WAREHOUSE_DOWN", url)
    warehouse = warehouse_for("postgresql", {"url_env": "EXPR_TEST_WAREHOUSE_DOWN"})
    with pytest.raises(WarehouseUnavailable) as raised:
        warehouse.fetch("SELECT 1", {}, timeout_s=5)
    message = str(raised.value)
    assert "Cannot connect to the PostgreSQL warehouse named by EXPR_TEST_WAREHOUSE_DOWN" in message
    assert "refused" in message.lower()
    assert password not in message and url not in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_refused_login_is_reported_without_the_password(monkeypatch):
    """The server's own message names the user, never the password."""
    parts = psycopg.conninfo.conninfo_to_dict(warehouse_test_url())
    password = "not-the-password-%41"
    host, port = parts.get("host", "127.0.0.1"), parts.get("port", "5432")
    url = f"postgres://expr_nobody:{password}@{host}:{port}/{parts.get('dbname', 'postgres')}"
    monkeypatch.setenv("EXPR_TEST_WAREHOUSE_WRONG", url)
    warehouse = PostgresWarehouse("EXPR_TEST_WAREHOUSE_WRONG")
    with pytest.raises(WarehouseUnavailable) as raised:
        warehouse.fetch("SELECT 1", {}, timeout_s=5)
    message = str(raised.value)
    assert "expr_nobody" in message
    assert password not in message and "not-the-password-A" not in message


def test_an_unset_environment_variable_names_the_variable(monkeypatch):
    monkeypatch.delenv("EXPR_TEST_WAREHOUSE_UNSET", raising=False)
    warehouse = warehouse_for("postgresql", {"url_env": "EXPR_TEST_WAREHOUSE_UNSET"})
    with pytest.raises(WarehouseUnavailable, match=r"EXPR_TEST_WAREHOUSE_UNSET.*not set"):
        warehouse.fetch("SELECT 1", {}, timeout_s=5)


def test_probe_counts_the_rows_a_metric_returns(pg, pg_schema):
    metric = MetricQuery(
        "revenue", "continuous", f"SELECT unit_id, ts, value FROM {pg_schema}.events"
    )
    assert probe_metric(pg, ASSIGNMENT.format(pg_schema), metric) == 100


def test_probe_reports_a_missing_column_in_the_databases_words(pg, pg_schema):
    metric = MetricQuery(
        "revenue", "continuous", f"SELECT unit_id, ts, revenue AS value FROM {pg_schema}.events"
    )
    with pytest.raises(WarehouseError, match='column "revenue" does not exist'):
        probe_metric(pg, ASSIGNMENT.format(pg_schema), metric)


def test_probe_reports_a_unit_id_of_another_type(pg, pg_schema):
    metric = MetricQuery(
        "revenue",
        "continuous",
        f"SELECT CAST(unit_id AS text) AS unit_id, ts, value FROM {pg_schema}.events",
    )
    with pytest.raises(WarehouseError, match="operator does not exist: bigint = text"):
        probe_metric(pg, ASSIGNMENT.format(pg_schema), metric)


def test_the_url_is_read_from_the_environment_at_connect_time(monkeypatch, pg_schema):
    warehouse = warehouse_for("postgresql", {"url_env": URL_ENV})
    monkeypatch.setenv(URL_ENV, warehouse_test_url())
    try:
        assert warehouse.fetch("SELECT 41 + 1", {}, timeout_s=5) == [(42,)]
    finally:
        warehouse.close()


def test_probe_passes_a_percent_sign_through_intact(pg, pg_schema):
    metric = MetricQuery(
        "revenue",
        "continuous",
        f"SELECT unit_id, ts, value FROM {pg_schema}.events WHERE 'a%' LIKE 'a%%'",
    )
    assert probe_metric(pg, ASSIGNMENT.format(pg_schema), metric) == 100


def test_a_pull_session_keeps_its_per_unit_aggregate_in_memory(pg):
    # At the server's default work_mem the per-unit GROUP BY spills to disk in batches.
    assert pg.fetch("SHOW work_mem", {}, timeout_s=10) == [("256MB",)]
    smaller = PostgresWarehouse(URL_ENV, work_mem_mb=64)
    try:
        assert smaller.fetch("SHOW work_mem", {}, timeout_s=10) == [("64MB",)]
    finally:
        smaller.close()


def test_a_pull_session_compiles_but_never_optimises_its_statements(pg):
    # The planner's guesses for a pull run to billions of rows, past the cost at which
    # LLVM would spend most of a second inlining and optimising.
    assert pg.fetch("SHOW jit_inline_above_cost", {}, timeout_s=10) == [("-1",)]
    assert pg.fetch("SHOW jit_optimize_above_cost", {}, timeout_s=10) == [("-1",)]
    with psycopg.connect(warehouse_test_url()) as plain:
        server = plain.execute("SHOW jit_above_cost").fetchall()
    assert pg.fetch("SHOW jit_above_cost", {}, timeout_s=10) == server
    assert pg.fetch("SHOW TimeZone", {}, timeout_s=10) == [("UTC",)]
