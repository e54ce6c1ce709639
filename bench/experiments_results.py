"""Benchmark: the results of an experiment with 10 metrics × 3 arms × 20 segments.

Run on PostgreSQL (the database production uses):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/expprogram .venv/bin/python bench/experiments_results.py

It builds its own scratch database (`expprogram_bench_results`, dropped at the end), drafts
two running experiments through the services, one with 3 metrics and one with 10, and pushes
12 snapshots of per-variant sums to each (the history the cumulative chart draws), every one
with 20 segments (country × platform). Then it times in-process through Django's test client
(server time, no network) the results page and the experiment page for each, and the results
API, counting their queries. The goal: the 10-metric results page under 150 ms, with the same
number of queries as the 3-metric one. It also times the analysis of one snapshot
(`analyze_many` over metrics × arms × segments plus segments and Simpson's flag).
"""

import datetime
import statistics
import sys
import time

from scratch import scratch_database

RUNS = 25
LOOKS = 12
ARMS = ("control", "treatment-a", "treatment-b")
COUNTRIES = ("DE", "FR", "GB", "US", "BR")
PLATFORMS = ("web", "ios", "android", "tv")
SCRATCH_DB = "expprogram_bench_results"


def rows_for(keys: list[str], look: int) -> list[dict]:
    """Per-variant sums for each metric: the whole population and 20 country × platform
    segments (as two breakdowns of 5 and 4 values, 9 rows, plus the cross of the two as 20)."""
    rows = []
    scale = look + 1
    for m, key in enumerate(keys):
        for a, arm in enumerate(ARMS):
            rate = 0.30 * (1 + 0.02 * a * (m % 3 - 1))
            cells = [(None, None, 20_000)]
            cells += [("country", c, 4_000) for c in COUNTRIES]
            cells += [("platform", p, 5_000) for p in PLATFORMS]
            cells += [("market", f"{c}-{p}", 1_000) for c in COUNTRIES for p in PLATFORMS]
            for segment, value, n in cells:
                n *= scale
                c = round(n * rate)
                rows.append({"metric": key, "variant": arm, "segment": segment,
                             "segment_value": value, "n": n, "sum": c, "sum_squares": c})  # fmt: skip
    return rows


def build(people, metrics: int) -> object:
    from apps.experiments import services
    from apps.experiments.models import DataSource, Experiment, Metric, SourceKind
    from apps.experiments.services import MetricSpec, VariantSpec
    from tests.experiments import factories as f

    src, _ = DataSource.objects.get_or_create(
        working_group=people.group, name="Bench",
        defaults={"kind": SourceKind.DUCKDB, "config": {"path": "/nonexistent"},
                  "assignment_sql": f.ASSIGNMENT_SQL},
    )  # fmt: skip
    library = [
        Metric.objects.get_or_create(
            working_group=people.group, key=f"metric-{i}",
            defaults={"data_source": src, "name": f"Metric {i}", "kind": "binomial",
                      "sql": "SELECT unit_id, ts, value FROM events"},
        )[0]
        for i in range(metrics)
    ]  # fmt: skip
    roles = [MetricSpec(library[0], "primary")]
    roles += [MetricSpec(m, "guardrail", harm_threshold=0.05) for m in library[1:3]]
    roles += [MetricSpec(m, "secondary") for m in library[3:]]
    from django.utils import timezone

    today = timezone.localdate()
    exp = services.experiment_create(
        actor=people.users["aisha"], hypothesis=f.accepted_hypothesis(people),
        key=f"bench-{metrics}", title=f"Bench with {metrics} metrics", data_source=src,
        variants=[VariantSpec(a, 1, i == 0) for i, a in enumerate(ARMS)], metrics=roles,
        planned_start=today, planned_end=today + datetime.timedelta(days=28), baseline=0.3,
        mde=0.05, daily_traffic=100_000,
    )  # fmt: skip
    services.experiment_transition(actor=people.users["aisha"], experiment=exp, action="submit")
    services.experiment_transition(actor=people.users["marco"], experiment=exp, action="approve")
    Experiment.objects.filter(pk=exp.pk).update(status="running")
    exp.refresh_from_db()
    keys = [m.key for m in library]
    for look in range(LOOKS):
        services.snapshot_store(actor=people.users["aisha"], experiment=exp,
                                rows=rows_for(keys, look), source="push")  # fmt: skip
    return exp


def timed(client, url: str) -> tuple[float, int, int]:
    """Median milliseconds over RUNS after one warm-up, queries of one request, bytes."""
    from django.db import connection

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), len(queries), len(response.content)


def main() -> int:
    with scratch_database(SCRATCH_DB):
        from django.test import Client
        from rest_framework.test import APIClient

        from apps.accounts.demo import seed_people
        from apps.experiments.analysis import analyse
        from apps.experiments.services import analysis_plan

        people = seed_people()
        started = time.perf_counter()
        small, large = build(people, 3), build(people, 10)
        print(f"built 2 experiments × {LOOKS} snapshots in {time.perf_counter() - started:.1f} s "
              f"on PostgreSQL; median of {RUNS} runs")  # fmt: skip
        page, api = Client(), APIClient()
        page.force_login(people.users["sofia"])
        api.force_authenticate(people.users["sofia"])
        rows = []
        for exp, label in ((small, "3 metrics"), (large, "10 metrics")):
            rows += [
                (label, "HTML results", *timed(page, f"/experiments/{exp.pk}/results/")),
                (label, "HTML experiment", *timed(page, f"/experiments/{exp.pk}/")),
                (label, "API  results", *timed(api, f"/api/v1/experiments/{exp.pk}/results/")),
            ]
        print(f"{'design':<11} {'view':<16} {'median ms':>9} {'queries':>8} {'KiB':>7}")
        for label, name, median, queries, size in rows:
            print(f"{label:<11} {name:<16} {median:>9.1f} {queries:>8} {size / 1024:>7.0f}")
        plan = analysis_plan(large)
        stats = large.snapshots.order_by("-pk").first().stats
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            analyse(stats, plan)
            samples.append((time.perf_counter() - start) * 1000)
        print(f"analysis of one snapshot (10 metrics × 3 arms × 29 segment rows): "
              f"{statistics.median(samples):.1f} ms")  # fmt: skip
        worst = max(r[2] for r in rows if r[0] == "10 metrics" and "results" in r[1])
        print(f"10-metric results: slowest median {worst:.1f} ms (goal: under 150 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
