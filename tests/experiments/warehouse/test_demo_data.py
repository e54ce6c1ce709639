"""The demo warehouse holds what it says: pulled like any warehouse, each experiment shows
its known effect, checked with textbook intervals computed here from the raw sums."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime

import duckdb
import pytest
from scipy import stats

from apps.experiments.warehouse import check_covariate_sql, check_metric_sql, pull, warehouse_for
from apps.experiments.warehouse.demo_data import build_demo_warehouse

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
Z = stats.norm.ppf(0.975)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    started = time.perf_counter()
    built = build_demo_warehouse(str(path), now=NOW)
    built_in = time.perf_counter() - started
    return built, built_in


@pytest.fixture(scope="module")
def pulled(demo):
    built, _ = demo
    warehouse = warehouse_for("duckdb", built.config)
    try:
        return {
            e.key: {p.metric: p for p in pull(warehouse, built.request(e.key, end=NOW))}
            for e in built.experiments
        }
    finally:
        warehouse.close()


def _whole(pull_, variant):
    return next(r for r in pull_.rows if r.variant == variant and r.segment is None)


def _mean_difference(pull_):
    """Welch's interval for treatment − control of a per-unit mean, from n, Σy, Σy²."""
    control, treatment = (r for r in pull_.rows if r.segment is None)

    def moments(row):
        mean = row.sum / row.n
        variance = (row.sum_squares - row.n * mean**2) / (row.n - 1)
        return mean, variance / row.n

    (m0, v0), (m1, v1) = moments(control), moments(treatment)
    half = Z * math.sqrt(v0 + v1)
    return m1 - m0 - half, m1 - m0 + half, m1 / m0 - 1


def _ratio_difference(pull_):
    """The delta method's interval for Σnumerator/Σdenominator, treatment − control."""
    results = []
    for row in (r for r in pull_.rows if r.segment is None):
        n = row.n
        mean_y, mean_d = row.sum / n, row.denominator_sum / n
        var_y = (row.sum_squares - n * mean_y**2) / (n - 1)
        var_d = (row.denominator_sum_squares - n * mean_d**2) / (n - 1)
        cov = (row.cross_sum - n * mean_y * mean_d) / (n - 1)
        ratio = row.sum / row.denominator_sum
        variance = (var_y - 2 * ratio * cov + ratio**2 * var_d) / (n * mean_d**2)
        results.append((ratio, variance))
    (r0, v0), (r1, v1) = results
    half = Z * math.sqrt(v0 + v1)
    return r1 - r0 - half, r1 - r0 + half, r1 / r0 - 1


def test_it_builds_six_experiments_of_20000_units_in_a_few_seconds(demo):
    built, built_in = demo
    assert built_in < 15  # about one second alone; the machine is shared
    assert len(built.experiments) == 6
    connection = duckdb.connect(built.path, read_only=True)
    try:
        units = connection.execute(
            "SELECT experiment_key, count(DISTINCT unit_id) FROM exposures GROUP BY 1"
        ).fetchall()
    finally:
        connection.close()
    assert dict(units) == {e.key: 20_000 for e in built.experiments}


def test_every_metric_definition_passes_the_forms_checks(demo):
    built, _ = demo
    for metric in built.metrics:
        check_metric_sql(metric.sql, metric.kind, dialect="duckdb")
        if metric.covariate_sql:
            check_covariate_sql(metric.covariate_sql, dialect="duckdb")
    assert {m.kind for m in built.metrics} == {"binomial", "continuous", "ratio"}


def test_the_clear_win_lifts_conversion(pulled):
    low, _, lift = _mean_difference(pulled["checkout-redesign"]["conversion"])
    assert low > 0
    assert 0.02 < lift < 0.14  # the true lift is +8 %


def test_the_flat_result_shows_no_conversion_effect(pulled):
    low, high, _ = _mean_difference(pulled["search-ranking"]["conversion"])
    assert low < 0 < high


def test_the_guardrail_breach_slows_pages_by_about_ten_percent(demo, pulled):
    built, _ = demo
    assert built.experiment("image-cdn").true_effects["page_load_time"] == 0.10
    low, _, lift = _mean_difference(pulled["image-cdn"]["page_load_time"])
    assert low > 0
    assert lift == pytest.approx(0.10, abs=0.03)
    assert next(m for m in built.metrics if m.key == "page_load_time").direction == "decrease"


def test_the_srm_splits_52_48_on_a_planned_50_50(demo, pulled):
    built, _ = demo
    experiment = built.experiment("pricing-banner")
    assert [w for _, w in experiment.variants] == [0.5, 0.5]
    pull_ = pulled["pricing-banner"]["conversion"]
    control, treatment = _whole(pull_, "control").n, _whole(pull_, "treatment").n
    assert control / (control + treatment) == pytest.approx(0.52, abs=0.005)
    total = control + treatment
    assert stats.chisquare([control, treatment], [total / 2, total / 2]).pvalue < 1e-6


def test_the_aa_test_shows_no_difference(pulled):
    pull_ = pulled["platform-aa"]["conversion"]
    low, high, _ = _mean_difference(pull_)
    assert low < 0 < high
    control, copy = _whole(pull_, "control").n, _whole(pull_, "control_b").n
    assert stats.chisquare([control, copy]).pvalue > 0.01


def test_the_bundle_raises_revenue_per_order(pulled):
    low, _, lift = _ratio_difference(pulled["bundle-offer"]["revenue_per_order"])
    assert low > 0
    assert lift == pytest.approx(0.06, abs=0.04)


def test_units_on_both_variants_and_purchases_before_exposure_are_left_out(demo, pulled):
    built, _ = demo
    connection = duckdb.connect(built.path, read_only=True)
    try:
        crossed, early = connection.execute(
            """
            WITH units AS (
                SELECT unit_id, min(first_exposure_at) AS first_at,
                       count(DISTINCT variant) AS variants
                FROM exposures WHERE experiment_key = 'checkout-redesign' GROUP BY unit_id
            )
            SELECT (SELECT count(*) FROM units WHERE variants > 1),
                   (SELECT count(*) FROM events e JOIN units u USING (unit_id)
                    WHERE e.event = 'purchase' AND e.ts < u.first_at)
            """
        ).fetchone()
    finally:
        connection.close()
    assert crossed > 0 and early > 0
    pulls = pulled["checkout-redesign"]
    assert {p.multi_exposed for p in pulls.values()} == {crossed}
    conversion = pulls["conversion"]
    assert sum(r.n for r in conversion.rows if r.segment is None) == 20_000 - crossed


def test_segments_break_every_metric_down_by_country_platform_and_visitor_type(pulled):
    rows = pulled["checkout-redesign"]["revenue"].rows
    values = {(r.segment, r.segment_value) for r in rows if r.segment}
    assert {v for s, v in values if s == "country"} == {"US", "DE", "GB", "FR", "BR"}
    assert {v for s, v in values if s == "platform"} == {"web", "ios", "android"}
    assert {v for s, v in values if s == "visitor_type"} == {"new", "returning"}
    revenue = _whole(pulled["checkout-redesign"]["revenue"], "control")
    assert revenue.pre_sum > 0 and revenue.sum_product > 0  # the CUPED covariate is there


def test_the_same_seed_builds_the_same_warehouse(tmp_path):
    first = build_demo_warehouse(str(tmp_path / "a.duckdb"), units_per_experiment=500, now=NOW)
    second = build_demo_warehouse(str(tmp_path / "b.duckdb"), units_per_experiment=500, now=NOW)
    query = "SELECT sum(hash(COLUMNS(*))) FROM events"
    digests = []
    for built in (first, second):
        connection = duckdb.connect(built.path, read_only=True)
        digests.append(connection.execute(query).fetchall())
        connection.close()
    assert digests[0] == digests[1]
    assert first.counts == second.counts


def test_it_replaces_an_older_build_in_place(tmp_path):
    path = str(tmp_path / "demo.duckdb")
    build_demo_warehouse(path, units_per_experiment=300, now=NOW, seed=1)
    rebuilt = build_demo_warehouse(path, units_per_experiment=200, now=NOW, seed=2)
    connection = duckdb.connect(path, read_only=True)
    try:
        units = connection.execute("SELECT count(DISTINCT unit_id) FROM exposures").fetchone()
    finally:
        connection.close()
    assert units == (6 * 200,)
    assert rebuilt.counts["exposures"] >= 6 * 200
