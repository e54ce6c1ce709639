"""The scenario loaded into a DuckDB file and, for @postgres tests, a PostgreSQL schema.

PostgreSQL: EXPR_WAREHOUSE_TEST_URL, else DATABASE_URL when it names PostgreSQL, else the
local expr_warehouse database. Each session loads into a schema of its own and drops it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC

import pytest

from apps.experiments.warehouse import DuckDBWarehouse, PostgresWarehouse

from . import scenario as sc

URL_ENV = "EXPR_WAREHOUSE_TEST_URL"


def warehouse_test_url() -> str:
    url = os.environ.get(URL_ENV)
    if url:
        return url
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        return database_url
    return "postgres://postgres@127.0.0.1:5432/expr_warehouse"


@pytest.fixture(scope="session")
def raw() -> sc.Scenario:
    return sc.build()


def _naive(moment):
    return moment.astimezone(UTC).replace(tzinfo=None)


def _insert(connection, table: str, rows: list[tuple]) -> None:
    """Rows in one statement through columns DuckDB scans (executemany goes row by row)."""
    import numpy as np

    columns = {
        f"c{i}": np.array(column, dtype=object) for i, column in enumerate(zip(*rows, strict=True))
    }
    connection.register("incoming", columns)
    connection.execute(f"INSERT INTO {table} SELECT * FROM incoming")
    connection.unregister("incoming")


@pytest.fixture(scope="session")
def duckdb_file(raw, tmp_path_factory) -> str:
    """The scenario as a DuckDB file: naive TIMESTAMP columns, read as UTC."""
    import duckdb

    path = str(tmp_path_factory.mktemp("duckdb") / "warehouse.duckdb")
    connection = duckdb.connect(path)
    connection.execute(
        "CREATE TABLE exposures (experiment_key VARCHAR, unit_id BIGINT, variant VARCHAR, "
        "first_exposure_at TIMESTAMP, country VARCHAR, platform VARCHAR)"
    )
    _insert(
        connection, "exposures", [(k, u, v, _naive(t), c, p) for k, u, v, t, c, p in raw.exposures]
    )
    connection.execute(
        "CREATE TABLE events (unit_id BIGINT, ts TIMESTAMP, value DOUBLE, "
        "numerator DOUBLE, denominator INTEGER)"
    )
    _insert(connection, "events", [(u, _naive(t), v, n, d) for u, t, v, n, d in raw.events])
    connection.execute("CREATE TABLE pre_period (unit_id BIGINT, value DOUBLE)")
    _insert(connection, "pre_period", raw.pre_period)
    connection.close()
    return path


@pytest.fixture
def duck(duckdb_file) -> Iterator[DuckDBWarehouse]:
    warehouse = DuckDBWarehouse(duckdb_file)
    yield warehouse
    warehouse.close()


def _postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


@pytest.fixture(scope="session")
def pg_schema(raw) -> Iterator[str]:
    """A schema holding the scenario (timestamptz columns), dropped after the session."""
    import psycopg
    from psycopg import sql

    from tests.services import require

    url = warehouse_test_url()
    require(_postgres_reachable(url), f"PostgreSQL is not reachable at {URL_ENV}'s database")
    schema = f"expr_wh_test_{uuid.uuid4().hex[:10]}"
    name = sql.Identifier(schema)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(name))
        connection.execute(
            sql.SQL(
                "CREATE TABLE {}.exposures (experiment_key text, unit_id bigint, variant text, "
                "first_exposure_at timestamptz, country text, platform text)"
            ).format(name)
        )
        connection.execute(
            sql.SQL(
                "CREATE TABLE {}.events (unit_id bigint, ts timestamptz, value double precision, "
                "numerator numeric, denominator integer)"
            ).format(name)
        )
        connection.execute(
            sql.SQL("CREATE TABLE {}.pre_period (unit_id bigint, value numeric)").format(name)
        )
        with connection.cursor() as cursor:
            for table, rows in (
                ("exposures", raw.exposures),
                ("events", raw.events),
                ("pre_period", raw.pre_period),
            ):
                with cursor.copy(
                    sql.SQL("COPY {}.{} FROM STDIN").format(name, sql.Identifier(table))
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
    try:
        yield schema
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(name))


@pytest.fixture
def pg(pg_schema, monkeypatch) -> Iterator[PostgresWarehouse]:
    monkeypatch.setenv(URL_ENV, warehouse_test_url())
    warehouse = PostgresWarehouse(URL_ENV)
    yield warehouse
    warehouse.close()
