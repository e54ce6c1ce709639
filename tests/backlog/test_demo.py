"""The demo backlog: realistic, deterministic, and added only once."""

import pytest

from apps.backlog import selectors
from apps.backlog.demo import seed_backlog
from apps.backlog.models import Hypothesis, Score, ScoreSummary, ScoringFramework, StatusChange

pytestmark = pytest.mark.django_db


def test_it_seeds_about_forty_scored_hypotheses_once(demo):
    first = seed_backlog(demo)
    counts = (Hypothesis.objects.count(), Score.objects.count(), StatusChange.objects.count())
    second = seed_backlog(demo)

    assert first.startswith("Backlog: 40 hypotheses (40 added)")
    assert second == "Backlog: 40 hypotheses (0 added), 0 member scores added"
    assert (Hypothesis.objects.count(), Score.objects.count(), StatusChange.objects.count()) == (
        counts
    )
    assert ScoringFramework.objects.filter(name="Value vs cost").count() == 1


def test_the_demo_has_both_categories_disagreements_and_a_drifting_portfolio(demo):
    seed_backlog(demo)
    assert set(Hypothesis.objects.values_list("category", flat=True)) == {
        "product",
        "foundational",
    }
    assert Hypothesis.objects.values("business_unit").distinct().count() == 3
    assert ScoreSummary.objects.filter(discuss=True).count() >= 3
    assert selectors.portfolio(demo.group).warning
