"""Role-policy rows for the conflicts pages and API.

`prepare` drafts two designs in review on the checkout page at the same time (Aisha's and
Lena's) and a third of Lena's tied to a confidential Commerce plan's decision point, which
collides with Aisha's too; one scan opens the conflicts. James (Platform Engineering
stakeholder) may not read the confidential plan: its conflict is a 404 for him.
"""

import datetime

from django.utils import timezone

from tests.policy_table import Row

C = "/api/v1/conflicts/"
ONE = C + "{c.conflict.pk}/"
SECRET = C + "{c.secret_conflict.pk}/"
CHECK = "/api/v1/experiments/{c.conflict_a.pk}/check-conflicts/"
SECRET_CHECK = "/api/v1/experiments/{c.conflict_secret_exp.pk}/check-conflicts/"
P = "/conflicts/"
PAGE = P + "{c.conflict.pk}/"
SECRET_PAGE = P + "{c.secret_conflict.pk}/"
PANEL = P + "experiments/{c.conflict_a.pk}/"


def prepare(ctx) -> None:
    if hasattr(ctx, "conflict"):
        return  # the completeness test prepares once per row, on one database
    from apps.conflicts import services
    from apps.conflicts.models import Conflict, Kind
    from apps.roadmap import services as roadmap
    from tests.conflicts import factories as f

    today = timezone.localdate()
    ctx.conflict_a, ctx.conflict_b = f.pair(ctx.demo)
    plan = roadmap.plan_create(
        actor=ctx.users["priya"], group=ctx.group, title="Checkout secret", goal="Learn.",
        kill_criteria="Stop.", owner=ctx.users["lena"], sponsor=ctx.users["sofia"],
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=100), confidential=True,
    )  # fmt: skip
    point = roadmap.milestone_add(
        actor=ctx.users["priya"], plan=plan, title="Checkout point", question="Does it?",
        target_date=today + datetime.timedelta(days=30), decision_criteria="Continue if so.",
    )  # fmt: skip
    roadmap.plan_transition(actor=ctx.users["priya"], plan=plan, status="active")
    ctx.conflict_secret_exp = f.in_review(ctx.demo, "lena", title="Secret checkout",
                                          key="secret-checkout", milestone=point)  # fmt: skip
    services.conflicts_scan(notify=False)
    pair = {ctx.conflict_a.pk, ctx.conflict_b.pk}
    rows = Conflict.objects.filter(kind=Kind.SURFACE_COLLISION)
    ctx.conflict = next(c for c in rows if {c.experiment_a_id, c.experiment_b_id} == pair)
    ctx.secret_conflict = next(
        c for c in rows if ctx.conflict_secret_exp.pk in (c.experiment_a_id, c.experiment_b_id)
    )


def _reason(c) -> dict:
    return {"reason": "We analyse them jointly."}


ROWS = [
    # API
    Row(None, "get", C, 401),
    Row("sofia", "get", C, 200),
    Row("outsider", "get", C, 200),  # an empty list: nothing of groups they are not in
    Row("sofia", "get", ONE, 200),
    Row("outsider", "get", ONE, 404),
    Row("james", "get", SECRET, 404),
    Row("sofia", "get", SECRET, 200),
    Row(None, "post", ONE + "acknowledge/", 401, _reason),
    Row("sofia", "post", ONE + "acknowledge/", 403, _reason),
    Row("aisha", "post", ONE + "acknowledge/", 403, _reason),
    Row("priya", "post", ONE + "acknowledge/", 403, _reason),
    Row("outsider", "post", ONE + "acknowledge/", 404, _reason),
    Row("james", "post", SECRET + "acknowledge/", 404, _reason),
    Row("marco", "post", ONE + "acknowledge/", 200, _reason),
    Row("dana", "post", ONE + "acknowledge/", 200, _reason),
    Row(None, "post", CHECK, 401),
    Row("sofia", "post", CHECK, 200),
    Row("outsider", "post", CHECK, 404),
    Row("james", "post", SECRET_CHECK, 404),
    # pages
    Row(None, "get", P, 302, page=True),
    Row("sofia", "get", P, 200, page=True),
    Row("sofia", "get", P + "timeline/", 200, page=True),
    Row(None, "get", P + "timeline/", 302, page=True),
    Row("sofia", "get", PAGE, 200, page=True),
    Row("outsider", "get", PAGE, 404, page=True),
    Row("james", "get", SECRET_PAGE, 404, page=True),
    Row("aisha", "post", PAGE + "acknowledge/", 403, _reason, page=True),
    Row("sofia", "post", PAGE + "acknowledge/", 403, _reason, page=True),
    Row("marco", "post", PAGE + "acknowledge/", 302, _reason, page=True),
    Row("sofia", "post", PAGE + "interaction/", 403, page=True),
    Row("aisha", "post", PAGE + "interaction/", 302, page=True),
    Row("outsider", "post", PAGE + "interaction/", 404, page=True),
    Row("sofia", "get", PANEL, 200, page=True),
    Row("outsider", "get", PANEL, 404, page=True),
]
