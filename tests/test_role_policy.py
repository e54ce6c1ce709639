"""The role policy, endpoint by endpoint and page by page.

One row per (who, request, expected status). Every endpoint or page a later issue adds
gets its rows here: anonymous, a stakeholder, a member on someone else's item, the program
manager. `who` is a demo username (see apps/accounts/demo.py), None for anonymous, or
"outsider" for a signed-in person in no group.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from apps.accounts.models import Membership, User


@dataclass(frozen=True)
class Row:
    who: str | None
    method: str
    path: str  # formatted with c=Ctx; {c.m(username).pk} names a membership
    expected: int
    data: Callable[[Any], dict] | None = None
    page: bool = False  # an HTML page (form posts, redirects to login) rather than the API

    def __str__(self) -> str:
        return f"{self.who or 'anonymous'}-{self.method}-{self.expected}"


class Ctx:
    """What rows refer to: the demo group, its memberships, a newcomer and an outsider."""

    def __init__(self, demo):
        self.demo = demo
        self.group = demo.group
        self.users = demo.users
        self.newcomer = User.objects.create_user("newcomer", password="pw-newcomer-1")
        self.outsider = User.objects.create_user("outsider", password="pw-outsider-1")

    def m(self, username: str) -> Membership:
        return Membership.objects.get(user=self.users[username], working_group=self.group)


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
        for section in ("backlog", "meetings", "roadmap", "experiments", "knowledge")
        for who, status in ((None, 302), ("sofia", 200))
    ],
]


def _format(template: str, ctx: Ctx) -> str:
    # str.format cannot call methods: resolve {c.m(name).pk} and units first.
    raw = re.sub(r"\{c\.m\((\w+)\)\.pk\}", lambda m: str(ctx.m(m.group(1)).pk), template)
    raw = re.sub(
        r"\{c\.demo\.units\[([\w-]+)\]\.pk\}", lambda m: str(ctx.demo.units[m.group(1)].pk), raw
    )
    return raw.format(c=ctx)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_the_role_policy_decides_who_may_do_what(row: Row, demo, client):
    from rest_framework.test import APIClient

    ctx = Ctx(demo)
    path = _format(row.path, ctx)
    data = row.data(ctx) if row.data else None
    user = {"outsider": ctx.outsider}.get(row.who) or (demo.users[row.who] if row.who else None)

    if row.page:
        if user is not None:
            client.force_login(user)
        response = (
            getattr(client, row.method)(path, data) if data else getattr(client, row.method)(path)
        )
    else:
        api_client = APIClient()
        if user is not None:
            api_client.force_authenticate(user)
        response = getattr(api_client, row.method)(path, data, format="json")

    assert response.status_code == row.expected, (path, response.content[:400])
    if row.page and row.expected == 302 and row.who is None:
        assert response["Location"].startswith("/accounts/login/")
