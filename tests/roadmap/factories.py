"""Research plans for tests: `plan_with` writes through the services, as people would;
the factory_boy factories build rows directly, for query counts at scale."""

import datetime

import factory
from django.utils import timezone

from apps.roadmap import services
from apps.roadmap.models import Decision, Milestone, PlanStatus, ResearchPlan

D = datetime.timedelta


def today() -> datetime.date:
    return timezone.localdate()


def plan_with(
    demo,
    *,
    milestones=(10, 60),
    owner="aisha",
    sponsor="sofia",
    category="product",
    activate=True,
    start=-30,
    end=200,
    confidential=False,
    title="Checkout path",
    actor="priya",
) -> ResearchPlan:
    """A plan with milestones due `milestones` days from today, active unless told."""
    pm = demo.users[actor]
    plan = services.plan_create(
        actor=pm,
        group=demo.group,
        title=title,
        goal="Learn whether a shorter checkout lifts conversion.",
        kill_criteria="Stop if conversion does not rise 1 %.",
        owner=demo.users[owner],
        sponsor=demo.users[sponsor],
        start_date=today() + D(days=start),
        end_date=today() + D(days=end),
        category=category,
        confidential=confidential,
    )
    for i, days in enumerate(milestones, start=1):
        services.milestone_add(
            actor=pm,
            plan=plan,
            title=f"Decision point {i}",
            question=f"Question {i}?",
            target_date=today() + D(days=days),
            decision_criteria=f"Continue if metric {i} rises 1 %.",
        )
    if activate:
        plan = services.plan_transition(actor=pm, plan=plan, status=PlanStatus.ACTIVE)
    return ResearchPlan.objects.get(pk=plan.pk)


def milestones_of(plan: ResearchPlan) -> list[Milestone]:
    return list(plan.milestones.order_by("position"))


class ResearchPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchPlan

    title = factory.Sequence(lambda n: f"Plan {n}")
    goal = "A goal"
    kill_criteria = "When we stop"
    category = factory.Iterator(["product", "product", "foundational"])
    status = PlanStatus.ACTIVE
    start_date = factory.LazyFunction(lambda: today() - D(days=60))
    end_date = factory.LazyFunction(lambda: today() + D(days=240))


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Milestone {n}")
    question = "Does it work?"
    decision_criteria = "Continue if it lifts 1 %."
    registered_at = factory.LazyFunction(timezone.now)


def plans_at_scale(demo, count: int, milestones: int = 8) -> list[ResearchPlan]:
    """`count` active plans of `milestones` decision points, the first two decided."""
    users = demo.users
    units = list(demo.units.values())
    plans = ResearchPlanFactory.create_batch(
        count,
        working_group=demo.group,
        owner=users["aisha"],
        sponsor=users["sofia"],
        business_unit=factory.Iterator(units),
        confidential=factory.Iterator([False, False, False, True]),
    )
    rows = []
    for plan in plans:
        for position in range(1, milestones + 1):
            rows.append(
                Milestone(
                    plan=plan,
                    position=position,
                    title=f"{plan.title} / {position}",
                    question="Does it work?",
                    decision_criteria="Continue if it lifts 1 %.",
                    target_date=today() + D(days=-50 + 30 * position),
                    registered_at=timezone.now(),
                )
            )
    Milestone.objects.bulk_create(rows)
    decided = [m for m in Milestone.objects.filter(plan__in=plans, position__lte=2)]
    Decision.objects.bulk_create(
        Decision(
            milestone=m,
            outcome="continue" if m.position == 1 else "pivot",
            rationale="Met the criteria.",
            decided_by=users["priya"],
            recorded_by=users["priya"],
            decided_at=timezone.now() - D(days=10 * (3 - m.position)),
        )
        for m in decided
    )
    return plans
