"""The role policy, endpoint by endpoint and page by page, from every app's rows.

See tests/policy_table.py: a new endpoint or page adds its rows in its app's
`tests/<app>/policy_rows.py` (anonymous, a stakeholder, a member on someone else's item,
the program manager) and this test picks them up.
"""

import importlib

import pytest
from django.urls import URLResolver, get_resolver, resolve

from tests.policy_table import Ctx, Row, all_rows

ROWS = all_rows()


@pytest.mark.parametrize(("module", "row"), ROWS, ids=[str(row) for _, row in ROWS])
def test_the_role_policy_decides_who_may_do_what(module: str, row: Row, demo, client):
    from rest_framework.test import APIClient

    ctx = Ctx(demo)
    prepare = getattr(importlib.import_module(module), "prepare", None)
    if prepare is not None:
        prepare(ctx)
    path = ctx.format(row.path)
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


def _route_names(patterns, prefix="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _route_names(pattern.url_patterns, namespace)
        elif pattern.name and not pattern.name.endswith("-root"):
            names.add(prefix + pattern.name)
    return names


def test_every_api_endpoint_and_page_has_rows_in_the_table(demo):
    # A new endpoint or page must not escape the policy table: every named route under
    # /api/v1/ and every section page is the target of at least one row.
    ctx = Ctx(demo)
    for module, _ in ROWS:
        prepare = getattr(importlib.import_module(module), "prepare", None)
        if prepare is not None:
            prepare(ctx)
    covered = set()
    for _, row in ROWS:
        match = resolve(ctx.format(row.path))
        covered.add(match.view_name)
    wanted = {
        name
        for name in _route_names(get_resolver().url_patterns)
        if not name.startswith(
            ("admin:", "api-schema", "api-docs", "api-token", "healthz", "login", "logout")
        )
    }
    missing = sorted(wanted - covered)
    assert not missing, f"routes without role-policy rows: {missing}"
