"""The timeline says what happened: an abandoned plan's bar ends at the decision that
abandoned it, and each decided outcome has its own shape (not only its own colour)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from apps.roadmap import selectors, services, timeline
from apps.roadmap.selectors import STATE_LABELS

from .factories import D, plan_with, today

pytestmark = pytest.mark.django_db


def _milestones(plan):
    return list(plan.milestones.order_by("position"))


def test_an_abandoned_plans_bar_ends_at_the_decision(demo):
    plan = plan_with(demo, title="Decoy tier", milestones=(-3, 60), start=-60, end=200)
    services.milestone_decide(
        actor=demo.users["priya"], milestone=_milestones(plan)[0], outcome="abandon",
        rationale="No lift in the premium tier.",
    )  # fmt: skip

    (row,) = selectors.timeline_plans(demo.users["priya"])
    laid = timeline.layout([row], today=today())

    assert row.status == "abandoned" and row.end_date == today() + D(days=200)
    assert row.bar_end == today()
    (drawn,) = laid.rows
    day_width = (timeline.WIDTH - timeline.LABEL_W - 10) / sum(
        (q.end - q.start).days + 1 for q in timeline.quarter_spans([row], today())
    )
    assert drawn.bar_w == pytest.approx(60 * day_width, abs=1.5)
    assert "abandoned (planned to" in laid.rows_svg


def test_a_running_plans_bar_runs_to_its_end_date(demo):
    plan_with(demo, title="Running", milestones=(10,), start=-10, end=80)
    (row,) = selectors.timeline_plans(demo.users["priya"])
    assert row.bar_end == row.end_date


def test_every_state_has_a_marker_of_its_own_shape_or_fill():
    shapes = {state: timeline.marker_points(state, 0, 0, 7) for state in STATE_LABELS}
    decided = ("continue", "pivot", "abandon", "ship")
    # The four outcomes differ by shape, and none looks like an undecided diamond.
    assert len({shapes[s] for s in decided}) == 4
    assert shapes["upcoming"] not in {shapes[s] for s in decided}
    assert len(shapes["ship"].split()) == 10 and len(shapes["abandon"].split()) == 12


def test_the_marker_palette_is_colour_blind_safe_and_distinct():
    css = (Path(settings.BASE_DIR) / "static/css/roadmap.css").read_text()
    fills = dict(re.findall(r"\.ms\.(\w+) \{ fill:(#[0-9A-Fa-f]{6})", css))
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    for state in ("continue", "pivot", "ship", "due", "overdue"):
        assert fills[state].upper() in okabe_ito, state
    assert len({fills[s].upper() for s in ("continue", "pivot", "ship", "due", "overdue")}) == 5


def test_the_legend_draws_the_same_shapes_as_the_timeline(demo, web_as):
    plan = plan_with(demo, title="Shipped one", milestones=(-2, 30))
    services.milestone_decide(
        actor=demo.users["priya"], milestone=_milestones(plan)[0], outcome="ship",
        rationale="Lifted orders.",
    )  # fmt: skip

    html = web_as("sofia").get("/roadmap/").content.decode()

    legend = re.search(r'<li data-state="ship">.*?points="([^"]+)"', html).group(1)
    assert legend == timeline.marker_points("ship", 7, 7, 6)
    assert 'polygon class="ms ship"' in html and 'data-state="ship"' in html
