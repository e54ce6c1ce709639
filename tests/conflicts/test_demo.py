"""The demo program's conflicts: two tests colliding on the checkout page, a layer promised
beyond its traffic, the interaction check run on the demo warehouse, all on the conflicts
page and the timeline with their explanations; seeding again adds nothing.

One test, because seeding the demo warehouse and its six experiments takes half a minute."""

import pytest
from django.utils.html import escape

from apps.conflicts.demo import BADGES, CARTS, EXPRESS, PARTNER, REORDER, seed_conflicts
from apps.conflicts.models import Conflict, ConflictStatus, Kind, Severity
from apps.experiments import services as experiments
from apps.experiments.demo import seed_experiments
from apps.experiments.models import Experiment
from apps.experiments.services import ChecklistFailed


def _between(kind, x, y) -> Conflict:
    return Conflict.objects.unresolved().filter(kind=kind).involving(x.pk).involving(y.pk).get()


def test_the_demo_shows_conflicts_explained_with_an_interaction_check(demo, web_as):
    seed_experiments(demo)
    seed_conflicts(demo)
    e = {x.key: x for x in Experiment.objects.all()}

    # Two tests collide on the checkout page; the trust badges' launch is blocked.
    badges = _between(Kind.SURFACE_COLLISION, e[BADGES], e[EXPRESS])
    assert badges.severity == Severity.BLOCKING and badges.status == ConflictStatus.OPEN
    assert "Checkout page" in badges.explanation and badges.remedy
    with pytest.raises(ChecklistFailed) as failed:
        experiments.experiment_transition(actor=demo.users["aisha"], experiment=e[BADGES],
                                          action="start")  # fmt: skip
    assert any("No blocking conflict" in m for m in failed.value.messages)

    # The express button launched once the statistics lead acknowledged, and the interaction
    # check ran on the demo warehouse, where both tests exposed the same visitors.
    express = _between(Kind.SURFACE_COLLISION, e[EXPRESS], e[PARTNER])
    assert e[EXPRESS].status == "running"
    assert express.status == ConflictStatus.ACKNOWLEDGED
    assert express.acknowledged_by.username == "marco"
    result = express.interaction
    assert result["verdict"] in ("green", "yellow", "red")
    assert result["shared_units"] > 1000
    assert result["dependence"]["df"] == 1
    assert 0 <= result["interaction"]["p_value"] <= 1
    assert len(result["cells"]) == 4

    # The Checkout layer is promised 120 % while One-tap reorder overruns its planned end.
    layer = _between(Kind.LAYER_OVERALLOCATION, e[REORDER], e[CARTS])
    assert layer.severity == Severity.BLOCKING and layer.layer.name == "Checkout"
    assert layer.figures["peak_share"] == pytest.approx(1.2)

    # All of it on the conflicts page and the timeline.
    client = web_as("sofia")
    page = client.get("/conflicts/").content.decode()
    for conflict in Conflict.objects.filter(status=ConflictStatus.OPEN):
        assert escape(conflict.explanation) in page
    layers = client.get("/conflicts/timeline/", {"by": "layer"}).content.decode()
    assert "Saved carts" in layers and "peak 120 %" in layers
    surfaces = client.get("/conflicts/timeline/").content.decode()
    assert "Trust badges at checkout" in surfaces
    assert 'data-testid="timeline-overlap"' in surfaces

    # Seeding again adds nothing.
    before = (Experiment.objects.count(), Conflict.objects.count())
    seed_conflicts(demo)
    assert (Experiment.objects.count(), Conflict.objects.count()) == before
