"""Read-only connections to the warehouses ExPr pulls from: DuckDB, PostgreSQL, Trino.

Each adapter reads its secrets from the environment when it connects and keeps them out of
every message it raises: an error's text reaches the experiment page and the task log.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .contract import Params, Warehouse, WarehouseError, WarehouseTimeout, WarehouseUnavailable

TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def warehouse_for(kind: str, config: Mapping[str, Any]) -> Warehouse:
    """The adapter for a data source's kind and stored config (which holds no secret).

    - "duckdb": {"path": file} opened read-only, or {"path": ":memory:", "files":
      {"table": "/x.parquet" | "/y.csv"}} as views; optional "allowed_directories" the
      admin's SQL may read files from (none otherwise).
    - "postgresql": {"url_env": "ENV_VAR"}: the URL is read from the environment at connect.
    - "trino": {"host", "port", "user", "catalog", "schema", "http_scheme",
      "password_env" (optional)}.
    """
    try:
        if kind == "duckdb":
            return DuckDBWarehouse(
                config["path"],
                files=config.get("files") or {},
                allowed_directories=config.get("allowed_directories") or (),
            )
        if kind == "postgresql":
            return PostgresWarehouse(config["url_env"])
        if kind == "trino":
            return TrinoWarehouse(
                host=config["host"],
                port=int(config.get("port", 443)),
                user=config["user"],
                catalog=config.get("catalog"),
                schema=config.get("schema"),
                http_scheme=config.get("http_scheme", "https"),
                password_env=config.get("password_env"),
            )
    except KeyError as missing:
        raise WarehouseError(f"The {kind} data source's settings lack {missing}.") from None
    raise WarehouseError(f"Unknown warehouse kind {kind!r}: duckdb, postgresql or trino.")


def _timeout_message(timeout_s: float) -> str:
    return f"The warehouse query timed out after {timeout_s:g} s and was cancelled."


def scrub(message: str, secrets: Iterable[str | None]) -> str:
    """The message with every secret (and its URL-decoded form) replaced."""
    for secret in secrets:
        if not secret:
            continue
        for form in {secret, unquote(secret)}:
            message = message.replace(form, "[secret]")
    return message


class DuckDBWarehouse:
    """A DuckDB database file opened read-only, or Parquet/CSV files as in-memory views.

    Outside files are off limits to the admin's SQL (DuckDB's enable_external_access is
    turned off, for good): a query could otherwise read the app server's own files, and an
    error message would show their contents.
    """

    dialect = "duckdb"

    def __init__(
        self,
        path: str,
        *,
        files: Mapping[str, str] | None = None,
        allowed_directories: Iterable[str] = (),
    ) -> None:
        self.path = path
        self.files = dict(files or {})
        self.allowed_directories = tuple(allowed_directories)
        self._connection: Any = None
        self._lock = threading.Lock()

    def _connect(self) -> Any:
        import duckdb

        if self._connection is not None:
            return self._connection
        connection = None
        try:
            if self.path == ":memory:":
                connection = duckdb.connect(":memory:")
                for table, file in self.files.items():
                    connection.execute(_view_over(table, file))
                allowed = list(self.files.values())
            else:
                if self.files:
                    raise WarehouseError("Files are registered only with path ':memory:'.")
                if not Path(self.path).is_file():
                    raise WarehouseUnavailable(f"DuckDB database file {self.path} not found.")
                connection = duckdb.connect(self.path, read_only=True)
                allowed = []
            connection.execute("SET TimeZone = 'UTC'")
            self._close_to_outside_files(connection, allowed)
        except duckdb.Error as error:
            if connection is not None:
                connection.close()
            raise WarehouseUnavailable(f"Cannot open the DuckDB warehouse: {error}") from None
        self._connection = connection
        return connection

    def _close_to_outside_files(self, connection: Any, allowed: list[str]) -> None:
        """Turn off access to files outside `allowed` and the allowed directories.

        DuckDB shares one database instance per file within a process, and once outside
        access is off it cannot be turned on again or widened (DuckDB refuses, so no
        statement can undo this). A second connection to a file already open here finds it
        done, and must then find its own directories among those allowed.
        """
        (open_to_files,) = connection.execute(
            "SELECT current_setting('enable_external_access')"
        ).fetchone()
        wanted = [str(Path(d)).rstrip("/") + "/" for d in self.allowed_directories]
        if open_to_files:
            if allowed:
                connection.execute("SET allowed_paths = $paths", {"paths": allowed})
            if wanted:
                connection.execute("SET allowed_directories = $dirs", {"dirs": wanted})
            connection.execute("SET enable_external_access = false")
            return
        (current,) = connection.execute("SELECT current_setting('allowed_directories')").fetchone()
        missing = sorted(set(wanted) - set(current or []))
        if missing:
            connection.close()
            raise WarehouseUnavailable(
                f"DuckDB file {self.path} is already open in this process with other allowed "
                f"directories (not {', '.join(missing)}); close it first."
            )

    def fetch(self, sql: str, params: Params, *, timeout_s: float) -> list[tuple[Any, ...]]:
        import duckdb

        connection = self._connect()
        state = {"running": True, "interrupted": False}

        def interrupt() -> None:
            with self._lock:
                # A timer that fires as the query returns must not cancel the next one.
                if state["running"]:
                    state["interrupted"] = True
                    connection.interrupt()

        timer = threading.Timer(timeout_s, interrupt)
        timer.daemon = True
        timer.start()
        try:
            return connection.execute(sql, params).fetchall()
        except duckdb.InterruptException:
            raise WarehouseTimeout(_timeout_message(timeout_s)) from None
        except duckdb.Error as error:
            if state["interrupted"]:
                raise WarehouseTimeout(_timeout_message(timeout_s)) from None
            raise WarehouseError(str(error)) from None
        finally:
            with self._lock:
                state["running"] = False
            timer.cancel()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _view_over(table: str, file: str) -> str:
    if not TABLE_NAME.fullmatch(table):
        raise WarehouseError(f"{table!r} is not a table name (letters, digits and _).")
    suffix = Path(file).suffix.lower()
    reader = {".parquet": "read_parquet", ".csv": "read_csv"}.get(suffix)
    if reader is None:
        raise WarehouseError(f"{file}: only .parquet and .csv files can be registered.")
    if not Path(file).is_file():
        raise WarehouseUnavailable(f"File {file} for table {table} not found.")
    # DDL takes no bound parameters; the path is quoted as a SQL string literal instead.
    literal = "'" + file.replace("'", "''") + "'"
    return f'CREATE VIEW "{table}" AS SELECT * FROM {reader}({literal})'


class PostgresWarehouse:
    """PostgreSQL, every statement in a READ ONLY transaction with its own timeout.

    The URL lives in an environment variable named by the data source, read at connect,
    so neither the database row nor an error message ever holds the password. Naive
    timestamps are read as UTC (the session's time zone).
    """

    dialect = "postgres"

    # A pull groups exposures by unit: one hash entry per unit, about 300 bytes each. At
    # PostgreSQL's default of 4 MB the aggregate spills to disk in dozens of batches and the
    # pull takes about twice as long; this session's own limit keeps a million units in
    # memory without asking the warehouse's administrator to change the server.
    WORK_MEM_MB = 256
    # JIT compiles a statement's expressions once its estimated cost passes jit_above_cost,
    # and also inlines and optimises them past 500,000. A pull's estimates run far above
    # its real cost (the per-unit CTE has no statistics, so a join to it is guessed at
    # billions of rows), and at 1 M exposures LLVM spent 0.75 s of a 5.4 s pull optimising
    # code that then ran no faster. Compiling stays; inlining and optimising are off.
    SESSION_SETTINGS = {
        "TimeZone": "UTC",
        "jit_inline_above_cost": "-1",
        "jit_optimize_above_cost": "-1",
    }

    def __init__(
        self, url_env: str, *, connect_timeout_s: int = 10, work_mem_mb: int = WORK_MEM_MB
    ) -> None:
        self.url_env = url_env
        self.connect_timeout_s = connect_timeout_s
        self.work_mem_mb = work_mem_mb
        self._connection: Any = None
        self._secrets: tuple[str | None, ...] = ()

    def _connect(self) -> Any:
        import psycopg

        if self._connection is not None and not self._connection.closed:
            return self._connection
        url = os.environ.get(self.url_env)
        if not url:
            raise WarehouseUnavailable(
                f"The environment variable {self.url_env}, which holds this warehouse's "
                "URL, is not set."
            )
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        self._secrets = (url, password)
        try:
            connection = psycopg.connect(
                url,
                connect_timeout=self.connect_timeout_s,
                application_name="expr-warehouse-pull",
                options=" ".join(
                    f"-c {name}={value}"
                    for name, value in {
                        **self.SESSION_SETTINGS,
                        "work_mem": f"{self.work_mem_mb}MB",
                    }.items()
                ),
            )
        except psycopg.Error as error:
            message = scrub(str(error), self._secrets).strip()
            raise WarehouseUnavailable(
                f"Cannot connect to the PostgreSQL warehouse named by {self.url_env}: {message}"
            ) from None
        except Exception:
            # A malformed URL makes libpq's parser talk about the URL itself: say less.
            raise WarehouseUnavailable(
                f"Cannot connect to the PostgreSQL warehouse named by {self.url_env}: "
                "its URL is not valid."
            ) from None
        connection.read_only = True
        self._connection = connection
        return connection

    def fetch(self, sql: str, params: Params, *, timeout_s: float) -> list[tuple[Any, ...]]:
        import psycopg
        from psycopg import errors

        connection = self._connect()
        milliseconds = max(1, math.ceil(timeout_s * 1000))
        try:
            with connection.transaction():
                connection.execute(f"SET LOCAL statement_timeout = {milliseconds:d}")
                return connection.execute(sql, params).fetchall()
        except errors.QueryCanceled:
            raise WarehouseTimeout(_timeout_message(timeout_s)) from None
        except psycopg.OperationalError as error:
            self.close()
            message = scrub(str(error), self._secrets).strip()
            raise WarehouseUnavailable(f"Lost the PostgreSQL warehouse: {message}") from None
        except psycopg.Error as error:
            raise WarehouseError(scrub(str(error), self._secrets).strip()) from None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class TrinoWarehouse:
    """Trino (or Starburst) over HTTP; the password, if any, comes from the environment.

    Trino has no read-only transaction: give ExPr a user with read-only access. The pull
    never runs more than one SELECT, and the admin's SQL is refused if it writes.
    """

    dialect = "trino"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        user: str,
        catalog: str | None,
        schema: str | None,
        http_scheme: str = "https",
        password_env: str | None = None,
    ) -> None:
        self.host, self.port, self.user = host, port, user
        self.catalog, self.schema, self.http_scheme = catalog, schema, http_scheme
        self.password_env = password_env
        self._secrets: tuple[str | None, ...] = ()

    def _connect(self, timeout_s: float) -> Any:
        import trino.auth
        import trino.dbapi

        auth = None
        if self.password_env:
            password = os.environ.get(self.password_env)
            if not password:
                raise WarehouseUnavailable(
                    f"The environment variable {self.password_env}, which holds this "
                    "warehouse's password, is not set."
                )
            self._secrets = (password,)
            auth = trino.auth.BasicAuthentication(self.user, password)
        seconds = max(1, math.ceil(timeout_s))
        return trino.dbapi.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            catalog=self.catalog,
            schema=self.schema,
            http_scheme=self.http_scheme,
            auth=auth,
            # The server cancels the query past its time limit; the client stops waiting
            # a little later so the server's own message is the one reported.
            session_properties={"query_max_run_time": f"{seconds}s"},
            request_timeout=seconds + 30,
            source="expr-warehouse-pull",
        )

    def fetch(self, sql: str, params: Params, *, timeout_s: float) -> list[tuple[Any, ...]]:
        import requests
        import trino.exceptions

        try:
            connection = self._connect(timeout_s)
            try:
                cursor = connection.cursor()
                cursor.execute(sql, list(params) if params else None)
                return [tuple(row) for row in cursor.fetchall()]
            finally:
                connection.close()
        except trino.exceptions.TrinoQueryError as error:
            message = scrub(error.message, self._secrets)
            if error.error_name in {"EXCEEDED_TIME_LIMIT", "EXCEEDED_CPU_LIMIT"}:
                raise WarehouseTimeout(f"{_timeout_message(timeout_s)} ({message})") from None
            raise WarehouseError(message) from None
        except (trino.exceptions.HttpError, requests.RequestException) as error:
            message = scrub(str(error), self._secrets)
            raise WarehouseUnavailable(f"Cannot reach the Trino warehouse: {message}") from None

    def close(self) -> None:
        """Nothing held open: each fetch makes its own HTTP session."""
