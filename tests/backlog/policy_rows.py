"""Role-policy rows for the backlog: hypotheses, scores, workflow, frameworks, portfolio, pages.

`prepare` gives every row a hypothesis Lena proposed and owns (Aisha is her delegate), a
custom framework the program manager made, and the group's standard ICE framework.
"""

from tests.policy_table import Row


def prepare(ctx):
    from apps.backlog import services
    from apps.backlog.models import ScoringFramework

    if hasattr(ctx, "hypothesis"):  # the route check prepares once per row
        return
    ctx.hypothesis = services.hypothesis_propose(
        actor=ctx.users["lena"],
        group=ctx.group,
        title="Guest checkout by default",
        change="preselect guest checkout",
        metric="checkout conversion",
        rationale="the sign-in wall is the most-clicked back button target",
    )
    ctx.custom = services.framework_create(
        actor=ctx.users["priya"],
        group=ctx.group,
        name="Value vs cost",
        criteria=[
            {"name": "Value", "scale_min": 0, "scale_max": 5, "weight": 2},
            {"name": "Cost", "scale_min": 0, "scale_max": 5, "weight": -1},
        ],
    )
    ctx.ice = ScoringFramework.objects.get(working_group=ctx.group, name="ICE")


def proposal(c) -> dict:
    return {
        "working_group": c.group.pk,
        "title": "Sticky add-to-cart",
        "change": "pin the add-to-cart button on mobile",
        "metric": "add-to-cart rate",
        "rationale": "the button scrolls out of view",
    }


def framework(c) -> dict:
    return {
        "working_group": c.group.pk,
        "name": "Reach and fit",
        "criteria": [{"name": "Reach", "scale_min": 0, "scale_max": 10}],
    }


def ice(c) -> dict:
    return {"values": {"impact": 7, "confidence": 5, "ease": 8}}


H = "/api/v1/hypotheses/"
ONE = H + "{c.hypothesis.pk}/"
FW = "/api/v1/scoring-frameworks/"
CUSTOM = FW + "{c.custom.pk}/"
PAGE = "/backlog/{c.hypothesis.pk}/"
GROUP = "/backlog/groups/{c.group.slug}/"


def custom_page(c) -> dict:
    return {
        "name": "Reach and fit",
        "rule": "sum",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Reach",
        "criteria-0-scale_min": "0",
        "criteria-0-scale_max": "10",
        "criteria-0-weight": "1",
    }


ROWS: list[Row] = [
    # --- hypotheses
    Row(None, "get", H, 401),
    Row("sofia", "get", H, 200),
    Row("outsider", "get", H, 200),  # an empty list: nothing of other groups shows
    Row(None, "post", H, 401, proposal),
    Row("sofia", "post", H, 403, proposal),
    Row("outsider", "post", H, 400, proposal),  # the group is unknown to them
    Row("lena", "post", H, 201, proposal),
    Row("priya", "post", H, 201, proposal),
    Row("sofia", "get", ONE, 200),
    Row("outsider", "get", ONE, 404),
    Row("sofia", "patch", ONE, 403, lambda c: {"title": "Mine"}),
    Row("tomas", "patch", ONE, 403, lambda c: {"title": "Mine"}),
    Row("lena", "patch", ONE, 200, lambda c: {"title": "Sharper"}),
    Row("aisha", "patch", ONE, 200, lambda c: {"title": "Sharper"}),  # Lena's delegate
    Row("priya", "patch", ONE, 200, lambda c: {"title": "Sharper"}),
    Row("outsider", "patch", ONE, 404, lambda c: {"title": "Mine"}),
    Row("tomas", "delete", ONE, 403),
    Row("sofia", "delete", ONE, 403),
    Row("lena", "delete", ONE, 204),
    # --- workflow
    Row("sofia", "post", ONE + "transition/", 403, lambda c: {"to_status": "accepted"}),
    Row("lena", "post", ONE + "transition/", 403, lambda c: {"to_status": "accepted"}),
    Row("priya", "post", ONE + "transition/", 200, lambda c: {"to_status": "accepted"}),
    Row("dana", "post", ONE + "transition/", 200, lambda c: {"to_status": "accepted"}),
    Row("outsider", "post", ONE + "transition/", 404, lambda c: {"to_status": "accepted"}),
    Row(None, "get", ONE + "history/", 401),
    Row("sofia", "get", ONE + "history/", 200),
    Row("outsider", "get", ONE + "history/", 404),
    # --- pins: the program manager's (and an admin's) to set and lift
    Row(None, "post", ONE + "pin/", 401, lambda c: {"reason": "Deadline"}),
    Row("sofia", "post", ONE + "pin/", 403, lambda c: {"reason": "Deadline"}),
    Row("lena", "post", ONE + "pin/", 403, lambda c: {"reason": "Deadline"}),
    Row("marco", "post", ONE + "pin/", 403, lambda c: {"reason": "Deadline"}),
    Row("outsider", "post", ONE + "pin/", 404, lambda c: {"reason": "Deadline"}),
    Row("priya", "post", ONE + "pin/", 200, lambda c: {"reason": "Deadline"}),
    Row("dana", "post", ONE + "pin/", 200, lambda c: {"reason": "Deadline"}),
    Row("lena", "delete", ONE + "pin/", 403),
    Row("outsider", "delete", ONE + "pin/", 404),
    Row("priya", "delete", ONE + "pin/", 200),
    # --- scores
    Row("sofia", "get", ONE + "scores/", 200),
    Row("outsider", "get", ONE + "scores/", 404),
    Row("sofia", "post", ONE + "scores/", 403, ice),
    Row("tomas", "post", ONE + "scores/", 201, ice),
    Row("marco", "post", ONE + "scores/", 201, ice),
    Row("priya", "post", ONE + "scores/", 201, ice),
    Row("outsider", "post", ONE + "scores/", 404, ice),
    # --- scoring frameworks
    Row(None, "get", FW, 401),
    Row("sofia", "get", FW, 200),
    Row("lena", "post", FW, 403, framework),
    Row("priya", "post", FW, 201, framework),
    Row("sofia", "get", CUSTOM, 200),
    Row("outsider", "get", CUSTOM, 404),
    Row("lena", "patch", CUSTOM, 403, lambda c: {"name": "Renamed"}),
    Row("priya", "patch", CUSTOM, 200, lambda c: {"name": "Renamed"}),
    Row("priya", "patch", FW + "{c.ice.pk}/", 403, lambda c: {"description": "x"}),
    Row("dana", "patch", FW + "{c.ice.pk}/", 200, lambda c: {"description": "x"}),
    Row("lena", "delete", CUSTOM, 403),
    Row("priya", "delete", CUSTOM, 204),
    Row("priya", "delete", FW + "{c.ice.pk}/", 403),  # standard: an admin's, and kept
    Row("dana", "delete", FW + "{c.ice.pk}/", 400),
    Row("lena", "post", CUSTOM + "activate/", 403),
    Row("priya", "post", CUSTOM + "activate/", 200),
    Row("outsider", "post", CUSTOM + "activate/", 404),
    # --- portfolio
    Row(None, "get", "/api/v1/working-groups/{c.group.pk}/portfolio/", 401),
    Row("sofia", "get", "/api/v1/working-groups/{c.group.pk}/portfolio/", 200),
    Row("outsider", "get", "/api/v1/working-groups/{c.group.pk}/portfolio/", 404),
    # --- pages
    Row(None, "get", "/backlog/", 302, page=True),
    Row("sofia", "get", "/backlog/", 200, page=True),
    Row("outsider", "get", "/backlog/", 200, page=True),  # says they are in no group
    Row(None, "get", PAGE, 302, page=True),
    Row("sofia", "get", PAGE, 200, page=True),
    Row("outsider", "get", PAGE, 404, page=True),
    Row("sofia", "get", PAGE + "edit/", 403, page=True),
    Row("tomas", "get", PAGE + "edit/", 403, page=True),
    Row("aisha", "get", PAGE + "edit/", 200, page=True),
    Row(
        "lena",
        "post",
        PAGE + "edit/",
        302,
        lambda c: {**proposal(c), "direction": "increase", "category": "product"},
        page=True,
    ),
    Row("sofia", "post", PAGE + "score/", 403, lambda c: ice(c)["values"], page=True),
    Row("tomas", "post", PAGE + "score/", 302, lambda c: ice(c)["values"], page=True),
    Row("lena", "post", PAGE + "transition/", 403, lambda c: {"to_status": "accepted"}, page=True),
    Row("priya", "post", PAGE + "transition/", 302, lambda c: {"to_status": "accepted"}, page=True),
    Row("sofia", "get", GROUP + "propose/", 403, page=True),
    Row("lena", "get", GROUP + "propose/", 200, page=True),
    Row(
        "lena",
        "post",
        GROUP + "propose/",
        302,
        lambda c: {**proposal(c), "direction": "increase", "category": "product"},
        page=True,
    ),
    Row(None, "get", GROUP + "frameworks/", 302, page=True),
    Row("sofia", "get", GROUP + "frameworks/", 200, page=True),
    Row("outsider", "get", GROUP + "frameworks/", 404, page=True),
    Row("lena", "post", GROUP + "frameworks/new/", 403, custom_page, page=True),
    Row("priya", "post", GROUP + "frameworks/new/", 302, custom_page, page=True),
    Row(None, "post", PAGE + "pin/", 302, lambda c: {"reason": "Deadline"}, page=True),
    Row("sofia", "post", PAGE + "pin/", 403, lambda c: {"reason": "Deadline"}, page=True),
    Row("lena", "post", PAGE + "pin/", 403, lambda c: {"reason": "Deadline"}, page=True),
    Row("outsider", "post", PAGE + "pin/", 404, lambda c: {"reason": "Deadline"}, page=True),
    Row("priya", "post", PAGE + "pin/", 302, lambda c: {"reason": "Deadline"}, page=True),
    Row("lena", "post", PAGE + "unpin/", 403, page=True),
    Row("priya", "post", PAGE + "unpin/", 302, page=True),
    Row("lena", "post", GROUP + "ranking/", 403, page=True),
    Row("sofia", "post", GROUP + "ranking/", 403, page=True),
    Row("outsider", "post", GROUP + "ranking/", 404, page=True),
    Row("priya", "post", GROUP + "ranking/", 302, page=True),
    Row("lena", "post", GROUP + "target/", 403, lambda c: {"product_share_target": 60}, page=True),
    Row("priya", "post", GROUP + "target/", 302, lambda c: {"product_share_target": 60}, page=True),
    Row("lena", "post", "/backlog/frameworks/{c.custom.pk}/choose/", 403, page=True),
    Row("priya", "post", "/backlog/frameworks/{c.custom.pk}/choose/", 302, page=True),
    Row("outsider", "post", "/backlog/frameworks/{c.custom.pk}/choose/", 404, page=True),
    Row("lena", "post", "/backlog/frameworks/{c.custom.pk}/delete/", 403, page=True),
    Row("priya", "post", "/backlog/frameworks/{c.custom.pk}/delete/", 302, page=True),
]
