"""The pull job on a real Celery worker over Redis: against a DuckDB file and a PostgreSQL
data source, a failure retried until the source is back, a duplicated delivery storing one
snapshot, and a worker killed in the middle of a pull leaving one complete snapshot once
the job is redelivered to another worker process."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from apps.experiments import services
from apps.experiments.models import DataSource, MetricKind, Snapshot, SnapshotStatus, SourceKind
from apps.experiments.services import MetricSpec, VariantSpec
from apps.experiments.tasks import pull_results
from tests.experiments import factories as f
from tests.experiments.test_pull import KEY, build_warehouse
from tests.services import TEST_BROKER_URL

ROOT = Path(__file__).resolve().parents[2]
URL_ENV = "EXPR_TEST_PULL_SOURCE_URL"
PG_ASSIGNMENT = (
    "SELECT experiment_key, unit_id, variant, first_exposure_at, country FROM pull_exposures"
)


def wait_for(snapshot: Snapshot, statuses, seconds: float = 60) -> Snapshot:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        snapshot.refresh_from_db()
        if snapshot.status in statuses:
            return snapshot
        time.sleep(0.2)
    raise AssertionError(f"snapshot {snapshot.pk} stayed {snapshot.status}: {snapshot.error}")


def start_running(demo, src: DataSource, metric_sql: str) -> object:
    metric = services.metric_create(
        actor=demo.users["marco"], group=demo.group, source=src, name="Purchase",
        kind=MetricKind.BINOMIAL, sql=metric_sql, probe=False,
    )  # fmt: skip
    today = timezone.localdate()
    exp = services.experiment_create(
        actor=demo.users["aisha"], hypothesis=f.accepted_hypothesis(demo), key=KEY,
        title="Guest checkout", data_source=src,
        variants=[VariantSpec("control", 1, True), VariantSpec("treatment", 1)],
        metrics=[MetricSpec(metric, "primary")], planned_start=today,
        planned_end=today + datetime.timedelta(days=28), baseline=0.1, mde=0.2,
        daily_traffic=5000,
    )  # fmt: skip
    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="submit")
    services.experiment_transition(actor=demo.users["marco"], experiment=exp, action="approve")
    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="start")
    exp.started_at = timezone.now() - datetime.timedelta(days=4)
    exp.save(update_fields=["started_at"])
    return exp


def duckdb_source(demo, path) -> DataSource:
    return DataSource.objects.create(
        working_group=demo.group, name="DuckDB", kind=SourceKind.DUCKDB,
        config={"path": str(path)}, assignment_sql=f.ASSIGNMENT_SQL,
        segment_columns=["country"],
    )  # fmt: skip


PURCHASES = "SELECT unit_id, ts, value FROM events WHERE name = 'purchase'"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_pulls_from_a_duckdb_file(demo, tmp_path, celery_app, celery_worker):
    path = tmp_path / "warehouse.duckdb"
    truth = build_warehouse(path)
    exp = start_running(demo, duckdb_source(demo, path), PURCHASES)

    snapshot = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)

    wait_for(snapshot, {SnapshotStatus.DONE, SnapshotStatus.FAILED})
    assert snapshot.status == SnapshotStatus.DONE, snapshot.error
    whole = {r["variant"]: (r["n"], r["sum"]) for r in snapshot.stats if r["segment"] is None}
    assert whole == {v: (n, float(c)) for v, (n, c) in truth.items()}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_failed_pull_is_retried_until_the_source_is_back(
    demo, tmp_path, monkeypatch, celery_app, celery_worker
):
    from apps.experiments import sources
    from apps.experiments.warehouse import WarehouseUnavailable

    path = tmp_path / "warehouse.duckdb"
    build_warehouse(path)
    exp = start_running(demo, duckdb_source(demo, path), PURCHASES)
    # The source is down for the first two attempts (the worker runs in this process).
    real_connect, calls = sources.connect, []

    def flaky_connect(source):
        calls.append(source.pk)
        if len(calls) <= 2:
            raise WarehouseUnavailable("connection refused")
        return real_connect(source)

    monkeypatch.setattr(sources, "connect", flaky_connect)

    snapshot = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)

    wait_for(snapshot, {SnapshotStatus.DONE})
    assert snapshot.attempts == 3
    assert snapshot.error == ""
    assert snapshot.stats


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_duplicated_delivery_stores_one_snapshot(demo, tmp_path, celery_app, celery_worker):
    path = tmp_path / "warehouse.duckdb"
    build_warehouse(path)
    exp = start_running(demo, duckdb_source(demo, path), PURCHASES)
    snapshot = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)

    results = [pull_results.delay(snapshot.pk) for _ in range(2)]  # on top of the queued one

    for result in results:
        result.get(timeout=60)
    wait_for(snapshot, {SnapshotStatus.DONE})
    assert Snapshot.objects.filter(experiment=exp).count() == 1
    assert snapshot.stats and snapshot.analysis["metrics"]


# --- PostgreSQL as the data source ------------------------------------------------------


@pytest.fixture
def pg_source_url(monkeypatch):
    """A scratch PostgreSQL database holding the warehouse tables; its URL lives only in an
    environment variable, as production's does."""
    base = connection.settings_dict
    admin = f"postgresql://{base['USER']}@{base['HOST']}:{base['PORT']}/postgres"
    name = f"expr_pull_source_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql://{base['USER']}@{base['HOST']}:{base['PORT']}/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            """CREATE TABLE pull_exposures AS
               SELECT %s::text AS experiment_key, i AS unit_id,
                      CASE WHEN i %% 2 = 0 THEN 'control' ELSE 'treatment' END AS variant,
                      now() - interval '2 days' AS first_exposure_at,
                      CASE WHEN i %% 3 = 0 THEN 'DE' ELSE 'FR' END AS country
               FROM generate_series(1, 2000) AS i""",
            [KEY],
        )
        conn.execute(
            """CREATE TABLE pull_events AS
               SELECT unit_id, now() - interval '1 day' AS ts, 1.0::float8 AS value
               FROM pull_exposures WHERE unit_id % 5 = 0 OR (variant = 'treatment' AND unit_id % 7 = 0)"""
        )
    monkeypatch.setenv(URL_ENV, url)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_source(demo) -> DataSource:
    return DataSource.objects.create(
        working_group=demo.group, name="Postgres", kind=SourceKind.POSTGRESQL,
        config={"url_env": URL_ENV}, assignment_sql=PG_ASSIGNMENT, segment_columns=["country"],
    )  # fmt: skip


def pg_truth(url: str) -> dict:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """SELECT x.variant, count(*), count(e.unit_id) FROM pull_exposures x
               LEFT JOIN (SELECT DISTINCT unit_id FROM pull_events) e USING (unit_id)
               GROUP BY x.variant"""
        ).fetchall()
    return {variant: (n, float(c)) for variant, n, c in rows}


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_pulls_from_a_postgresql_source(demo, pg_source_url, celery_app, celery_worker):
    exp = start_running(demo, pg_source(demo), "SELECT unit_id, ts, value FROM pull_events")

    snapshot = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)

    wait_for(snapshot, {SnapshotStatus.DONE, SnapshotStatus.FAILED})
    assert snapshot.status == SnapshotStatus.DONE, snapshot.error
    whole = {r["variant"]: (r["n"], r["sum"]) for r in snapshot.stats if r["segment"] is None}
    assert whole == pg_truth(pg_source_url)
    assert pg_source_url not in str(snapshot.analysis) + snapshot.error


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "expprogram", "worker", "--pool=solo",
         "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
         "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_pull_leaves_one_complete_snapshot(demo, pg_source_url, monkeypatch):
    # The job goes to Redis by name, as the web app sends it, from a client of its own: the
    # test settings would otherwise run it in this process.
    from celery import Celery

    from apps.experiments.services import snapshots

    monkeypatch.setattr(snapshots, "_queue", lambda snapshot: None)
    client = Celery("expr-test-client", broker=TEST_BROKER_URL, set_as_current=False)
    # The metric waits in the database, so the first worker is surely inside the pull when
    # it dies; Redis hands the unacknowledged job to the second after the visibility timeout.
    slow = "SELECT unit_id, ts, value FROM pull_events CROSS JOIN pg_sleep(4)"
    exp = start_running(demo, pg_source(demo), slow)
    base = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "expprogram.settings.base",
        "DATABASE_URL": f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/{base['NAME']}",
        "CELERY_BROKER_URL": TEST_BROKER_URL,
        "CELERY_VISIBILITY_TIMEOUT": "3",
        URL_ENV: pg_source_url,
    }
    first = _worker(env)
    second = None
    try:
        snapshot = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)
        client.send_task("apps.experiments.tasks.pull_results", args=[snapshot.pk])
        wait_for(snapshot, {SnapshotStatus.RUNNING}, seconds=60)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert Snapshot.objects.get(pk=snapshot.pk).stats == []  # nothing half-written

        second = _worker(env)
        wait_for(snapshot, {SnapshotStatus.DONE}, seconds=90)
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)

    assert Snapshot.objects.filter(experiment=exp).count() == 1
    assert snapshot.attempts == 2
    whole = {r["variant"]: (r["n"], r["sum"]) for r in snapshot.stats if r["segment"] is None}
    assert whole == pg_truth(pg_source_url)
