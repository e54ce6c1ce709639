"""Role-policy rows for the experiments API (policy_rows.py adds them to the table).

`prepare_api` writes, through the services: a small DuckDB warehouse file and its data
source; a draft experiment of Aisha's; a running one of Aisha's with a pushed snapshot; and a
running experiment of Lena's tied to a confidential Commerce plan's decision point, which
James (Platform Engineering stakeholder) may not read: 404.
"""

import datetime
import tempfile
from pathlib import Path

import duckdb
from django.utils import timezone

from tests.policy_table import Row

E = "/api/v1/experiments/"
EXP = E + "{c.exp.pk}/"
RUN = E + "{c.running.pk}/"
SECRET = E + "{c.secret_exp.pk}/"
S = "/api/v1/snapshots/"
M = "/api/v1/metrics/"
DS = "/api/v1/data-sources/"


def _warehouse() -> str:
    path = Path(tempfile.mkdtemp(prefix="expr-policy-")) / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE exposures AS SELECT 'k' AS experiment_key, i AS unit_id, "
        "CASE WHEN i % 2 = 0 THEN 'control' ELSE 'treatment' END AS variant, "
        "now() - INTERVAL 2 DAY AS first_exposure_at, 'DE' AS country, 'web' AS platform "
        "FROM range(50) r(i)"
    )
    # One event per unit for each metric the factories define (their SQL filters by name).
    con.execute(
        "CREATE TABLE events AS SELECT unit_id, now() - INTERVAL 1 DAY AS ts, m.name, "
        "1.0 AS value FROM exposures, (VALUES ('checkout-conversion'), ('revenue'), "
        "('page-load-ms')) m(name)"
    )
    con.close()
    return str(path)


def prepare_api(ctx) -> None:
    from apps.experiments import services
    from apps.experiments.models import DataSource, SourceKind
    from apps.roadmap import services as roadmap
    from tests.experiments import factories as f

    today = timezone.localdate()
    # get_or_create: the completeness test prepares once per row, on one database.
    ctx.src = DataSource.objects.filter(working_group=ctx.group, name="Warehouse").first()
    if ctx.src is None:
        ctx.src = DataSource.objects.create(
            working_group=ctx.group, name="Warehouse", kind=SourceKind.DUCKDB,
            config={"path": _warehouse()}, assignment_sql=f.ASSIGNMENT_SQL,
        )  # fmt: skip
    ctx.metric = f.metric(ctx.demo, ctx.src, "checkout-conversion")
    ctx.exp = f.design(ctx.demo, data_source=ctx.src)
    ctx.running = f.approved(ctx.demo, data_source=ctx.src)
    services.experiment_transition(actor=ctx.users["aisha"], experiment=ctx.running,
                                   action="start")  # fmt: skip
    ctx.snapshot = services.snapshot_store(
        actor=ctx.users["aisha"], experiment=ctx.running, rows=f.push_rows(ctx.running),
        source="push",
    )  # fmt: skip
    plan = roadmap.plan_create(
        actor=ctx.users["priya"], group=ctx.group, title="Pricing secret", goal="Learn.",
        kill_criteria="Stop.", owner=ctx.users["lena"], sponsor=ctx.users["sofia"],
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=100), confidential=True,
    )  # fmt: skip
    point = roadmap.milestone_add(
        actor=ctx.users["priya"], plan=plan, title="Price point", question="Does it?",
        target_date=today + datetime.timedelta(days=30), decision_criteria="Continue if so.",
    )  # fmt: skip
    roadmap.plan_transition(actor=ctx.users["priya"], plan=plan, status="active")
    ctx.secret_exp = f.design(ctx.demo, owner="lena", data_source=ctx.src, milestone=point)
    ctx.hypothesis = f.accepted_hypothesis(ctx.demo, owner="lena")


def _draft(c) -> dict:
    return {
        "hypothesis": c.hypothesis.pk,
        "title": "Policy draft",
        "metrics": [{"metric": c.metric.pk, "role": "primary"}],
    }


def _rows(c) -> dict:
    from tests.experiments import factories as f

    return {"rows": f.push_rows(c.running)}


def _source(c) -> dict:
    return {
        "working_group": c.group.pk, "name": "Another", "kind": "duckdb",
        "config": {"path": c.src.config["path"]},
        "assignment_sql": "SELECT experiment_key, unit_id, variant, first_exposure_at FROM exposures",
    }  # fmt: skip


def _metric(c) -> dict:
    return {
        "working_group": c.group.pk, "data_source": c.src.pk, "name": "Any purchase",
        "kind": "binomial", "sql": "SELECT unit_id, ts, value FROM events",
    }  # fmt: skip


def _submit(c) -> dict:
    return {"action": "submit"}


def _title(c) -> dict:
    return {"title": "Renamed"}


API_ROWS = [
    # experiments
    Row(None, "get", E, 401),
    Row("sofia", "get", E, 200),
    Row("outsider", "get", EXP, 404),
    Row("sofia", "get", EXP, 200),
    Row("james", "get", SECRET, 404),
    Row("sofia", "get", SECRET, 200),
    Row("sofia", "post", E, 403, _draft),
    Row("lena", "post", E, 201, _draft),
    Row("lena", "patch", EXP, 403, _title),
    Row("aisha", "patch", EXP, 200, _title),
    Row("priya", "patch", EXP, 200, _title),
    Row("sofia", "post", EXP + "transition/", 403, _submit),
    Row("lena", "post", EXP + "transition/", 403, _submit),
    Row("aisha", "post", EXP + "transition/", 200, _submit),
    Row("sofia", "get", EXP + "checklist/", 200),
    Row("outsider", "get", EXP + "checklist/", 404),
    Row("sofia", "get", RUN + "results/", 200),
    Row("james", "get", SECRET + "results/", 404),
    Row("sofia", "post", RUN + "refresh/", 403),
    Row("lena", "post", RUN + "refresh/", 202),
    Row("lena", "post", RUN + "push/", 403, _rows),
    Row("aisha", "post", RUN + "push/", 201, _rows),
    Row("sofia", "post", RUN + "upload/", 403),
    # snapshots
    Row("sofia", "get", S, 200),
    Row("sofia", "get", S + "{c.snapshot.pk}/", 200),
    Row("outsider", "get", S + "{c.snapshot.pk}/", 404),
    # metrics
    Row("sofia", "get", M, 200),
    Row("sofia", "get", M + "{c.metric.pk}/", 200),
    Row("outsider", "get", M + "{c.metric.pk}/", 404),
    Row("sofia", "post", M, 403, _metric),
    Row("lena", "post", M, 201, _metric),
    Row("lena", "patch", M + "{c.metric.pk}/", 403, _title),
    Row("marco", "patch", M + "{c.metric.pk}/", 200, lambda c: {"name": "Conversion"}),
    # data sources: admins only, and no member learns a source exists
    Row("aisha", "get", DS, 200),
    Row("priya", "get", DS + "{c.src.pk}/", 404),
    Row("dana", "get", DS + "{c.src.pk}/", 200),
    Row("priya", "post", DS, 403, _source),
    Row("dana", "post", DS, 201, _source),
    Row("priya", "patch", DS + "{c.src.pk}/", 404, lambda c: {"name": "Mine"}),
    Row("dana", "patch", DS + "{c.src.pk}/", 200, lambda c: {"name": "Renamed"}),
    Row("aisha", "post", DS + "{c.src.pk}/measure-traffic/", 404),
    Row("dana", "post", DS + "{c.src.pk}/measure-traffic/", 200),
]
