"""The Trino adapter: no server here, so the client's connect call is replaced."""

from __future__ import annotations

import pytest
import trino.auth
import trino.exceptions

from apps.experiments.warehouse import (
    WarehouseError,
    WarehouseTimeout,
    WarehouseUnavailable,
    daily_traffic,
    warehouse_for,
)

CONFIG = {
    "host": "trino.internal",
    "port": 8443,
    "user": "expr_reader",
    "catalog": "hive",
    "schema": "analytics",
    "http_scheme": "https",
    "password_env": "EXPR_TEST_TRINO_PASSWORD",
}
PASSWORD = "trino-pa55-word"


class FakeCursor:
    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql, params=None):
        self.connection.executed.append((sql, params))
        if self.connection.error is not None:
            raise self.connection.error

    def fetchall(self):
        return [[12.5]]


class FakeConnection:
    def __init__(self, error=None):
        self.executed = []
        self.error = error
        self.closed = False

    def cursor(self):
        return FakeCursor(self)

    def close(self):
        self.closed = True


@pytest.fixture
def connect(monkeypatch):
    monkeypatch.setenv("EXPR_TEST_TRINO_PASSWORD", PASSWORD)
    calls = []

    def fake_connect(**kwargs):
        connection = FakeConnection(error=fake_connect.error)
        calls.append((kwargs, connection))
        return connection

    fake_connect.error = None
    fake_connect.calls = calls
    monkeypatch.setattr("trino.dbapi.connect", fake_connect)
    return fake_connect


def test_it_connects_with_the_stored_settings_and_the_password_from_the_environment(connect):
    warehouse = warehouse_for("trino", CONFIG)
    assert warehouse.dialect == "trino"
    assert warehouse.fetch("SELECT ?", ["a"], timeout_s=90) == [(12.5,)]
    kwargs, connection = connect.calls[0]
    assert {k: kwargs[k] for k in ("host", "port", "user", "catalog", "schema", "http_scheme")} == {
        k: CONFIG[k] for k in ("host", "port", "user", "catalog", "schema", "http_scheme")
    }
    assert isinstance(kwargs["auth"], trino.auth.BasicAuthentication)
    assert kwargs["auth"]._password == PASSWORD
    assert kwargs["session_properties"] == {"query_max_run_time": "90s"}
    assert connection.executed == [("SELECT ?", ["a"])]
    assert connection.closed


def test_without_a_password_it_connects_unauthenticated(connect):
    config = {k: v for k, v in CONFIG.items() if k != "password_env"}
    warehouse_for("trino", config).fetch("SELECT 1", [], timeout_s=5)
    assert connect.calls[0][0]["auth"] is None


def test_a_missing_password_variable_is_named(connect, monkeypatch):
    monkeypatch.delenv("EXPR_TEST_TRINO_PASSWORD")
    with pytest.raises(WarehouseUnavailable, match=r"EXPR_TEST_TRINO_PASSWORD.*not set"):
        warehouse_for("trino", CONFIG).fetch("SELECT 1", [], timeout_s=5)
    assert connect.calls == []


def _query_error(name: str, message: str) -> trino.exceptions.TrinoQueryError:
    return trino.exceptions.TrinoQueryError(
        {"errorName": name, "message": message, "errorType": "USER_ERROR"}, "q1"
    )


def test_a_query_over_its_time_limit_is_a_timeout(connect):
    connect.error = _query_error(
        "EXCEEDED_TIME_LIMIT", "Query exceeded maximum time limit of 5.00s"
    )
    with pytest.raises(WarehouseTimeout, match="timed out after 5 s"):
        warehouse_for("trino", CONFIG).fetch("SELECT 1", [], timeout_s=5)


def test_a_sql_error_carries_trinos_message(connect):
    connect.error = _query_error(
        "COLUMN_NOT_FOUND", "line 1:8: Column 'revenue' cannot be resolved"
    )
    with pytest.raises(WarehouseError, match="Column 'revenue' cannot be resolved"):
        warehouse_for("trino", CONFIG).fetch("SELECT revenue", [], timeout_s=5)


def test_an_unreachable_server_is_unavailable_and_the_password_is_scrubbed(connect):
    connect.error = trino.exceptions.HttpError(f"error 401: bad credentials {PASSWORD}")
    with pytest.raises(WarehouseUnavailable) as raised:
        warehouse_for("trino", CONFIG).fetch("SELECT 1", [], timeout_s=5)
    assert PASSWORD not in str(raised.value)
    assert "Cannot reach the Trino warehouse" in str(raised.value)


def test_statements_reach_trino_with_question_marks_bound_in_order(connect):
    from datetime import UTC, datetime

    now = datetime(2024, 5, 1, tzinfo=UTC)
    traffic = daily_traffic(
        warehouse_for("trino", CONFIG),
        "SELECT experiment_key, unit_id, variant, first_exposure_at FROM exposures",
        days=5,
        now=now,
    )
    assert traffic == pytest.approx(12.5 / 5)
    sql, params = connect.calls[0][1].executed[0]
    assert sql.count("?") == 2 and "%(" not in sql and "$" not in sql
    assert params == [datetime(2024, 4, 26, tzinfo=UTC), now]
