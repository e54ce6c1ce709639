"""A plan's decision points: adding one where its date puts it, editing an undecided one
(criteria edits after its start recorded as such), and removing one."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.text_rules import check_text
from apps.roadmap.models import CriteriaRevision, Milestone, ResearchPlan

from .checks import check_hypotheses, lock_plan_for_edit, refuse_unknown

MILESTONE_FIELDS = {"title", "question", "target_date", "decision_criteria"}

CRITERIA_NEEDED = (
    "Write the decision criteria now, before the data: what result means continue, pivot "
    "or abandon."
)


def _check_milestone_date(plan: ResearchPlan, target_date: datetime.date, position: int) -> None:
    _check_within_plan(plan, target_date)
    earlier = plan.milestones.filter(position__lt=position).order_by("-position").first()
    later = plan.milestones.filter(position__gt=position).order_by("position").first()
    if earlier is not None and target_date < earlier.target_date:
        raise ValidationError(
            {
                "target_date": f"Milestones are decided in order: this one cannot be due before "
                f"“{earlier.title}” ({earlier.target_date})."
            }
        )
    if later is not None and target_date > later.target_date:
        raise ValidationError(
            {
                "target_date": f"Milestones are decided in order: this one cannot be due after "
                f"“{later.title}” ({later.target_date})."
            }
        )


def _check_within_plan(plan: ResearchPlan, target_date: datetime.date) -> None:
    if target_date > plan.end_date:
        raise ValidationError(
            {
                "target_date": f"A milestone may not fall after the plan's end ({plan.end_date}); "
                "move the plan's end date first."
            }
        )
    if target_date < plan.start_date:
        raise ValidationError(
            {
                "target_date": f"A milestone may not fall before the plan's start "
                f"({plan.start_date})."
            }
        )


def _insertion_point(plan: ResearchPlan, target_date: datetime.date) -> int:
    """The position a new milestone due on `target_date` takes; later ones move down."""
    path = list(plan.milestones.select_related("decision").order_by("position"))
    later = [m for m in path if m.target_date > target_date]
    if not later:
        return path[-1].position + 1 if path else 1
    decided = [m for m in later if m.is_decided]
    if decided:
        raise ValidationError(
            {
                "target_date": f"This date falls before “{decided[-1].title}”, decided on the "
                f"way to {decided[-1].target_date}: the decided path is the plan's record. "
                "Pick a date after it."
            }
        )
    if not plan.path_open:
        raise ValidationError(
            {
                "target_date": f"Milestones are decided in order, and this date comes before "
                f"“{later[0].title}” ({later[0].target_date}). The path ahead of a running "
                "plan changes only after a pivot: record the pivot first, or pick a date "
                f"from {path[-1].target_date} on."
            }
        )
    # Move the later ones down from the end, one row at a time, so the unique position
    # constraint never sees two milestones at one place.
    for milestone in reversed(later):
        milestone.position += 1
        milestone.save(update_fields=["position"])
    return later[0].position - 1


@transaction.atomic
def milestone_add(
    *,
    actor: User,
    plan: ResearchPlan,
    title: str,
    question: str,
    target_date: datetime.date,
    decision_criteria: str,
    hypotheses=None,
) -> Milestone:
    """Add a decision point where its date puts it on the plan's path.

    A date after the last milestone appends it, at any time. An earlier date inserts it
    before the first later milestone, which changes the path still ahead: allowed in a
    draft and after a pivot (the same rule as replacing and removing), and never before a
    decided milestone, which is part of the plan's record.
    """
    plan = lock_plan_for_edit(actor, plan)
    title = check_text("title", title, required="A milestone needs a title.")
    question = check_text(
        "question", question, required="A milestone needs the question it answers."
    )
    criteria = check_text("decision_criteria", decision_criteria, required=CRITERIA_NEEDED)
    _check_within_plan(plan, target_date)
    # By date, so it keeps the path in date order with no further check.
    position = _insertion_point(plan, target_date)
    now = timezone.now()
    milestone = Milestone(
        plan=plan,
        position=position,
        title=title,
        question=question,
        target_date=target_date,
        decision_criteria=criteria,
        registered_at=now,
    )
    milestone.full_clean()
    milestone.save()
    milestone.hypotheses.set(check_hypotheses(plan.working_group, hypotheses))
    CriteriaRevision.objects.create(
        milestone=milestone, criteria=criteria, author=actor, at=now, after_start=False
    )
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor: User,
    milestone: Milestone,
    reason: str = "",
    hypotheses=None,
    **changes,
) -> Milestone:
    """Edit an undecided decision point; criteria edits after its start are recorded as such."""
    plan = lock_plan_for_edit(actor, milestone.plan)
    milestone = Milestone.objects.select_related("plan").get(pk=milestone.pk)
    refuse_unknown(changes, MILESTONE_FIELDS)
    if milestone.is_decided:
        field = "decision_criteria" if "decision_criteria" in changes else "milestone"
        raise ValidationError(
            {
                field: "This milestone has been decided: its criteria and question are the record "
                "of that decision and cannot change."
            }
        )
    for field in ("title", "question", "decision_criteria"):
        if field in changes:
            changes[field] = check_text(field, changes[field], required="This cannot be empty.")
    if "target_date" in changes:
        _check_milestone_date(plan, changes["target_date"], milestone.position)
    today = timezone.localdate()
    new_criteria = changes.get("decision_criteria")
    criteria_changed = new_criteria is not None and new_criteria != milestone.decision_criteria
    started = milestone.has_started(today) if criteria_changed else False
    reason = check_text("reason", reason, required=None)
    if criteria_changed and started and not reason:
        raise ValidationError(
            {
                "reason": "Data collection for this milestone has started: say why the criteria "
                "change, so readers can judge the change."
            }
        )
    if criteria_changed:
        CriteriaRevision.objects.create(
            milestone=milestone,
            criteria=new_criteria,
            previous=milestone.decision_criteria,
            author=actor,
            at=timezone.now(),
            after_start=started,
            reason=reason,
        )
        if started:
            changes["criteria_changed_after_start"] = True
    for field, value in changes.items():
        setattr(milestone, field, value)
    milestone.full_clean()
    milestone.save(update_fields=[*changes, "updated_at"] if changes else None)
    if hypotheses is not None:
        milestone.hypotheses.set(check_hypotheses(plan.working_group, hypotheses))
    return milestone


@transaction.atomic
def milestone_remove(*, actor: User, milestone: Milestone) -> None:
    """Drop an undecided decision point: freely in a draft, after a pivot in an active plan."""
    plan = lock_plan_for_edit(actor, milestone.plan)
    milestone = Milestone.objects.get(pk=milestone.pk)
    if milestone.is_decided:
        raise ValidationError(
            {"milestone": "A decided milestone is part of the plan's record and stays."}
        )
    if not plan.path_open:
        raise ValidationError(
            {
                "milestone": "The remaining milestones of a running plan are replaced only after "
                "a pivot decision; record the pivot first."
            }
        )
    position = milestone.position
    milestone.delete()
    # Close the gap one row at a time: a bulk F() shift can trip the unique position
    # constraint mid-statement on databases that check it per row.
    for later in plan.milestones.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
