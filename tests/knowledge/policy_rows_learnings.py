"""Role-policy rows for learnings and the meta-analysis: pages and API.

Members draft learnings; the author (or their delegate, or the program manager) edits,
links and submits one; the statistics lead or the program manager publishes it. Stakeholders
read published learnings only; an outsider finds none (404). The meta-analysis is open to
everyone signed in and counts only what each may read.
"""

from tests.policy_table import Row


def prepare(ctx) -> None:
    from apps.experiments.models import Experiment, Status
    from apps.knowledge.models import Learning, LinkRole
    from apps.knowledge.services import learnings as services
    from tests.experiments import factories as f

    # Idempotent: the completeness test prepares every row's module on one database.
    ctx.kl_exp = Experiment.objects.filter(working_group=ctx.group, key="kl-delivery").first()
    if ctx.kl_exp is None:
        ctx.kl_exp = f.design(ctx.demo, owner="lena", key="kl-delivery", title="Delivery fee early")
        ctx.kl_other = f.design(ctx.demo, owner="lena", key="kl-threshold", title="Free delivery")
        Experiment.objects.filter(pk__in=[ctx.kl_exp.pk, ctx.kl_other.pk]).update(
            status=Status.CONCLUDED, decision="ship", rationale="Won."
        )
        lena = ctx.users["lena"]
        ctx.kl_draft = services.learning_create(
            actor=lena, group=ctx.group, title="Fees early", changed="Fees shown.",
            happened="Orders up.", experiments=[(ctx.kl_exp, LinkRole.SUPPORTS)],
        )  # fmt: skip
        ctx.kl_pub = services.learning_create(
            actor=lena, group=ctx.group, title="Published", changed="Fees shown.",
            happened="Orders up.", experiments=[(ctx.kl_exp, LinkRole.SUPPORTS)],
        )  # fmt: skip
        ctx.kl_review = services.learning_create(
            actor=lena, group=ctx.group, title="In review", changed="Fees shown.",
            happened="Orders up.",
        )  # fmt: skip
        services.learning_transition(actor=lena, learning=ctx.kl_pub, action="submit")
        services.learning_transition(actor=lena, learning=ctx.kl_review, action="submit")
        services.learning_transition(
            actor=ctx.users["marco"], learning=ctx.kl_pub, action="publish"
        )
    else:
        ctx.kl_other = Experiment.objects.get(working_group=ctx.group, key="kl-threshold")
        ctx.kl_draft = Learning.objects.get(working_group=ctx.group, title="Fees early")
        ctx.kl_pub = Learning.objects.get(working_group=ctx.group, title="Published")
        ctx.kl_review = Learning.objects.get(working_group=ctx.group, title="In review")


P = "/knowledge/learnings/"
PUB = P + "{c.kl_pub.pk}/"
DRAFT = P + "{c.kl_draft.pk}/"
REVIEW = P + "{c.kl_review.pk}/"
NEW = P + "new/"
META = "/knowledge/meta-analysis/"
A = "/api/v1/learnings/"
A_PUB = A + "{c.kl_pub.pk}/"
A_DRAFT = A + "{c.kl_draft.pk}/"
A_REVIEW = A + "{c.kl_review.pk}/"


def _text(c) -> dict:
    return {"title": "Fees early, shown", "changed": "Fees on the PDP.", "happened": "Orders +4 %."}


def _api_new(c) -> dict:
    return {"working_group": c.group.pk, "title": "Fees early", "changed": "Fees on the PDP.",
            "happened": "Orders +4 %.", "experiments": [{"experiment": c.kl_exp.pk}]}  # fmt: skip


def _link(c) -> dict:
    return {"experiment": c.kl_other.pk, "role": "contradicts"}


def _from_exp(c) -> dict:
    return {"experiment": c.kl_exp.pk}


def _new_text(c) -> dict:
    return {**_text(c), "experiment": c.kl_exp.pk}


def _step(action: str, reason: str = ""):
    return lambda c: {"action": action, "reason": reason}


ROWS = [
    # --- pages: the list, a learning, writing one
    Row(None, "get", P, 302, page=True),
    Row("sofia", "get", P, 200, page=True),
    Row(None, "get", PUB, 302, page=True),
    Row("james", "get", PUB, 200, page=True),
    Row("outsider", "get", PUB, 404, page=True),
    Row("sofia", "get", DRAFT, 404, page=True),
    Row("tomas", "get", DRAFT, 200, page=True),
    Row(None, "get", NEW, 302, data=_from_exp, page=True),
    Row("sofia", "get", NEW, 403, data=_from_exp, page=True),
    Row("outsider", "get", NEW, 404, data=_from_exp, page=True),
    Row("tomas", "get", NEW, 200, data=_from_exp, page=True),
    Row("sofia", "post", NEW, 403, data=_new_text, page=True),
    Row("tomas", "post", NEW, 302, data=_new_text, page=True),
    # --- editing: the author, her delegate, the program manager; not another member
    Row("tomas", "get", DRAFT + "edit/", 403, page=True),
    Row("lena", "get", DRAFT + "edit/", 200, page=True),
    Row("aisha", "post", DRAFT + "edit/", 302, data=_text, page=True),
    Row("priya", "post", DRAFT + "edit/", 302, data=_text, page=True),
    Row("tomas", "post", DRAFT + "links/", 403, data=_link, page=True),
    Row("lena", "post", DRAFT + "links/", 302, data=_link, page=True),
    Row("tomas", "post", DRAFT + "links/{c.kl_exp.pk}/remove/", 403, page=True),
    Row("lena", "post", DRAFT + "links/{c.kl_exp.pk}/remove/", 302, page=True),
    # --- review: the author submits; the statistics lead or the program manager publishes
    Row("tomas", "post", DRAFT + "transition/", 403, data=_step("submit"), page=True),
    Row("lena", "post", DRAFT + "transition/", 302, data=_step("submit"), page=True),
    Row("lena", "post", REVIEW + "transition/", 403, data=_step("publish"), page=True),
    Row("sofia", "post", REVIEW + "transition/", 404, data=_step("publish"), page=True),
    Row("marco", "post", REVIEW + "transition/", 302, data=_step("publish"), page=True),
    Row("marco", "post", PUB + "transition/", 400, data=_step("reopen"), page=True),
    Row("marco", "post", PUB + "transition/", 302, data=_step("reopen", "New data."), page=True),
    # --- the meta-analysis page
    Row(None, "get", META, 302, page=True),
    Row("james", "get", META, 200, page=True),
    Row("tomas", "get", META, 400, data=lambda c: {"quarter": "2025-Q9"}, page=True),
    # --- API
    Row(None, "get", A, 401),
    Row("sofia", "get", A, 200),
    Row("james", "get", A_PUB, 200),
    Row("outsider", "get", A_PUB, 404),
    Row("sofia", "get", A_DRAFT, 404),
    Row("tomas", "get", A_DRAFT, 200),
    Row("sofia", "post", A, 403, data=_api_new),
    Row("outsider", "post", A, 400, data=_api_new),
    Row("tomas", "post", A, 201, data=_api_new),
    Row("tomas", "patch", A_DRAFT, 403, data=lambda c: {"title": "Mine"}),
    Row("aisha", "patch", A_DRAFT, 200, data=lambda c: {"title": "Ours"}),
    Row("lena", "patch", A_PUB, 400, data=lambda c: {"title": "Frozen"}),
    Row("lena", "delete", A_DRAFT, 204),
    Row("lena", "delete", A_PUB, 400),
    Row("lena", "post", A_DRAFT + "transition/", 200, data=_step("submit")),
    Row("lena", "post", A_REVIEW + "transition/", 403, data=_step("publish")),
    Row("marco", "post", A_REVIEW + "transition/", 200, data=_step("publish")),
    Row("priya", "post", A_REVIEW + "transition/", 200, data=_step("publish")),
    Row("tomas", "post", A_DRAFT + "links/", 403, data=_link),
    Row("lena", "post", A_DRAFT + "links/", 200, data=_link),
    Row("lena", "post", A_DRAFT + "links/", 400, data=lambda c: {"experiment": 999999}),
    Row("lena", "delete", A_DRAFT + "links/{c.kl_exp.pk}/", 200),
    Row("lena", "delete", A_DRAFT + "links/{c.kl_other.pk}/", 404),
    Row(None, "get", A + "prefill/", 401, data=_from_exp),
    Row("sofia", "get", A + "prefill/", 200, data=_from_exp),
    Row("outsider", "get", A + "prefill/", 404, data=_from_exp),
    Row("tomas", "get", A + "prefill/", 400, data=lambda c: {"experiment": "abc"}),
    Row(None, "get", "/api/v1/meta-analysis/", 401),
    Row("james", "get", "/api/v1/meta-analysis/", 200),
    Row("outsider", "get", "/api/v1/meta-analysis/", 200),
    Row("tomas", "get", "/api/v1/meta-analysis/", 400, data=lambda c: {"business_unit": "nope"}),
]
