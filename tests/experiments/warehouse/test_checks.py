"""The data source form's checks: the parser's own words for a typo, refusals for writes."""

from __future__ import annotations

import re

import pytest
import sqlglot
from sqlglot.errors import ParseError

from apps.experiments.warehouse import (
    WarehouseError,
    check_assignment_sql,
    check_covariate_sql,
    check_metric_sql,
)

ASSIGNMENT = "SELECT experiment_key, unit_id, variant, first_exposure_at, country FROM exposures"


def _sqlglot_says(sql: str, dialect: str = "postgres") -> str:
    with pytest.raises(ParseError) as raised:
        sqlglot.parse(sql, read=dialect)
    return raised.value.errors[0]["description"]


@pytest.mark.parametrize(
    "sql",
    [
        "SELEC unit_id, ts, value FROM events",
        "SELECT unit_id, ts, value FROM events WHERE",
        "SELECT unit_id, ts, value FROM (SELECT * FROM events",
    ],
)
def test_a_syntax_error_comes_back_in_the_parsers_words(sql):
    with pytest.raises(WarehouseError) as raised:
        check_metric_sql(sql, "continuous")
    message = str(raised.value)
    assert message.startswith("The metric SQL does not parse: ")
    assert _sqlglot_says(sql) in message
    assert re.search(r"Line \d+, Col: \d+", message)
    assert "\x1b" not in message  # no terminal colour codes on a web page


def test_it_reads_the_sql_in_the_warehouses_dialect():
    bigquery = "SELECT unit_id, ts, value FROM `project.dataset.events`"
    check_metric_sql(bigquery, "continuous", dialect="bigquery")
    duckdb_only = "SELECT unit_id, ts, value FROM events QUALIFY row_number() OVER () = 1"
    check_metric_sql(duckdb_only, "continuous", dialect="duckdb")


@pytest.mark.parametrize(
    ("kind", "sql", "missing"),
    [
        ("continuous", "SELECT unit_id, ts FROM events", "value"),
        ("binomial", "SELECT user_id, ts, 1 AS value FROM events", "unit_id"),
        ("ratio", "SELECT unit_id, ts, amount AS value FROM events", "numerator, denominator"),
    ],
)
def test_it_names_the_columns_a_metric_must_return(kind, sql, missing):
    with pytest.raises(WarehouseError, match=f"missing: {missing}"):
        check_metric_sql(sql, kind)


def test_a_star_leaves_the_columns_to_the_probe():
    check_metric_sql("SELECT * FROM metric_view", "ratio")


def test_a_union_is_checked_by_its_first_branch():
    check_metric_sql(
        "SELECT unit_id, ts, value FROM a UNION ALL SELECT unit_id, ts, value FROM b", "continuous"
    )
    with pytest.raises(WarehouseError, match="missing: ts"):
        check_metric_sql("SELECT unit_id, value FROM a UNION ALL SELECT 1, 2 FROM b", "continuous")


@pytest.mark.parametrize(
    ("sql", "word"),
    [
        ("DELETE FROM events", "SELECT query, not DELETE"),
        ("INSERT INTO events SELECT * FROM x RETURNING unit_id, ts, value", "not INSERT"),
        (
            "WITH gone AS (DELETE FROM events RETURNING *) SELECT unit_id, ts, value FROM gone",
            "DELETE",
        ),
        ("SELECT unit_id, ts, value FROM events; DROP TABLE events", "exactly one"),
        ("DROP TABLE events", "not DROP"),
    ],
)
def test_it_refuses_anything_that_writes(sql, word):
    with pytest.raises(WarehouseError, match=word):
        check_metric_sql(sql, "continuous")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT unit_id, ts, value FROM events WHERE campaign = %(campaign)s",
        "SELECT unit_id, ts, value FROM events WHERE campaign = $1",
    ],
)
def test_it_refuses_bind_parameters_of_its_own(sql):
    with pytest.raises(WarehouseError, match="bind parameter"):
        check_metric_sql(sql, "continuous")


@pytest.mark.parametrize("sql", ["", "   ", "SELECT 1\x00"])
def test_it_refuses_empty_or_binary_sql(sql):
    with pytest.raises(WarehouseError, match=r"empty|NUL"):
        check_metric_sql(sql, "binomial")


def test_an_unknown_kind_is_refused():
    with pytest.raises(WarehouseError, match="Unknown metric kind 'mean'"):
        check_metric_sql("SELECT unit_id, ts, value FROM events", "mean")


def test_the_assignment_needs_its_four_columns():
    check_assignment_sql(ASSIGNMENT)
    with pytest.raises(WarehouseError, match="missing: first_exposure_at"):
        check_assignment_sql("SELECT experiment_key, unit_id, variant FROM exposures")


def test_the_covariate_needs_a_unit_and_a_value():
    check_covariate_sql("SELECT unit_id, SUM(amount) AS value FROM orders GROUP BY unit_id")
    with pytest.raises(WarehouseError, match="missing: value"):
        check_covariate_sql("SELECT unit_id, SUM(amount) AS total FROM orders GROUP BY unit_id")
