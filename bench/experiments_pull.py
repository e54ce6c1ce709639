"""Benchmark: the experiments pull at 1 M and 10 M exposure rows, PostgreSQL and DuckDB.

Run on PostgreSQL (the warehouse most companies start with):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/expprogram .venv/bin/python bench/experiments_pull.py
    ... bench/experiments_pull.py --quick      # 50 k and 200 k rows, while developing

Data: generated with generate_series in SQL, once, into a scratch schema per size
(`expr_bench_pull_1m`, `expr_bench_pull_10m`, … in DATABASE_URL's database), reused by
later runs while its recipe is unchanged; `--drop` removes them. Per size: `exposures`
(one experiment, 2 variants, country × platform, every 100th row a second exposure of the
previous unit, so about 0.5 % of units are multi-exposed), `orders` (about 14 % of rows,
some before exposure), `page_views` (one per row) and `pre_period` (half the units).
The same rows, from the same formulas, are written once to Parquet for DuckDB
(EXPR_BENCH_DIR, /tmp/expr-bench-pull by default).

Three metrics: conversion (binomial, orders), revenue (continuous, orders, CUPED from
pre_period) and page load time (continuous, page_views), each pulled with two segments.
Side by side, alternating, several repetitions: pull() against the bare aggregate over the
same rows, `SELECT variant, count(*), sum(x), sum(x*x) FROM exposures LEFT JOIN (per-unit
metric totals) GROUP BY variant`, the least SQL that gives per-variant sums at all ("bare
rows": it does not make exposures one row per unit, exclude multi-exposed units, count only
events after each unit's exposure, break down by segment or carry CUPED sums), and the same
once exposures are grouped by unit ("bare units"), which any correct pull has to pay for.
The goal: pull ≤ 1.2 × bare. Also timed: the pull without segments ("no seg.").
Memory: the Python process's peak RSS (getrusage) after each size and tracemalloc's peak
inside pull(): the aggregation runs in the warehouse, so neither should grow with rows.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script from anywhere, like manage.py

from apps.experiments.warehouse import (  # noqa: E402
    MetricQuery,
    PullRequest,
    pull,
    warehouse_for,
)

RECIPE = 3  # raise when the generated data changes: old schemas and files are rebuilt
KEY = "bench"
START = datetime(2024, 1, 1, tzinfo=UTC)
END = datetime(2024, 2, 1, tzinfo=UTC)
SEGMENTS = ("country", "platform")
URL_ENV = "DATABASE_URL"
BENCH_DIR = Path(os.environ.get("EXPR_BENCH_DIR", "/tmp/expr-bench-pull"))

# Pseudo-random but reproducible columns from the row number g, in SQL both PostgreSQL
# and DuckDB evaluate identically (64-bit integer arithmetic, 1-based arrays).
UNIT = "CASE WHEN g % 100 = 0 THEN g - 1 ELSE g END"
VARIANT = "CASE WHEN (g * 2654435761) % 1000003 % 2 = 0 THEN 'control' ELSE 'treatment' END"
EXPOSED_SECONDS = "(g * 40503) % 1209600"  # within the first 14 days of January
COUNTRY = "(ARRAY['US', 'DE', 'GB', 'FR', 'BR'])[1 + (g * 7919) % 1000003 % 5]"
PLATFORM = "(ARRAY['web', 'ios', 'android'])[1 + (g * 104729) % 1000003 % 3]"
BUYER = "(g * 2654435761) % 1000033 % 10 = 3"
SECOND_ORDER = "(g * 97) % 1000039 % 3 = 0"
# Order times from 12 h before exposure to 3.5 days after: some must not count.
ORDER_OFFSET = "((g * 7) % 345600 - 43200)"
REVENUE = "(5 + (g * 13) % 200)::DOUBLE PRECISION"
LOAD_MS = "(700 + (g * 37) % 900 + (g * 11) % 300)::DOUBLE PRECISION"
PRE_REVENUE = "((g * 53) % 300)::DOUBLE PRECISION"
HAS_HISTORY = "(g * 31) % 1000037 % 2 = 0"


def tables(rows: int, epoch: str, seconds) -> dict[str, str]:
    """The SELECT that makes each table, given the dialect's epoch and seconds-to-interval."""
    return {
        "exposures": f"""
            SELECT '{KEY}' AS experiment_key, {UNIT} AS unit_id, {VARIANT} AS variant,
                   {epoch} + {seconds(EXPOSED_SECONDS)} AS first_exposure_at,
                   {COUNTRY} AS country, {PLATFORM} AS platform
            FROM {{series}} WHERE g <= {rows}""",
        "orders": f"""
            SELECT {UNIT} AS unit_id,
                   {epoch} + {seconds(f"{EXPOSED_SECONDS} + {ORDER_OFFSET}")} AS ts,
                   {REVENUE} AS revenue
            FROM {{series}} WHERE g <= {rows} AND {BUYER}
            UNION ALL
            SELECT {UNIT}, {epoch} + {seconds(f"{EXPOSED_SECONDS} + 86400 + g % 86400")},
                   {REVENUE} * 0.5
            FROM {{series}} WHERE g <= {rows} AND {BUYER} AND {SECOND_ORDER}""",
        "page_views": f"""
            SELECT {UNIT} AS unit_id, {epoch} + {seconds(f"{EXPOSED_SECONDS} + 5")} AS ts,
                   {LOAD_MS} AS load_ms
            FROM {{series}} WHERE g <= {rows}""",
        "pre_period": f"""
            SELECT g AS unit_id, {PRE_REVENUE} AS revenue
            FROM {{series}} WHERE g <= {rows} AND {HAS_HISTORY}""",
    }


def metrics(prefix: str) -> tuple[MetricQuery, ...]:
    return (
        MetricQuery(
            "conversion", "binomial", f"SELECT unit_id, ts, 1 AS value FROM {prefix}orders"
        ),
        MetricQuery(
            "revenue",
            "continuous",
            f"SELECT unit_id, ts, revenue AS value FROM {prefix}orders",
            covariate_sql=f"SELECT unit_id, revenue AS value FROM {prefix}pre_period",
        ),
        MetricQuery(
            "page_load_ms",
            "continuous",
            f"SELECT unit_id, ts, load_ms AS value FROM {prefix}page_views",
        ),
    )


def request(prefix: str, segments: tuple[str, ...] = SEGMENTS) -> PullRequest:
    return PullRequest(
        experiment_key=KEY,
        assignment_sql=(
            "SELECT experiment_key, unit_id, variant, first_exposure_at, country, platform "
            f"FROM {prefix}exposures"
        ),
        variants=("control", "treatment"),
        start=START,
        end=END,
        segments=segments,
        metrics=metrics(prefix),
    )


def _per_unit(metric: MetricQuery) -> str:
    """The metric's per-unit totals, as an analyst would write them by hand."""
    value = (
        "MAX(CASE WHEN value > 0 THEN 1 ELSE 0 END)" if metric.kind == "binomial" else "SUM(value)"
    )
    return (
        f"SELECT unit_id, COALESCE({value}, 0)::DOUBLE PRECISION AS x "
        f"FROM ({metric.sql}) AS m GROUP BY unit_id"
    )


def bare(prefix: str, metric: MetricQuery) -> str:
    """The bare per-variant aggregate over the exposure rows (see the module docstring)."""
    return f"""
        SELECT e.variant, count(*), sum(x), sum(x * x)
        FROM (SELECT variant, unit_id FROM {prefix}exposures WHERE experiment_key = '{KEY}') AS e
        LEFT JOIN ({_per_unit(metric)}) AS m ON m.unit_id = e.unit_id
        GROUP BY e.variant"""


def bare_units(prefix: str, metric: MetricQuery) -> str:
    """The bare aggregate once exposures are made one row per unit, as any correct pull must."""
    return f"""
        SELECT e.variant, count(*), sum(x), sum(x * x)
        FROM (
            SELECT unit_id, MIN(variant) AS variant FROM {prefix}exposures
            WHERE experiment_key = '{KEY}' GROUP BY unit_id
        ) AS e
        LEFT JOIN ({_per_unit(metric)}) AS m ON m.unit_id = e.unit_id
        GROUP BY e.variant"""


def label(rows: int) -> str:
    return f"{rows // 1_000_000}m" if rows % 1_000_000 == 0 else f"{rows // 1000}k"


# --- PostgreSQL -----------------------------------------------------------------------------


def postgres_schema(url: str, rows: int) -> str:
    """The size's schema, built unless it already holds this recipe."""
    import psycopg

    schema = f"expr_bench_pull_{label(rows)}"
    with psycopg.connect(url, autocommit=True) as connection:
        present = connection.execute(
            "SELECT to_regclass(%s) IS NOT NULL", (f"{schema}.recipe",)
        ).fetchone()[0]
        if present:
            recipe = connection.execute(f"SELECT recipe, rows FROM {schema}.recipe").fetchone()
            if recipe == (RECIPE, rows):
                return schema
        started = time.perf_counter()
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.execute(f"CREATE SCHEMA {schema}")
        series = f"generate_series(1::BIGINT, {rows}) AS g"
        for table, select in tables(
            rows, "TIMESTAMPTZ '2024-01-01 00:00:00+00'", lambda s: f"({s}) * INTERVAL '1 second'"
        ).items():
            connection.execute(f"CREATE TABLE {schema}.{table} AS {select.format(series=series)}")
            connection.execute(f"ANALYZE {schema}.{table}")
        connection.execute(
            f"CREATE TABLE {schema}.recipe AS SELECT {RECIPE} AS recipe, {rows} AS rows"
        )
        print(f"  built {schema} in {time.perf_counter() - started:.0f} s (reused by later runs)")
    return schema


def drop_schemas(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        schemas = connection.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'expr_bench_pull_%'"
        ).fetchall()
        for (schema,) in schemas:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
            print(f"dropped {schema}")


# --- DuckDB over Parquet ------------------------------------------------------------------


def parquet_files(rows: int) -> dict[str, str]:
    """The same rows as Parquet files, written once per recipe and size."""
    import duckdb

    folder = BENCH_DIR / f"recipe{RECIPE}-{label(rows)}"
    files = {
        table: str(folder / f"{table}.parquet")
        for table in ("exposures", "orders", "page_views", "pre_period")
    }
    if all(Path(f).is_file() for f in files.values()):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    series = f"range(1, {rows + 1}) AS t(g)"
    # DuckDB writes ::DOUBLE PRECISION as PostgreSQL does; intervals are built from seconds.
    for table, select in tables(
        rows, "TIMESTAMPTZ '2024-01-01 00:00:00+00'", lambda s: f"to_seconds(({s})::BIGINT)"
    ).items():
        target = files[table] + ".part"
        connection.execute(f"COPY ({select.format(series=series)}) TO '{target}' (FORMAT parquet)")
        os.replace(target, files[table])
    connection.close()
    print(f"  wrote {folder} in {time.perf_counter() - started:.0f} s (reused by later runs)")
    return files


# --- Measuring ----------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare(warehouse, prefix: str, repeats: int) -> list[tuple[str, dict[str, float], float]]:
    """Per metric, medians of alternating runs after one round of warm-up: pull (2
    segments), pull (no segment), the bare aggregate over rows and over units; and
    tracemalloc's peak inside pull()."""
    results = []
    full, plain = request(prefix), request(prefix, segments=())
    for metric in full.metrics:
        one = replace(full, metrics=(metric,))
        flat = replace(plain, metrics=(metric,))
        runs = {
            "pull": lambda one=one: pull(warehouse, one, timeout_s=3600),
            "no seg.": lambda flat=flat: pull(warehouse, flat, timeout_s=3600),
            "bare rows": lambda m=metric: warehouse.fetch(bare(prefix, m), {}, timeout_s=3600),
            "bare units": lambda m=metric: warehouse.fetch(
                bare_units(prefix, m), {}, timeout_s=3600
            ),
        }
        samples: dict[str, list[float]] = {name: [] for name in runs}
        traced = 0.0
        for round_ in range(repeats + 1):
            for name, run in runs.items():
                if name == "pull":
                    tracemalloc.start()
                started = time.perf_counter()
                outcome = run()
                if round_:  # the first round warms caches and imports; it is not counted
                    samples[name].append(time.perf_counter() - started)
                if name == "pull":
                    if round_:
                        traced = max(traced, tracemalloc.get_traced_memory()[1] / 2**20)
                    tracemalloc.stop()
                    rows = outcome[0].rows
                    assert {r.variant for r in rows if r.segment is None} == {
                        "control",
                        "treatment",
                    }
        results.append(
            (metric.key, {name: statistics.median(s) for name, s in samples.items()}, traced)
        )
    return results


def report(title: str, results) -> None:
    print(f"  {title}")
    print(
        f"    {'metric':<14}{'pull':>8}{'no seg.':>9}{'bare rows':>11}{'bare units':>11}"
        f"{'÷ rows':>8}{'÷ units':>9}{'traced':>9}"
    )
    for key, t, traced in results:
        print(
            f"    {key:<14}{t['pull']:7.2f}s{t['no seg.']:8.2f}s{t['bare rows']:10.2f}s"
            f"{t['bare units']:10.2f}s{t['pull'] / t['bare rows']:7.2f}×"
            f"{t['pull'] / t['bare units']:8.2f}×{traced:7.2f}MB"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 k and 200 k rows")
    parser.add_argument("--drop", action="store_true", help="drop the scratch schemas and stop")
    parser.add_argument("--repeats", type=int, default=0, help="repetitions per size")
    parser.add_argument("--sizes", help="exposure rows, comma-separated (default 1 M and 10 M)")
    parser.add_argument("--skip-duckdb", action="store_true")
    args = parser.parse_args()
    url = os.environ.get(URL_ENV, "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/expprogram"
        )
        return 2
    if args.drop:
        drop_schemas(url)
        return 0
    sizes = (50_000, 200_000) if args.quick else (1_000_000, 10_000_000)
    if args.sizes:
        sizes = tuple(int(size) for size in args.sizes.split(","))
    started = time.perf_counter()
    print(f"Experiments pull: PostgreSQL ({URL_ENV}), medians of alternating runs")
    warehouse = warehouse_for("postgresql", {"url_env": URL_ENV})
    try:
        for rows in sizes:
            repeats = args.repeats or (5 if rows <= 1_000_000 else 3)
            schema = postgres_schema(url, rows)
            results = compare(warehouse, f"{schema}.", repeats)
            report(f"{rows:,} exposure rows, {repeats} runs each:", results)
            print(f"    peak RSS of this process so far: {peak_rss_mb():.0f} MB")
    finally:
        warehouse.close()
    if not args.skip_duckdb:
        print(
            "\nThe same pull from DuckDB over Parquet files (in this process: RSS includes DuckDB)"
        )
        for rows in sizes:
            repeats = args.repeats or (5 if rows <= 1_000_000 else 3)
            files = parquet_files(rows)
            duck = warehouse_for("duckdb", {"path": ":memory:", "files": files})
            try:
                results = compare(duck, "", repeats)
            finally:
                duck.close()
            report(f"{rows:,} exposure rows, {repeats} runs each:", results)
            print(f"    peak RSS of this process so far: {peak_rss_mb():.0f} MB")
    print(f"\n(finished in {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
