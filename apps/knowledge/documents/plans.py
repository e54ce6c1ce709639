"""Research plans, and the decisions taken at their milestones.

Both carry the plan's visibility: a draft or confidential plan's decisions are as hidden
as the plan. A change to the plan (status, confidentiality) reindexes everything resting on
it: its decisions and the experiments that answer its milestones.
"""

from django.db.models import Prefetch
from django.urls import reverse

from apps.knowledge.indexing import Document, register, watch
from apps.knowledge.models.search import Kind
from apps.roadmap.models import Decision, Milestone, ResearchPlan

from .access import of_plan
from .text import join


def build_plan(plan: ResearchPlan) -> Document:
    milestones = plan.ordered_milestones()
    decisions = [m.decision for m in milestones if m.is_decided]
    return Document(
        title=plan.title,
        url=reverse("roadmap:plan", args=[plan.pk]),
        visibility=of_plan(plan),
        statement=plan.goal,
        text_c=join(*(join(d.rationale, d.learned) for d in decisions)),
        body=join(
            plan.value_path,
            plan.kill_criteria,
            *(join(m.title, m.question, m.decision_criteria) for m in milestones),
        ),
        business_unit_id=plan.business_unit_id,
        status=plan.status,
        year=plan.start_date.year,
        happened_at=plan.updated_at,
    )


def build_decision(decision: Decision) -> Document:
    milestone = decision.milestone
    plan = milestone.plan
    return Document(
        title=f"{decision.get_outcome_display()}: {milestone.title}",
        url=reverse("roadmap:plan", args=[plan.pk]) + f"#milestone-{milestone.pk}",
        visibility=of_plan(plan),
        statement=milestone.question,
        text_c=join(decision.rationale, decision.learned),
        body=join(plan.title, milestone.decision_criteria),
        business_unit_id=plan.business_unit_id,
        status=decision.outcome,
        year=decision.decided_at.year,
        happened_at=decision.decided_at,
    )


def _plans(queryset):
    milestones = Milestone.objects.select_related("decision").order_by("position", "pk")
    return queryset.prefetch_related(Prefetch("milestones", queryset=milestones))


def _resting_on_plan(plan: ResearchPlan):
    from apps.experiments.models import Experiment

    decisions = Decision.objects.filter(milestone__plan=plan).values_list("pk", flat=True)
    experiments = Experiment.objects.filter(milestone__plan=plan).values_list("pk", flat=True)
    return [(Kind.PLAN_DECISION, pk) for pk in decisions] + [
        (Kind.EXPERIMENT, pk) for pk in experiments
    ]


register(Kind.PLAN, ResearchPlan, build_plan, queryset=_plans)
register(
    Kind.PLAN_DECISION,
    Decision,
    build_decision,
    queryset=lambda qs: qs.select_related("milestone__plan"),
)
watch(ResearchPlan, _resting_on_plan)
watch(Milestone, lambda milestone: [(Kind.PLAN, milestone.plan_id)])
watch(Decision, lambda decision: [(Kind.PLAN, decision.milestone.plan_id)])
