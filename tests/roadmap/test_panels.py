"""The roadmap's dashboard panels: decision points ahead and the latest decisions, each
limited to the plans the person may see."""

import pytest

from apps.roadmap import panels
from apps.roadmap.demo import seed_roadmap

from .factories import plan_with

pytestmark = pytest.mark.django_db


def test_decision_points_ahead_lists_overdue_and_due_current_milestones_by_date(demo):
    later = plan_with(demo, title="Due in three weeks", milestones=(21, 90))
    soon = plan_with(demo, title="Overdue", milestones=(-2, 90))
    plan_with(demo, title="Far off", milestones=(45, 90))
    plan_with(demo, title="Draft", milestones=(3,), activate=False)

    panel = panels.decision_points_ahead(demo.users["lena"])

    assert [(r["plan"].id, r["state"]) for r in panel["rows"]] == [
        (soon.pk, "overdue"),
        (later.pk, "upcoming"),
    ]


def test_a_confidential_plan_stays_off_other_units_stakeholders_panels(demo, web_as):
    seed_roadmap(demo)  # "Decoy tier on the pricing page" is confidential to Commerce
    plan_with(demo, title="Pricing secret", sponsor="sofia", confidential=True, milestones=(5,))

    james = web_as("james").get("/").content.decode()
    sofia = web_as("sofia").get("/").content.decode()

    assert 'data-testid="decision-points-ahead"' in james
    assert 'data-testid="latest-decisions"' in james
    assert "Pricing secret" not in james and "Decoy tier" not in james
    assert "Pricing secret" in sofia and "Decoy tier" in sofia


def test_no_panel_without_anything_to_show(demo):
    assert panels.decision_points_ahead(demo.users["lena"]) is None
    assert panels.recent_decisions(demo.users["lena"]) is None
