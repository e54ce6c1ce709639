"""The checks more than one roadmap service makes: membership, linked hypotheses, and the
lock a change to a plan's path takes."""

from django.core.exceptions import ValidationError

from apps.accounts import policy
from apps.accounts.models import Membership, User, WorkingGroup
from apps.accounts.policy import Action
from apps.roadmap.models import ResearchPlan


def member_of(group: WorkingGroup, user: User) -> Membership | None:
    return Membership.objects.filter(working_group=group, user=user).first()


def check_hypotheses(group: WorkingGroup, hypotheses) -> list:
    hypotheses = list(hypotheses or [])
    foreign = [h for h in hypotheses if h.working_group_id != group.pk]
    if foreign:
        raise ValidationError(
            {
                "hypotheses": f"Hypothesis {foreign[0].pk} belongs to another working group; "
                "link only hypotheses from the plan's own backlog."
            }
        )
    return hypotheses


def lock_plan_for_edit(actor: User, plan: ResearchPlan) -> ResearchPlan:
    """The plan, locked and re-read, once the policy lets `actor` change its path."""
    # Locking the plan row serialises milestone edits and decisions on one plan, so two
    # people cannot decide the same decision point or append at the same position.
    plan = ResearchPlan.objects.select_for_update().get(pk=plan.pk)
    policy.require(actor, plan.working_group_id, Action.EDIT, owner_id=plan.owner_id)
    if plan.is_closed:
        raise ValidationError(
            {
                "plan": f"The plan is {plan.get_status_display().lower()}: its milestones are a "
                "record now."
            }
        )
    return plan


def refuse_unknown(changes, allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be changed here."})
