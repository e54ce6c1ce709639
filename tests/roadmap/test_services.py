"""The decision rules: which decision may be taken, when, and what it does to the plan."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.roadmap import services
from apps.roadmap.models import Decision, PlanStatus, ResearchPlan

from .factories import D, milestones_of, plan_with, today

pytestmark = pytest.mark.django_db


def decide(demo, milestone, outcome="continue", rationale="Met the criteria.", actor="priya"):
    return services.milestone_decide(
        actor=demo.users[actor], milestone=milestone, outcome=outcome, rationale=rationale
    )


def fields_of(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


def test_it_decides_only_the_current_milestone(demo):
    plan = plan_with(demo)
    first, second = milestones_of(plan)

    with pytest.raises(ValidationError) as excinfo:
        decide(demo, second)

    assert fields_of(excinfo) == {"milestone"}
    assert "current" in excinfo.value.message_dict["milestone"][0]
    decide(demo, first)
    decide(demo, second)  # now it is the current one
    assert ResearchPlan.objects.get(pk=plan.pk).status == PlanStatus.CONCLUDED


def test_it_refuses_a_decision_without_rationale(demo):
    first, _ = milestones_of(plan_with(demo))

    with pytest.raises(ValidationError) as excinfo:
        decide(demo, first, rationale="   ")

    assert fields_of(excinfo) == {"rationale"}
    assert not Decision.objects.exists()


def test_it_records_who_decided_and_who_recorded(demo):
    first, _ = milestones_of(plan_with(demo))

    decision = services.milestone_decide(
        actor=demo.users["aisha"],
        milestone=first,
        outcome="continue",
        rationale="Lift of 2 %.",
        decided_by=demo.users["marco"],
    )

    assert (decision.decided_by, decision.recorded_by) == (demo.users["marco"], demo.users["aisha"])
    assert decision.meeting is None


def test_continue_moves_on_to_the_next_milestone(demo):
    plan = plan_with(demo)
    first, second = milestones_of(plan)

    decide(demo, first)

    plan = ResearchPlan.objects.get(pk=plan.pk)
    assert plan.status == PlanStatus.ACTIVE
    assert plan.current_milestone() == second


def test_abandon_concludes_the_plan_as_abandoned(demo):
    plan = plan_with(demo)
    first, second = milestones_of(plan)

    decide(demo, first, "abandon", "The kill criterion is met: no lift after two tries.")

    plan = ResearchPlan.objects.get(pk=plan.pk)
    assert plan.status == PlanStatus.ABANDONED and plan.closed_at is not None
    with pytest.raises(ValidationError) as excinfo:
        decide(demo, second)
    assert fields_of(excinfo) == {"plan"}


def test_pivot_opens_the_remaining_milestones_until_the_next_decision(demo):
    plan = plan_with(demo, milestones=(10, 60, 90))
    first, second, third = milestones_of(plan)
    with pytest.raises(ValidationError):
        services.milestone_remove(actor=demo.users["aisha"], milestone=third)

    decide(demo, first, "pivot", "Latency too high: re-rank the top 50 only.")

    assert ResearchPlan.objects.get(pk=plan.pk).revision_open
    services.milestone_remove(actor=demo.users["aisha"], milestone=third)
    services.milestone_add(
        actor=demo.users["aisha"],
        plan=plan,
        title="Re-ranker latency",
        question="Under 60 ms?",
        target_date=today() + D(days=100),
        decision_criteria="Continue if p95 < 60 ms.",
    )
    assert [m.position for m in milestones_of(plan)] == [1, 2, 3]
    decide(demo, second)
    assert not ResearchPlan.objects.get(pk=plan.pk).revision_open


def test_ship_concludes_product_work(demo):
    plan = plan_with(demo)
    first, _ = milestones_of(plan)

    decide(demo, first, "ship", "Lift of 3 %, shipped to everyone.")

    plan = ResearchPlan.objects.get(pk=plan.pk)
    assert plan.status == PlanStatus.CONCLUDED and plan.shipped


def test_ship_is_only_for_product_work(demo):
    first, _ = milestones_of(plan_with(demo, category="foundational"))

    with pytest.raises(ValidationError) as excinfo:
        decide(demo, first, "ship")

    assert fields_of(excinfo) == {"outcome"}


def test_it_refuses_decisions_on_a_plan_that_is_not_active(demo):
    first, _ = milestones_of(plan_with(demo, activate=False))

    with pytest.raises(ValidationError) as excinfo:
        decide(demo, first)

    assert fields_of(excinfo) == {"plan"}


def test_a_member_cannot_decide_on_someone_elses_plan_and_a_stakeholder_on_none(demo):
    first, _ = milestones_of(plan_with(demo, owner="aisha"))

    for who in ("lena", "sofia"):
        with pytest.raises(PermissionDenied):
            decide(demo, first, actor=who)
    decide(demo, first, actor="aisha")


def test_a_stakeholder_cannot_write_a_plan(demo):
    with pytest.raises(PermissionDenied):
        plan_with(demo, actor="sofia")


def test_it_rejects_a_milestone_after_the_plans_end(demo):
    plan = plan_with(demo, end=100)

    with pytest.raises(ValidationError) as excinfo:
        services.milestone_add(
            actor=demo.users["priya"],
            plan=plan,
            title="Too late",
            question="?",
            target_date=today() + D(days=101),
            decision_criteria="c",
        )

    assert fields_of(excinfo) == {"target_date"}
    assert "after the plan's end" in excinfo.value.message_dict["target_date"][0]


def test_it_rejects_moving_the_plans_end_before_a_milestone(demo):
    plan = plan_with(demo, milestones=(10, 60))

    with pytest.raises(ValidationError) as excinfo:
        services.plan_update(actor=demo.users["priya"], plan=plan, end_date=today() + D(days=30))

    assert fields_of(excinfo) == {"end_date"}


def test_it_keeps_milestones_in_date_order(demo):
    plan = plan_with(demo, milestones=(10, 60))

    with pytest.raises(ValidationError) as excinfo:
        services.milestone_add(
            actor=demo.users["priya"],
            plan=plan,
            title="Earlier",
            question="?",
            target_date=today() + D(days=30),
            decision_criteria="c",
        )

    assert fields_of(excinfo) == {"target_date"}
    assert "after a pivot" in excinfo.value.message_dict["target_date"][0]
    assert [m.position for m in milestones_of(plan)] == [1, 2]


def add(demo, plan, days, title="Inserted", actor="aisha"):
    return services.milestone_add(
        actor=demo.users[actor],
        plan=plan,
        title=title,
        question="?",
        target_date=today() + D(days=days),
        decision_criteria="c",
    )


def test_a_draft_takes_a_milestone_where_its_date_puts_it(demo):
    plan = plan_with(demo, milestones=(10, 60), activate=False)

    add(demo, plan, 30)
    add(demo, plan, 5, title="First now")

    path = milestones_of(plan)
    assert [m.title for m in path] == [
        "First now",
        "Decision point 1",
        "Inserted",
        "Decision point 2",
    ]
    assert [m.position for m in path] == [1, 2, 3, 4]


def test_after_a_pivot_a_milestone_goes_in_before_the_remaining_ones(demo):
    plan = plan_with(demo, milestones=(10, 60, 90))
    first, second, third = milestones_of(plan)
    decide(demo, first, "pivot", "Latency too high: check the distilled model first.")

    add(demo, plan, 40, title="Distilled model latency")

    path = milestones_of(plan)
    assert [m.pk for m in path] == [first.pk, path[1].pk, second.pk, third.pk]
    assert path[1].title == "Distilled model latency"
    assert ResearchPlan.objects.get(pk=plan.pk).current_milestone() == path[1]


def test_nothing_goes_in_before_a_decided_milestone(demo):
    plan = plan_with(demo, milestones=(-5, 60), start=-30)
    first, _ = milestones_of(plan)
    decide(demo, first, "pivot", "Re-plan.")

    with pytest.raises(ValidationError) as excinfo:
        add(demo, plan, -10)

    assert "decided" in excinfo.value.message_dict["target_date"][0]
    assert [m.position for m in milestones_of(plan)] == [1, 2]  # nothing moved


def test_it_refuses_a_milestone_before_the_plans_start_whatever_the_path(demo):
    plan = plan_with(demo, milestones=(10, 60), activate=False, start=-30)

    with pytest.raises(ValidationError) as excinfo:
        add(demo, plan, -40)

    assert "plan's start" in excinfo.value.message_dict["target_date"][0]
    assert [m.position for m in milestones_of(plan)] == [1, 2]


def test_it_refuses_to_edit_the_criteria_of_a_decided_milestone(demo):
    first, _ = milestones_of(plan_with(demo))
    decide(demo, first)

    with pytest.raises(ValidationError) as excinfo:
        services.milestone_update(
            actor=demo.users["priya"], milestone=first, decision_criteria="Softer bar", reason="x"
        )

    assert fields_of(excinfo) == {"decision_criteria"}


def test_plans_conclude_only_by_decision(demo):
    plan = plan_with(demo)

    with pytest.raises(ValidationError) as excinfo:
        services.plan_transition(actor=demo.users["priya"], plan=plan, status="abandoned")

    assert fields_of(excinfo) == {"status"}


def test_a_plan_needs_a_milestone_before_it_is_activated(demo):
    with pytest.raises(ValidationError) as excinfo:
        plan_with(demo, milestones=())

    assert fields_of(excinfo) == {"status"}


def test_it_links_only_hypotheses_of_the_plans_group(demo):
    from apps.accounts.services import working_group_create
    from apps.backlog.models import Hypothesis

    other = working_group_create(
        actor=demo.users["dana"], name="Other", goal="g", program_manager=demo.users["dana"]
    )
    foreign = Hypothesis.objects.create(
        working_group=other,
        title="Elsewhere",
        change="c",
        metric="m",
        rationale="r",
        proposer=demo.users["dana"],
        owner=demo.users["dana"],
        status_changed_at="2026-01-01T00:00Z",
    )
    plan = plan_with(demo)

    with pytest.raises(ValidationError) as excinfo:
        services.plan_update(actor=demo.users["priya"], plan=plan, hypotheses=[foreign])

    assert fields_of(excinfo) == {"hypotheses"}
