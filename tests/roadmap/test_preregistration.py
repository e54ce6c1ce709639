"""Decision criteria are written before the data: edits after the start are on record."""

import pytest
from django.core.exceptions import ValidationError

from apps.roadmap import services
from apps.roadmap.models import CriteriaRevision

from .factories import milestones_of, plan_with

pytestmark = pytest.mark.django_db


def edit(demo, milestone, criteria, reason=""):
    return services.milestone_update(
        actor=demo.users["aisha"], milestone=milestone, decision_criteria=criteria, reason=reason
    )


def test_it_records_the_criteria_as_first_written(demo):
    first, _ = milestones_of(plan_with(demo))

    (revision,) = CriteriaRevision.objects.filter(milestone=first)

    assert revision.criteria == first.decision_criteria
    assert not revision.after_start
    assert revision.at == first.registered_at


def test_edits_before_the_start_are_kept_but_not_flagged(demo):
    # Starts in 20 days: the first milestone's window has not opened yet.
    first, _ = milestones_of(plan_with(demo, start=20, milestones=(40, 80)))

    edit(demo, first, "Continue if conversion rises 2 %.")

    first.refresh_from_db()
    assert not first.criteria_changed_after_start
    assert [r.after_start for r in first.criteria_revisions.all()] == [False, False]


def test_a_draft_plans_criteria_can_change_freely(demo):
    first, _ = milestones_of(plan_with(demo, activate=False))

    edit(demo, first, "Sharper.")

    first.refresh_from_db()
    assert not first.criteria_changed_after_start


def test_edits_after_the_start_need_a_reason_and_are_flagged(demo):
    # Started 30 days ago: the first milestone's window is open.
    first, _ = milestones_of(plan_with(demo, start=-30))

    with pytest.raises(ValidationError) as excinfo:
        edit(demo, first, "Continue if conversion rises 0.5 %.")
    assert set(excinfo.value.message_dict) == {"reason"}

    edit(demo, first, "Continue if conversion rises 0.5 %.", reason="Traffic halved.")

    first.refresh_from_db()
    assert first.criteria_changed_after_start
    latest = first.criteria_revisions.order_by("-at", "-pk").first()
    assert (latest.after_start, latest.reason) == (True, "Traffic halved.")
    assert latest.previous == "Continue if metric 1 rises 1 %."


def test_a_running_linked_hypothesis_starts_the_milestone_early(demo):
    from apps.backlog.models import Hypothesis

    plan = plan_with(demo, start=20, milestones=(40, 80))
    first, _ = milestones_of(plan)
    running = Hypothesis.objects.create(
        working_group=demo.group,
        title="Running test",
        change="c",
        metric="m",
        rationale="r",
        proposer=demo.users["aisha"],
        owner=demo.users["aisha"],
        status="running",
        status_changed_at="2026-01-01T00:00Z",
    )
    services.milestone_update(actor=demo.users["aisha"], milestone=first, hypotheses=[running])

    with pytest.raises(ValidationError):
        edit(demo, first, "Moved the bar.")
    edit(demo, first, "Moved the bar.", reason="The first read was noisy.")

    first.refresh_from_db()
    assert first.criteria_changed_after_start


def test_the_plan_page_shows_criteria_changed_after_start(demo, web_as):
    plan = plan_with(demo, start=-30)
    first, _ = milestones_of(plan)
    edit(demo, first, "Lower bar.", reason="Traffic halved.")

    for who in ("sofia", "aisha"):
        html = web_as(who).get(f"/roadmap/plans/{plan.pk}/").content.decode()
        assert 'data-testid="changed-after-start"' in html
    assert "Traffic halved." in web_as("aisha").get(f"/roadmap/plans/{plan.pk}/").content.decode()
