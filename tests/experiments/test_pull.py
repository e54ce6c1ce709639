"""Pulling results from a real DuckDB warehouse file: the checklist runs the metrics, a
refresh stores an analysed snapshot, a failed pull keeps the previous one current."""

import datetime

import duckdb
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.experiments import services
from apps.experiments.models import DataSource, MetricKind, Snapshot, SnapshotStatus, SourceKind
from apps.experiments.services import MetricSpec, VariantSpec
from tests.experiments import factories as f

pytestmark = pytest.mark.django_db

KEY = "guest-checkout"


def build_warehouse(path, *, units=4000, lift=0.3) -> dict:
    """Exposures and purchase events with a known effect, generated inside DuckDB; returns
    each variant's units and buyers, counted straight from the raw tables."""
    start = timezone.now() - datetime.timedelta(days=3)
    con = duckdb.connect(str(path))
    con.execute(
        """CREATE TABLE exposures AS
           SELECT ? AS experiment_key, i AS unit_id,
                  CASE WHEN random() < 0.5 THEN 'control' ELSE 'treatment' END AS variant,
                  ?::TIMESTAMPTZ + to_minutes(i % 600) AS first_exposure_at,
                  CASE WHEN i % 2 = 0 THEN 'DE' ELSE 'FR' END AS country,
                  CASE WHEN i % 3 = 0 THEN 'ios' ELSE 'web' END AS platform
           FROM range(?) AS r(i)""",
        [KEY, start, units],
    )
    con.execute(
        """CREATE TABLE events AS
           SELECT unit_id, first_exposure_at + INTERVAL 12 HOUR AS ts, 'purchase' AS name,
                  1.0::DOUBLE AS value
           FROM exposures
           WHERE random() < CASE WHEN variant = 'control' THEN 0.10 ELSE 0.10 * (1 + ?) END""",
        [lift],
    )
    # Events before exposure and of another kind: the pull must leave both out.
    con.execute("INSERT INTO events SELECT unit_id, first_exposure_at - INTERVAL 1 HOUR, "
                "'purchase', 1.0 FROM exposures WHERE unit_id % 7 = 0")  # fmt: skip
    con.execute("INSERT INTO events SELECT unit_id, first_exposure_at + INTERVAL 1 HOUR, "
                "'page_view', 1.0 FROM exposures")  # fmt: skip
    counts = con.execute(
        """SELECT x.variant, count(*), count(b.unit_id) FROM exposures x
           LEFT JOIN (SELECT DISTINCT e.unit_id FROM events e JOIN exposures x2
                      ON e.unit_id = x2.unit_id
                      WHERE e.name = 'purchase' AND e.ts >= x2.first_exposure_at) b
           ON x.unit_id = b.unit_id GROUP BY x.variant"""
    ).fetchall()
    con.close()
    return {variant: (n, buyers) for variant, n, buyers in counts}


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    return path, build_warehouse(path)


def running_on(demo, path) -> object:
    src = DataSource.objects.create(
        working_group=demo.group, name="DuckDB", kind=SourceKind.DUCKDB,
        config={"path": str(path)}, assignment_sql=f.ASSIGNMENT_SQL,
        segment_columns=["country", "platform"],
    )  # fmt: skip
    conv = services.metric_create(
        actor=demo.users["marco"], group=demo.group, source=src, name="Purchase",
        kind=MetricKind.BINOMIAL,
        sql="SELECT unit_id, ts, value FROM events WHERE name = 'purchase'",
    )  # fmt: skip
    today = timezone.localdate()
    exp = services.experiment_create(
        actor=demo.users["aisha"], hypothesis=f.accepted_hypothesis(demo), key=KEY,
        title="Guest checkout", data_source=src,
        variants=[VariantSpec("control", 1, True), VariantSpec("treatment", 1)],
        metrics=[MetricSpec(conv, "primary")], planned_start=today,
        planned_end=today + datetime.timedelta(days=28), baseline=0.1, mde=0.2,
        daily_traffic=5000,
    )  # fmt: skip
    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="submit")
    services.experiment_transition(actor=demo.users["marco"], experiment=exp, action="approve")
    services.experiment_transition(actor=demo.users["aisha"], experiment=exp, action="start")
    exp.started_at = timezone.now() - datetime.timedelta(days=4)
    exp.save(update_fields=["started_at"])
    return exp


def test_a_metric_with_a_missing_column_is_refused_on_save_with_the_databases_words(
    demo, warehouse
):
    path, _ = warehouse
    src = DataSource.objects.create(
        working_group=demo.group, name="DuckDB", kind=SourceKind.DUCKDB,
        config={"path": str(path)}, assignment_sql=f.ASSIGNMENT_SQL,
    )  # fmt: skip

    with pytest.raises(ValidationError) as error:
        services.metric_create(
            actor=demo.users["marco"], group=demo.group, source=src, name="Broken",
            kind=MetricKind.BINOMIAL, sql="SELECT unit_id, ts, amount AS value FROM events",
        )  # fmt: skip

    assert "amount" in error.value.message_dict["sql"][0]


def test_refresh_pulls_the_sums_and_analyses_them(
    demo, warehouse, django_capture_on_commit_callbacks
):
    path, truth = warehouse
    exp = running_on(demo, path)

    with django_capture_on_commit_callbacks(execute=True):
        snapshot = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)
    snapshot.refresh_from_db()

    assert snapshot.status == SnapshotStatus.DONE, snapshot.error
    whole = {r["variant"]: r for r in snapshot.stats if r["segment"] is None}
    assert {v: (whole[v]["n"], whole[v]["sum"]) for v in truth} == {
        v: (n, float(c)) for v, (n, c) in truth.items()
    }
    (n_c, c_c), (n_t, c_t) = truth["control"], truth["treatment"]
    lift = snapshot.analysis["metrics"][0]["arms"][0]["relative_lift"]
    assert lift == pytest.approx((c_t / n_t) / (c_c / n_c) - 1, rel=1e-9)
    assert {s["attribute"] for s in snapshot.analysis["segments"]} == {"country", "platform"}


def test_a_failed_pull_keeps_the_previous_snapshot_current(
    demo, warehouse, django_capture_on_commit_callbacks
):
    path, _ = warehouse
    exp = running_on(demo, path)
    with django_capture_on_commit_callbacks(execute=True):
        good = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)
    DataSource.objects.filter(pk=exp.data_source_id).update(config={"path": str(path) + ".gone"})

    with django_capture_on_commit_callbacks(execute=True):
        bad = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)
    bad.refresh_from_db()

    assert bad.status == SnapshotStatus.FAILED
    assert "not found" in bad.error
    assert Snapshot.objects.current().filter(experiment=exp).first().pk == good.pk


def test_a_redelivered_pull_for_a_finished_snapshot_stores_nothing_new(
    demo, warehouse, django_capture_on_commit_callbacks
):
    path, _ = warehouse
    exp = running_on(demo, path)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = services.experiment_refresh(actor=demo.users["lena"], experiment=exp)
    snapshot.refresh_from_db()
    taken = snapshot.taken_at

    assert services.snapshot_pull(snapshot.pk) is None

    snapshot.refresh_from_db()
    assert (snapshot.taken_at, snapshot.attempts) == (taken, 1)
    assert Snapshot.objects.filter(experiment=exp).count() == 1
