"""The decision at a plan's current decision point, and how it moves the plan."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from apps.accounts.models import User
from apps.core.text_rules import check_text
from apps.roadmap.models import Category, Decision, Milestone, Outcome, PlanStatus

from .checks import lock_plan_for_edit, member_of

RATIONALE_NEEDED = (
    "A decision needs its rationale: why this outcome, against the criteria written before "
    "the data."
)


@transaction.atomic
def milestone_decide(
    *,
    actor: User,
    milestone: Milestone,
    outcome: str,
    rationale: str,
    learned: str = "",
    decided_by: User | None = None,
    meeting=None,
) -> Decision:
    """Take the decision at the plan's current decision point and move the plan.

    continue → on to the next milestone (the last one concludes the plan); pivot → the
    remaining milestones open for revision until the next decision; abandon → the plan is
    abandoned; ship → product work lands and the plan concludes.
    """
    plan = lock_plan_for_edit(actor, milestone.plan)
    # Each milestone's decision in the same query, for the current-milestone rule.
    prefetch_related_objects(
        [plan],
        Prefetch("milestones", queryset=Milestone.objects.select_related("decision")),
    )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": f"Choose one of: {', '.join(Outcome.values)}."})
    rationale = check_text("rationale", rationale, required=RATIONALE_NEEDED)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(
            {
                "plan": f"Decisions are taken on active plans; this one is "
                f"{plan.get_status_display().lower()}."
            }
        )
    current = plan.current_milestone()
    if current is None or current.pk != milestone.pk:
        where = f"the current one is “{current.title}”" if current else "none is open"
        raise ValidationError(
            {"milestone": f"Only the plan's current decision point can be decided; {where}."}
        )
    if outcome == Outcome.SHIP and plan.category != Category.PRODUCT:
        raise ValidationError(
            {
                "outcome": "Ship is for product-focused work; a foundational plan continues, "
                "pivots or is abandoned."
            }
        )
    decided_by = decided_by or actor
    if member_of(plan.working_group, decided_by) is None:
        raise ValidationError(
            {"decided_by": f"{decided_by.username} is not a member of the working group."}
        )
    now = timezone.now()
    decision = Decision.objects.create(
        milestone=current,
        outcome=outcome,
        rationale=rationale,
        learned=check_text("learned", learned, required=None),
        decided_by=decided_by,
        recorded_by=actor,
        decided_at=now,
        meeting=meeting,
    )
    remaining = [m for m in plan.ordered_milestones() if m.pk != current.pk and not m.is_decided]
    fields = ["revision_open", "updated_at"]
    plan.revision_open = outcome == Outcome.PIVOT
    if outcome == Outcome.ABANDON:
        plan.status, plan.closed_at = PlanStatus.ABANDONED, now
        fields += ["status", "closed_at"]
    elif outcome == Outcome.SHIP or (outcome == Outcome.CONTINUE and not remaining):
        plan.status, plan.closed_at = PlanStatus.CONCLUDED, now
        fields += ["status", "closed_at"]
    plan.save(update_fields=fields)
    return decision
