"""The demo's past experiments: a catalogue a team could have written, seeded through the
services with the stories it tells (a reset, a faded novelty effect, Simpson's paradox)."""

from collections import Counter

import pytest

from apps.experiments import selectors
from apps.experiments.models import Experiment, Snapshot
from apps.knowledge.demo_catalogue import CATALOGUE, METRICS
from apps.knowledge.models import Learning, LearningStatus
from tests.knowledge.learning_helpers import past


def test_the_catalogue_has_sixty_varied_experiments_whose_outcomes_match_their_intervals():
    assert len(CATALOGUE) >= 60
    assert len({e.key for e in CATALOGUE}) == len(CATALOGUE)
    outcomes = Counter(e.outcome for e in CATALOGUE)
    assert {"won", "lost", "flat", "inconclusive"} <= set(outcomes)
    assert {"aa", "holdout"} <= {e.type for e in CATALOGUE}
    assert {"reset", "novelty", "simpson"} <= {e.story for e in CATALOGUE}
    assert len({e.year for e in CATALOGUE}) >= 3
    assert len({s for e in CATALOGUE for s in e.surfaces}) >= 10
    for e in CATALOGUE:
        significant = e.ci_low > 0 or e.ci_high < 0
        better = (e.lift > 0) != METRICS[e.metric].lower_is_better
        if e.outcome == "won":
            assert significant and better, e.key
        elif e.outcome == "lost":
            assert significant and not better, e.key
        elif e.outcome == "flat":
            assert not significant, e.key


@pytest.mark.django_db
def test_seeding_concludes_each_experiment_with_its_lift_and_a_published_learning(demo):
    from apps.knowledge.demo import catalogue, seed_knowledge

    first = seed_knowledge(demo)
    again = seed_knowledge(demo)

    entries = catalogue()
    assert "8 past experiments concluded" in first and "already there" in again
    for entry in entries:
        exp = Experiment.objects.get(key=entry.key)
        found = selectors.headline(selectors.current_snapshot(exp).analysis["metrics"])
        assert (exp.status, exp.decision) == ("concluded", entry.decision)
        assert found["lift"] == pytest.approx(entry.lift, abs=0.005), entry.key
        assert exp.concluded_at.year == entry.year
        learning = Learning.objects.get(links__experiment=exp, title__startswith=entry.title)
        assert learning.status == LearningStatus.PUBLISHED
        assert learning.why == entry.learning.why


@pytest.mark.django_db
def test_the_reset_keeps_the_broken_run_aside(demo):
    exp = past(demo, "checkout-progress-indicator", write_learning=False)

    assert exp.run == 2
    assert Snapshot.objects.filter(experiment=exp, valid=False).count() == 1
    current = selectors.headline(selectors.current_snapshot(exp).analysis["metrics"])
    assert current["lift"] == pytest.approx(0.003, abs=0.004)


@pytest.mark.django_db
def test_the_novelty_effect_fades_on_the_cumulative_chart(demo):
    exp = past(demo, "homepage-personalised-categories", write_learning=False)

    effect = selectors.cumulative_effect(exp)

    assert len(effect["points"]) == 4
    assert effect["points"][0]["lift"] > effect["points"][-1]["lift"]
    assert effect["novelty"] and "novelty" in effect["novelty_reason"]


@pytest.mark.django_db
def test_the_uneven_ramp_shows_simpsons_paradox(demo):
    exp = past(demo, "category-sort-bestsellers", write_learning=False)

    analysis = selectors.current_snapshot(exp).analysis
    pooled = selectors.headline(analysis["metrics"])
    weeks = [s for s in analysis["segments"] if s["metric"] == "order-conversion"]

    assert pooled["lift"] < 0
    assert all(s["relative_lift"] > 0 for s in weeks) and len(weeks) == 2
    assert all(s["simpson"] for s in weeks)
    assert analysis["srm"]["flag"]
