"""The roadmap's cost does not grow with the number of plans: query counts at two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import plans_at_scale, today

pytestmark = pytest.mark.django_db

PAGES = [
    ("page", "/", {}),  # the dashboard, with the roadmap's panels
    ("page", "/roadmap/", {}),
    ("page", "/roadmap/updates/", {"group": "growth-experimentation"}),
    ("api", "/api/v1/roadmap/", {}),
    ("api", "/api/v1/plans/", {}),
    ("api", "/api/v1/milestones/", {}),
    ("api", "/api/v1/roadmap/decisions/", {}),
    ("api", "/api/v1/stakeholder-updates/", "update"),
]


def _count(client, path, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize(("kind", "path", "params"), PAGES, ids=[p for _, p, _ in PAGES])
def test_the_query_count_is_the_same_for_5_and_40_plans(
    demo, web_as, api_as, django_assert_num_queries, kind, path, params
):
    if params == "update":
        params = {
            "working_group": demo.group.pk,
            "since": str(today().replace(day=1)),
            "until": str(today()),
        }
    client = web_as("sofia") if kind == "page" else api_as("sofia")
    plans_at_scale(demo, 5)
    small = _count(client, path, params)

    plans_at_scale(demo, 35)
    with django_assert_num_queries(small):
        client.get(path, params)


def test_the_plan_page_costs_the_same_for_2_and_8_milestones(demo, web_as):
    client = web_as("sofia")
    small, large = plans_at_scale(demo, 1, milestones=2)[0], plans_at_scale(demo, 1)[0]

    assert _count(client, f"/roadmap/plans/{small.pk}/", {}) == _count(
        client, f"/roadmap/plans/{large.pk}/", {}
    )
