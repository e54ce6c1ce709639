"""Who may read an item, as the search index records it (see `models/search.py`)."""

from apps.accounts.models import WorkingGroup
from apps.knowledge.indexing import Visibility
from apps.knowledge.models.search import StakeholderAccess


def of_group(group: WorkingGroup | int) -> Visibility:
    """Every member of the group, stakeholders included: hypotheses, meetings."""
    return Visibility(group if isinstance(group, int) else group.pk)


def of_plan(plan) -> Visibility:
    """A research plan's rule (`ResearchPlan.objects.visible_to`): stakeholders read no
    drafts, and a confidential plan only when they speak for its sponsor's business unit."""
    if plan.status == "draft":
        return Visibility(plan.working_group_id, StakeholderAccess.NONE)
    if plan.confidential:
        if plan.business_unit_id is None:
            return Visibility(plan.working_group_id, StakeholderAccess.NONE)
        return Visibility(plan.working_group_id, StakeholderAccess.UNIT, plan.business_unit_id)
    return Visibility(plan.working_group_id)


def of_experiment(experiment) -> Visibility:
    """An experiment's group, narrowed by the plan of the milestone it answers, if any."""
    own = Visibility(experiment.working_group_id)
    if experiment.milestone_id is None:
        return own
    return own.narrowed(of_plan(experiment.milestone.plan))
