"""Any small warehouse: the pull's rows equal the sums counted in Python, and add up."""

from __future__ import annotations

from datetime import UTC, timedelta

import duckdb
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.experiments.warehouse import pull

from . import scenario as sc

ASSIGNMENT = (
    "SELECT experiment_key, unit_id, variant, first_exposure_at, country, platform FROM exposures"
)


class MemoryDuckDB:
    """The Warehouse protocol over a plain in-memory DuckDB connection."""

    dialect = "duckdb"

    def __init__(self, data: sc.Scenario) -> None:
        self.connection = duckdb.connect()
        self.connection.execute("SET TimeZone = 'UTC'")
        tables = {
            "exposures": (
                "experiment_key VARCHAR, unit_id BIGINT, variant VARCHAR, "
                "first_exposure_at TIMESTAMP, country VARCHAR, platform VARCHAR"
            ),
            "events": "unit_id BIGINT, ts TIMESTAMP, value DOUBLE, numerator DOUBLE, denominator INTEGER",
            "pre_period": "unit_id BIGINT, value DOUBLE",
        }
        for table, columns in tables.items():
            self.connection.execute(f"CREATE TABLE {table} ({columns})")
            rows = [
                tuple(
                    v.astimezone(UTC).replace(tzinfo=None) if hasattr(v, "tzinfo") else v
                    for v in row
                )
                for row in getattr(data, table)
            ]
            if rows:
                columns_of = {
                    f"c{i}": np.array(c, dtype=object)
                    for i, c in enumerate(zip(*rows, strict=True))
                }
                self.connection.register("incoming", columns_of)
                self.connection.execute(f"INSERT INTO {table} SELECT * FROM incoming")
                self.connection.unregister("incoming")

    def fetch(self, sql, params, *, timeout_s):
        return self.connection.execute(sql, params).fetchall()

    def close(self):
        self.connection.close()


def _moment(hours: int):
    return sc.START + timedelta(hours=hours)


units = st.integers(0, 12)
exposures = st.lists(
    st.tuples(
        st.sampled_from([sc.KEY, sc.KEY, sc.KEY, "other"]),
        units,
        st.sampled_from(["control", "treatment", "holdout"]),
        st.integers(-48, 400).map(_moment),
        st.sampled_from(sc.COUNTRIES),
        st.sampled_from(sc.PLATFORMS),
    ),
    max_size=30,
)
values = st.one_of(
    st.none(), st.just(0.0), st.floats(-5, 500, allow_nan=False).map(lambda v: round(v, 2))
)
events = st.lists(
    st.tuples(
        units,
        st.integers(-100, 500).map(_moment),
        values,
        st.floats(0, 300, allow_nan=False).map(lambda v: round(v, 2)),
        st.integers(0, 3),
    ),
    max_size=40,
)
pre_period = st.lists(
    st.tuples(units, st.floats(-50, 50, allow_nan=False).map(lambda v: round(v, 2))), max_size=15
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exposures=exposures, events=events, pre_period=pre_period)
def test_any_warehouse_pulls_the_sums_counted_by_hand(exposures, events, pre_period):
    data = sc.Scenario(exposures=exposures, events=events, pre_period=pre_period)
    warehouse = MemoryDuckDB(data)
    try:
        request = sc.request(ASSIGNMENT, sc.metrics("events", "pre_period"))
        pulls = pull(warehouse, request)
    finally:
        warehouse.close()
    for metric, pulled in zip(request.metrics, pulls, strict=True):
        wanted, multi_exposed = sc.expected(data, metric)
        assert pulled.multi_exposed == multi_exposed
        sc.assert_rows_match(pulled.rows, wanted)
        # Each segment's values partition the variant's units: n and Σy add up.
        whole = {r.variant: r for r in pulled.rows if r.segment is None}
        for segment in request.segments:
            for variant, total in whole.items():
                parts = [r for r in pulled.rows if r.segment == segment and r.variant == variant]
                assert sum(r.n for r in parts) == total.n
                assert abs(sum(r.sum for r in parts) - total.sum) <= 1e-6 * (1 + abs(total.sum))
