import pytest

from apps.roadmap.demo import seed_roadmap
from apps.roadmap.models import Decision, PlanStatus, ResearchPlan

pytestmark = pytest.mark.django_db


def test_it_seeds_four_plans_with_their_story_once(demo):
    seed_roadmap(demo)
    seed_roadmap(demo)

    plans = {p.title: p for p in ResearchPlan.objects.for_roadmap()}
    assert len(plans) == 4
    product = [p for p in plans.values() if p.category == "product"]
    assert {p.status for p in product} >= {PlanStatus.ACTIVE, PlanStatus.CONCLUDED}
    assert any(p.shipped for p in product)
    assert any(
        p.status == PlanStatus.ACTIVE and p.latest_decision().outcome == "continue" for p in product
    )
    foundational = [p for p in plans.values() if p.category == "foundational"]
    assert [p.latest_decision().outcome for p in foundational] == ["pivot"]
    abandoned = [p for p in plans.values() if p.status == PlanStatus.ABANDONED]
    assert len(abandoned) == 1 and abandoned[0].latest_decision().rationale
    assert Decision.objects.count() == 7
