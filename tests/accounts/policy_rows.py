"""Role-policy rows for accounts: users, business units, working groups, memberships, pages."""

from tests.accounts.signin_policy_rows import ROWS as SIGNIN_ROWS
from tests.accounts.signin_policy_rows import prepare  # noqa: F401  (the table calls it)
from tests.policy_table import Row

G = "/api/v1/working-groups/{c.group.pk}/"
ROWS: list[Row] = [
    # --- users/me
    Row(None, "get", "/api/v1/users/me/", 401),
    Row("sofia", "get", "/api/v1/users/me/", 200),
    Row(None, "patch", "/api/v1/users/me/", 401, lambda c: {"first_name": "X"}),
    Row("sofia", "patch", "/api/v1/users/me/", 200, lambda c: {"first_name": "Sofie"}),
    # --- working groups
    Row(None, "get", "/api/v1/working-groups/", 401),
    Row("sofia", "get", "/api/v1/working-groups/", 200),
    Row("sofia", "get", G, 200),
    Row("outsider", "get", G, 404),
    Row("sofia", "get", G + "members/", 200),
    Row("outsider", "get", G + "members/", 404),
    Row(None, "patch", G, 401, lambda c: {"goal": "New goal"}),
    Row("sofia", "patch", G, 403, lambda c: {"goal": "New goal"}),
    Row("lena", "patch", G, 403, lambda c: {"goal": "New goal"}),
    Row("marco", "patch", G, 403, lambda c: {"goal": "New goal"}),
    Row("priya", "patch", G, 200, lambda c: {"goal": "New goal"}),
    Row("dana", "patch", G, 200, lambda c: {"goal": "New goal"}),
    Row("priya", "patch", G, 403, lambda c: {"program_manager": c.users["lena"].pk}),
    Row("dana", "patch", G, 200, lambda c: {"program_manager": c.users["lena"].pk}),
    Row(
        "lena",
        "post",
        "/api/v1/working-groups/",
        403,
        lambda c: {"name": "New", "goal": "g", "program_manager": c.users["lena"].pk},
    ),
    Row(
        "priya",
        "post",
        "/api/v1/working-groups/",
        403,
        lambda c: {"name": "New", "goal": "g", "program_manager": c.users["lena"].pk},
    ),
    Row(
        "dana",
        "post",
        "/api/v1/working-groups/",
        201,
        lambda c: {"name": "New", "goal": "g", "program_manager": c.users["lena"].pk},
    ),
    # --- business units
    Row(None, "get", "/api/v1/business-units/", 401),
    Row("sofia", "get", "/api/v1/business-units/", 200),
    Row("priya", "post", "/api/v1/business-units/", 403, lambda c: {"name": "Marketing"}),
    Row("dana", "post", "/api/v1/business-units/", 201, lambda c: {"name": "Marketing"}),
    Row(
        "priya",
        "patch",
        "/api/v1/business-units/{c.demo.units[commerce].pk}/",
        403,
        lambda c: {"description": "x"},
    ),
    Row(
        "dana",
        "patch",
        "/api/v1/business-units/{c.demo.units[commerce].pk}/",
        200,
        lambda c: {"description": "x"},
    ),
    # --- memberships
    Row(None, "get", "/api/v1/memberships/", 401),
    Row("sofia", "get", "/api/v1/memberships/", 200),
    Row(
        "sofia",
        "post",
        "/api/v1/memberships/",
        403,
        lambda c: {"user": c.newcomer.pk, "working_group": c.group.pk},
    ),
    Row(
        "lena",
        "post",
        "/api/v1/memberships/",
        403,
        lambda c: {"user": c.newcomer.pk, "working_group": c.group.pk},
    ),
    Row(
        "priya",
        "post",
        "/api/v1/memberships/",
        201,
        lambda c: {"user": c.newcomer.pk, "working_group": c.group.pk},
    ),
    Row(
        "priya",
        "post",
        "/api/v1/memberships/",
        403,
        lambda c: {"user": c.newcomer.pk, "working_group": c.group.pk, "role": "admin"},
    ),
    Row(
        "lena",
        "patch",
        "/api/v1/memberships/{c.m(aisha).pk}/",
        403,
        lambda c: {"role": "stakeholder"},
    ),
    Row(
        "lena",
        "patch",
        "/api/v1/memberships/{c.m(aisha).pk}/",
        403,
        lambda c: {"delegate": c.users["tomas"].pk},
    ),
    Row(
        "sofia",
        "patch",
        "/api/v1/memberships/{c.m(aisha).pk}/",
        403,
        lambda c: {"role": "stakeholder"},
    ),
    Row(
        "priya",
        "patch",
        "/api/v1/memberships/{c.m(aisha).pk}/",
        200,
        lambda c: {"role": "stakeholder"},
    ),
    Row(
        "lena",
        "patch",
        "/api/v1/memberships/{c.m(lena).pk}/",
        200,
        lambda c: {"delegate": c.users["tomas"].pk},
    ),
    Row(
        "sofia", "patch", "/api/v1/memberships/{c.m(sofia).pk}/", 403, lambda c: {"role": "member"}
    ),
    Row(
        "outsider",
        "patch",
        "/api/v1/memberships/{c.m(aisha).pk}/",
        404,
        lambda c: {"role": "member"},
    ),
    Row("lena", "delete", "/api/v1/memberships/{c.m(tomas).pk}/", 403),
    Row("priya", "delete", "/api/v1/memberships/{c.m(tomas).pk}/", 204),
    # --- pages
    Row(None, "get", "/", 302, page=True),
    Row("sofia", "get", "/", 200, page=True),
    Row(None, "get", "/groups/{c.group.slug}/", 302, page=True),
    Row("sofia", "get", "/groups/{c.group.slug}/", 200, page=True),
    Row("outsider", "get", "/groups/{c.group.slug}/", 404, page=True),
    Row(
        None,
        "post",
        "/groups/{c.group.slug}/members/",
        302,
        lambda c: {"user": c.newcomer.pk, "role": "member"},
        page=True,
    ),
    Row(
        "sofia",
        "post",
        "/groups/{c.group.slug}/members/",
        403,
        lambda c: {"user": c.newcomer.pk, "role": "member"},
        page=True,
    ),
    Row(
        "lena",
        "post",
        "/groups/{c.group.slug}/members/",
        403,
        lambda c: {"user": c.newcomer.pk, "role": "member"},
        page=True,
    ),
    Row(
        "priya",
        "post",
        "/groups/{c.group.slug}/members/",
        302,
        lambda c: {"user": c.newcomer.pk, "role": "member"},
        page=True,
    ),
    Row(
        "lena",
        "post",
        "/groups/{c.group.slug}/members/{c.m(aisha).pk}/",
        403,
        lambda c: {"role": "stakeholder"},
        page=True,
    ),
    Row(
        "priya",
        "post",
        "/groups/{c.group.slug}/members/{c.m(aisha).pk}/",
        302,
        lambda c: {"role": "stakeholder"},
        page=True,
    ),
    *[
        Row(who, "get", f"/{section}/", status, page=True)
        for section in ("experiments", "knowledge")
        for who, status in ((None, 302), ("sofia", 200))
    ],
]

ROWS += SIGNIN_ROWS
