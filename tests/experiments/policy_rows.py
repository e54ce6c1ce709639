"""Role-policy rows for experiments: the API's (api_policy_rows.py) and the pages'.

`prepare` writes what the paths refer to (see api_policy_rows.prepare_api); the pages add a
design of Aisha's in review, for the statistics lead's step."""

from django.utils import timezone

from tests.policy_table import Row

from .api_policy_rows import API_ROWS, prepare_api


def prepare(ctx) -> None:
    prepare_api(ctx)
    prepare_pages(ctx)


# --- pages
# prepare_api's objects: c.exp (Aisha's draft), c.running (Aisha's, running, with c.snapshot
# pushed), c.secret_exp (Lena's, on a confidential Commerce plan: James may not read it),
# c.hypothesis (accepted, no design yet), c.src (a DuckDB source with data) and c.metric
# (Marco's). The pages add c.review, a design of Aisha's in review.

P = "/experiments/"
DRAFT = P + "{c.exp.pk}/"
REVIEW = P + "{c.review.pk}/"
RUNNING = P + "{c.running.pk}/"
HIDDEN = P + "{c.secret_exp.pk}/"
SNAPSHOT = P + "snapshots/{c.snapshot.pk}/"
METRIC = P + "metrics/{c.metric.pk}/edit/"
SOURCE = P + "sources/{c.src.pk}/"


def prepare_pages(ctx) -> None:
    from apps.experiments import services
    from tests.experiments import factories as f

    ctx.review = f.design(ctx.demo, data_source=ctx.src)
    services.experiment_transition(actor=ctx.users["aisha"], experiment=ctx.review,
                                   action="submit")  # fmt: skip


def _hypothesis(c) -> dict:
    return {"hypothesis": c.hypothesis.pk}


def _slug(c) -> dict:
    return {"group": c.group.slug}


def _design(c) -> dict:
    today = timezone.localdate()
    return {
        "hypothesis": c.hypothesis.pk, "title": "Page-drafted test", "type": "ab",
        "unit": "user", "owner": c.users["aisha"].pk, "variants": "control: 1\ntreatment: 1",
        "data_source": c.src.pk, "layer_share": "100", "allocation": "100",
        "planned_start": str(today), "planned_end": str(today.replace(year=today.year + 1)),
        "method": "frequentist", "alpha": "0.05", "power": "0.8", "mde": "0.02",
        "correction": "holm", "refresh_minutes": "60", f"role_{c.metric.pk}": "primary",
    }  # fmt: skip


def _page_metric(c) -> dict:
    # A table the warehouse lacks: the SQL runs once on save and its error is a field's.
    return {"group": c.group.slug, "name": "Orders", "data_source": c.src.pk,
            "kind": "binomial", "direction": "increase",
            "sql": "SELECT unit_id, ts, value FROM orders"}  # fmt: skip


def _page_source(c) -> dict:
    return {"group": c.group.slug, "name": "Second warehouse", "kind": "duckdb",
            "config": '{"path": "/srv/warehouse.duckdb"}',
            "assignment_sql": "SELECT experiment_key, unit_id, variant, first_exposure_at "
            "FROM exposures"}  # fmt: skip


def _step(action: str):
    return lambda c: {"action": action}


PAGE_ROWS: list[Row] = [
    Row(None, "get", P, 302, page=True),
    Row("sofia", "get", P, 200, page=True),
    Row("outsider", "get", P, 200, page=True),
    Row(None, "get", P + "new/", 302, _hypothesis, page=True),
    Row("sofia", "get", P + "new/", 403, _hypothesis, page=True),
    Row("outsider", "get", P + "new/", 404, _hypothesis, page=True),
    Row("aisha", "get", P + "new/", 200, _hypothesis, page=True),
    Row("sofia", "post", P + "new/", 403, _design, page=True),
    Row("aisha", "post", P + "new/", 302, _design, page=True),
    Row(None, "get", DRAFT, 302, page=True),
    Row("sofia", "get", DRAFT, 200, page=True),
    Row("outsider", "get", DRAFT, 404, page=True),
    Row("james", "get", HIDDEN, 404, page=True),  # Platform Engineering: hidden
    Row("sofia", "get", HIDDEN, 200, page=True),  # Commerce: the sponsor's unit
    Row("tomas", "get", HIDDEN, 200, page=True),  # members read confidential plans
    Row("sofia", "get", DRAFT + "edit/", 403, page=True),
    Row("lena", "get", DRAFT + "edit/", 403, page=True),
    Row("aisha", "get", DRAFT + "edit/", 200, page=True),
    Row("priya", "get", DRAFT + "edit/", 200, page=True),
    Row("sofia", "post", REVIEW + "transition/", 403, _step("approve"), page=True),
    Row("aisha", "post", REVIEW + "transition/", 403, _step("approve"), page=True),
    Row("marco", "post", REVIEW + "transition/", 302, _step("approve"), page=True),
    Row("lena", "post", DRAFT + "transition/", 403, _step("submit"), page=True),
    Row("aisha", "post", DRAFT + "transition/", 302, _step("submit"), page=True),
    Row("outsider", "post", DRAFT + "transition/", 404, _step("submit"), page=True),
    Row("sofia", "get", DRAFT + "checklist/", 403, page=True),
    Row("aisha", "get", DRAFT + "checklist/", 200, page=True),
    Row(None, "get", RUNNING + "results/", 302, page=True),
    Row("sofia", "get", RUNNING + "results/", 200, page=True),
    Row("outsider", "get", RUNNING + "results/", 404, page=True),
    Row("sofia", "get", RUNNING + "results.csv", 200, page=True),
    Row("outsider", "get", RUNNING + "results.csv", 404, page=True),
    Row("aisha", "get", DRAFT + "results.csv", 404, page=True),  # no snapshot yet
    Row(None, "post", RUNNING + "refresh/", 302, page=True),
    Row("sofia", "post", RUNNING + "refresh/", 403, page=True),
    Row("lena", "post", RUNNING + "refresh/", 302, page=True),  # members may pull
    Row("aisha", "post", DRAFT + "refresh/", 400, page=True),  # a draft is not pulled
    Row(None, "get", SNAPSHOT, 302, page=True),
    Row("sofia", "get", SNAPSHOT, 200, page=True),
    Row("outsider", "get", SNAPSHOT, 404, page=True),
    Row(None, "get", P + "metrics/", 302, page=True),
    Row("sofia", "get", P + "metrics/", 200, _slug, page=True),
    Row("outsider", "get", P + "metrics/", 404, page=True),
    Row("sofia", "get", P + "metrics/new/", 403, _slug, page=True),
    Row("aisha", "get", P + "metrics/new/", 200, _slug, page=True),
    Row("sofia", "post", P + "metrics/new/", 403, _page_metric, page=True),
    Row("aisha", "post", P + "metrics/new/", 400, _page_metric, page=True),
    Row("sofia", "get", METRIC, 403, page=True),
    Row("aisha", "get", METRIC, 403, page=True),  # Marco's metric
    Row("marco", "get", METRIC, 200, page=True),
    Row("priya", "get", METRIC, 200, page=True),
    Row("outsider", "get", METRIC, 404, page=True),
    Row(None, "get", P + "sources/", 302, page=True),
    Row("sofia", "get", P + "sources/", 200, _slug, page=True),
    Row("priya", "get", P + "sources/new/", 403, _slug, page=True),
    Row("dana", "get", P + "sources/new/", 200, _slug, page=True),
    Row("priya", "post", P + "sources/new/", 403, _page_source, page=True),
    Row("dana", "post", P + "sources/new/", 302, _page_source, page=True),
    Row("aisha", "get", SOURCE + "edit/", 403, page=True),
    Row("dana", "get", SOURCE + "edit/", 200, page=True),
    Row("outsider", "get", SOURCE + "edit/", 404, page=True),
    Row("aisha", "post", SOURCE + "traffic/", 403, page=True),
    Row("dana", "post", SOURCE + "traffic/", 302, page=True),
]

ROWS = API_ROWS + PAGE_ROWS
