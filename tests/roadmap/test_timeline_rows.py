"""The roadmap's lean rows: they say what the models say, and every text in them is escaped.

The roadmap reads plans and milestones as tuples and writes its SVG and table rows in
Python; these tests hold that path to the model-based one the plan pages use.
"""

import pytest
from django.utils import timezone

from apps.roadmap import selectors
from apps.roadmap.demo import seed_roadmap

from .factories import plan_with

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["priya", "sofia", "james", "lena"])
def test_lean_rows_agree_with_the_models_for_every_viewer(demo, who):
    seed_roadmap(demo)
    plan_with(demo, title="Overdue plan", milestones=(-5, 40))
    user = demo.users[who]
    today = timezone.localdate()

    models = selectors.plans_for(user)
    lean = selectors.timeline_plans(user)

    assert [p.id for p in lean] == [p.pk for p in models]
    assert models, "the demo roadmap shows plans to every member and stakeholder"
    for row, plan in zip(lean, models, strict=True):
        current = plan.current_milestone()
        assert row.current is not None if current else row.current is None
        assert (row.current.id if row.current else None) == (current.pk if current else None)
        assert row.shipped == plan.shipped
        assert row.is_closed == plan.is_closed
        assert row.target_quarter == plan.target_quarter
        assert (row.owner_name, row.sponsor_name) == (
            plan.owner.display_name,
            plan.sponsor.display_name,
        )
        cadence = plan.working_group.cadence_days
        assert [row.state(m, today=today) for m in row.milestones] == [
            selectors.milestone_state(m, today=today, due_within=cadence)
            for m in plan.ordered_milestones()
        ]


def test_the_roadmap_page_escapes_plan_and_milestone_titles(demo, web_as):
    plan = plan_with(demo, title='<img src=x onerror="alert(1)">')
    milestone = plan.milestones.order_by("position").first()
    milestone.title = "</title><script>alert(2)</script>"
    milestone.save(update_fields=["title"])

    html = web_as("sofia").get("/roadmap/").content.decode()

    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html  # table and bar tooltip
    assert "&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html  # diamond and next


def test_the_plan_list_shows_shipped_plans_and_the_next_decision(demo, web_as):
    seed_roadmap(demo)

    html = web_as("priya").get("/roadmap/").content.decode()
    table = html[html.index('data-testid="plan-list"') :]

    assert '<span class="badge plan-concluded">Shipped</span>' in table
    assert 'class="badge confidential"' in table  # priya sees the confidential plan
    plan = next(p for p in selectors.timeline_plans(demo.users["priya"]) if p.current)
    assert f"{plan.current.title} <span" in table
    assert f'href="/roadmap/plans/{plan.id}/"' in table
