"""The statement for a fixed pull, as each dialect renders it, compared with stored files.

A change to the SQL shows up as a diff in review. After an intended change, regenerate:

    EXPR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/experiments/warehouse/test_golden.py

The DuckDB and PostgreSQL renderings also run for real in test_pull.py.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlglot

from apps.experiments.warehouse import DIALECTS, MetricQuery, PullRequest, render

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("EXPR_UPDATE_GOLDEN") == "1"

REQUEST = PullRequest(
    experiment_key="checkout-redesign",
    assignment_sql=(
        "SELECT e.experiment_id AS experiment_key, e.user_id AS unit_id, e.variation AS variant, "
        "e.exposed_at AS first_exposure_at, u.country, u.platform "
        "FROM analytics.exposures AS e JOIN analytics.users AS u ON u.user_id = e.user_id "
        "WHERE e.user_id IS NOT NULL"
    ),
    variants=("control", "treatment"),
    start=datetime(2024, 3, 1, tzinfo=UTC),
    end=datetime(2024, 3, 15, tzinfo=UTC),
    segments=("country", "platform"),
    metrics=(
        MetricQuery(
            "conversion",
            "binomial",
            "SELECT user_id AS unit_id, created_at AS ts, 1 AS value FROM analytics.orders "
            "WHERE status <> 'test'",
        ),
        MetricQuery(
            "revenue",
            "continuous",
            "SELECT user_id AS unit_id, created_at AS ts, amount AS value FROM analytics.orders",
            covariate_sql=(
                "SELECT user_id AS unit_id, SUM(amount) AS value FROM analytics.orders_before "
                "GROUP BY user_id"
            ),
        ),
        MetricQuery(
            "revenue_per_order",
            "ratio",
            "SELECT user_id AS unit_id, created_at AS ts, amount AS numerator, "
            "1 AS denominator FROM analytics.orders",
        ),
    ),
)
CASES = [(dialect, metric) for dialect in DIALECTS for metric in REQUEST.metrics]
PLACEHOLDERS = {
    "postgres": r"%\(\w+\)s",
    "snowflake": r"%\(\w+\)s",
    "duckdb": r"\$\w+",
    "bigquery": r"@\w+",
    "trino": r"\?",
}


@pytest.mark.parametrize(("dialect", "metric"), CASES, ids=[f"{d}-{m.key}" for d, m in CASES])
def test_the_rendered_statement_matches_its_golden_file(dialect, metric):
    path = GOLDEN / f"{dialect}.{metric.key}.sql"
    rendered = render(REQUEST, metric, dialect) + "\n"
    if UPDATE:
        path.write_text(rendered)
    assert path.is_file(), f"{path.name} missing: regenerate with EXPR_UPDATE_GOLDEN=1"
    assert rendered == path.read_text()


@pytest.mark.parametrize(("dialect", "metric"), CASES, ids=[f"{d}-{m.key}" for d, m in CASES])
def test_the_rendered_statement_parses_back_in_its_dialect(dialect, metric):
    rendered = render(REQUEST, metric, dialect)
    placeholders = re.findall(PLACEHOLDERS[dialect], rendered)
    assert len(placeholders) == 4  # the key, the start, and the end twice
    plain = re.sub(PLACEHOLDERS[dialect], "NULL", rendered)
    if dialect in ("postgres", "snowflake"):
        plain = plain.replace("%%", "%")
    parsed = sqlglot.parse_one(plain, read=dialect)
    assert parsed.find(sqlglot.exp.GroupingSets) is not None
    assert {cte.alias for cte in parsed.find_all(sqlglot.exp.CTE)} >= {
        "pull_units",
        "pull_unit_values",
        "pull_cells",
    }


def test_golden_files_exist_only_for_the_current_cases():
    expected = {f"{d}.{m.key}.sql" for d, m in CASES}
    assert {p.name for p in GOLDEN.glob("*.sql")} == expected
