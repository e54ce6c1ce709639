"""pull() against real DuckDB and PostgreSQL, compared with sums counted by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from apps.experiments.warehouse import MetricQuery, WarehouseError, daily_traffic, pull
from apps.experiments.warehouse.compose import statement

from . import scenario as sc

ASSIGNMENT = (
    "SELECT experiment_key, unit_id, variant, first_exposure_at, country, platform "
    "FROM {schema}exposures"
)


def _request(schema: str = "", **changes):
    request = sc.request(
        ASSIGNMENT.format(schema=schema),
        sc.metrics(f"{schema}events", f"{schema}pre_period"),
    )
    return replace(request, **changes)


def _check_against_reference(warehouse, raw, request) -> None:
    pulls = pull(warehouse, request, timeout_s=60)
    assert [p.metric for p in pulls] == [m.key for m in request.metrics]
    for metric, pulled in zip(request.metrics, pulls, strict=True):
        wanted, multi_exposed = sc.expected(
            raw,
            metric,
            start=request.start,
            end=request.end,
            variants=request.variants,
            segments=request.segments,
        )
        assert pulled.multi_exposed == multi_exposed
        sc.assert_rows_match(pulled.rows, wanted)
        assert pulled.sql.startswith("WITH pull_units AS")


def test_it_returns_the_sums_counted_from_the_raw_rows_in_duckdb(duck, raw):
    _check_against_reference(duck, raw, _request())


@pytest.mark.postgres
def test_it_returns_the_sums_counted_from_the_raw_rows_in_postgresql(pg, pg_schema, raw):
    _check_against_reference(pg, raw, _request(f"{pg_schema}."))


def test_a_shorter_window_and_no_segments_change_the_sums_as_counted(duck, raw):
    request = _request(
        start=sc.START + timedelta(days=3), end=sc.END - timedelta(days=4), segments=()
    )
    _check_against_reference(duck, raw, request)


def test_a_segment_named_in_another_case_is_the_same_column(duck, raw):
    pulled = pull(duck, _request(segments=("Country",)))[0]
    assert {r.segment for r in pulled.rows} == {None, "Country"}
    wanted, _ = sc.expected(raw, _request().metrics[0], segments=("country",))
    counted = {(r.variant, r.segment_value): r.n for r in pulled.rows if r.segment}
    assert counted == {(v, value): row.n for (v, seg, value), row in wanted.items() if seg}


def test_whole_population_rows_come_first_in_variant_order(duck):
    request = _request(variants=("treatment", "control"))
    rows = pull(duck, request)[0].rows
    assert [(r.variant, r.segment) for r in rows[:2]] == [("treatment", None), ("control", None)]
    assert all(r.segment is not None for r in rows[2:])
    assert [r.segment for r in rows[2:]] == sorted(
        (r.segment for r in rows[2:]), key=sc.SEGMENTS.index
    )


def test_a_variant_nobody_saw_still_gets_a_row_of_zeros(duck, raw):
    request = _request(variants=("control", "treatment", "never-shipped"))
    _check_against_reference(duck, raw, request)
    missing = next(r for r in pull(duck, request)[1].rows if r.variant == "never-shipped")
    assert (missing.n, missing.sum, missing.pre_sum) == (0, 0.0, 0.0)


def test_units_seen_in_two_variants_are_counted_and_left_out(duck, raw):
    pulled = pull(duck, _request(segments=()))[0]
    in_window = [e for e in raw.exposures if e[0] == sc.KEY and sc.START <= e[3] < sc.END]
    variants_by_unit: dict[int, set[str]] = {}
    for exposure in in_window:
        variants_by_unit.setdefault(exposure[1], set()).add(exposure[2])
    multi = sum(len(v) > 1 for v in variants_by_unit.values())
    single = sum(len(v) == 1 and next(iter(v)) in sc.VARIANTS for v in variants_by_unit.values())
    assert multi > 0
    assert pulled.multi_exposed == multi
    assert sum(r.n for r in pulled.rows) == single


def test_positional_parameters_bind_in_the_order_they_appear(duck, raw):
    """The Trino client binds `?` in order; DuckDB accepts `?` too, so it can prove it."""
    request = _request()
    metric = request.metrics[1]
    named = statement(request, metric, "duckdb")
    positional = statement(request, metric, "duckdb", style="qmark")
    assert "?" in positional.sql and "$" not in positional.sql
    values = {"experiment_key": sc.KEY, "start": request.start, "end": request.end}
    assert positional.order == ("experiment_key", "start", "end", "end")
    by_position = duck.fetch(positional.sql, positional.bind(values), timeout_s=30)
    by_name = duck.fetch(named.sql, named.bind(values), timeout_s=30)
    assert len(by_position) > 2
    # Row order and the last bits of a float sum depend on the threads' schedule.
    by_position.sort(key=lambda row: repr(row[:5]))
    by_name.sort(key=lambda row: repr(row[:5]))
    assert [row[:6] for row in by_position] == [row[:6] for row in by_name]
    assert [row[6:] for row in by_position] == [pytest.approx(row[6:]) for row in by_name]


@pytest.mark.postgres
def test_a_percent_sign_in_admin_sql_reaches_postgresql_intact(pg, pg_schema, raw):
    """psycopg reads % as a placeholder once parameters are bound."""
    metric = MetricQuery(
        "purchased",
        "binomial",
        f"SELECT unit_id, ts, value FROM {pg_schema}.events WHERE 'a%b' LIKE 'a%'",
    )
    request = _request(f"{pg_schema}.", metrics=(metric,), segments=())
    wanted, _ = sc.expected(raw, metric, segments=())
    sc.assert_rows_match(pull(pg, request)[0].rows, wanted)


def test_an_open_end_counts_up_to_now(duck, raw):
    request = _request(end=None, segments=())
    pulled = pull(duck, request)[1]
    wanted, multi = sc.expected(
        raw, request.metrics[1], end=sc.END + timedelta(days=400), segments=()
    )
    assert pulled.multi_exposed == multi
    sc.assert_rows_match(pulled.rows, wanted)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"segments": ("1country",)}, "not a column name"),
        ({"segments": ("country\n",)}, "not a column name"),
        ({"segments": ("country", "Country")}, "named twice"),
        ({"segments": ("country; drop",)}, "not a column name"),
        ({"segments": ("variant",)}, "assignment's own columns"),
        ({"variants": ()}, "no variants"),
        ({"segments": ("browser",)}, "returns no column browser"),
        ({"end": sc.START}, "end must come after"),
        ({"start": sc.START.replace(tzinfo=None)}, "time zone"),
    ],
)
def test_it_refuses_a_request_it_cannot_answer_safely(duck, changes, message):
    with pytest.raises(WarehouseError, match=message):
        pull(duck, _request(**changes))


def test_the_experiment_key_is_bound_never_spliced_into_the_sql(duck):
    hostile = "x' OR '1'='1"
    pulled = pull(duck, _request(experiment_key=hostile, segments=()))
    assert all(r.n == 0 for p in pulled for r in p.rows)
    assert hostile not in pulled[0].sql


def _traffic_reference(raw, now, days):
    since = now - timedelta(days=days)
    return len({e[1] for e in raw.exposures if since <= e[3] < now}) / days


@pytest.mark.parametrize("days", [1, 7, 28])
def test_daily_traffic_is_distinct_units_exposed_per_day(duck, raw, days):
    now = sc.START + timedelta(days=9)
    traffic = daily_traffic(duck, ASSIGNMENT.format(schema=""), days=days, now=now)
    assert traffic == pytest.approx(_traffic_reference(raw, now, days))
    assert traffic > 0


@pytest.mark.postgres
def test_daily_traffic_in_postgresql(pg, pg_schema, raw):
    now = sc.START + timedelta(days=9)
    traffic = daily_traffic(pg, ASSIGNMENT.format(schema=f"{pg_schema}."), days=7, now=now)
    assert traffic == pytest.approx(_traffic_reference(raw, now, 7))
