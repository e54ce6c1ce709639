"""Writing a research plan, changing it, and moving it between draft, active and paused."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts import policy
from apps.accounts.models import Membership, User, WorkingGroup
from apps.accounts.policy import Action
from apps.core.text_rules import check_text
from apps.roadmap.models import CLOSED_STATUSES, Category, PlanStatus, ResearchPlan

from .checks import check_hypotheses, member_of, refuse_unknown

PLAN_FIELDS = {
    "title",
    "goal",
    "value_path",
    "feature_teams",
    "category",
    "owner",
    "sponsor",
    "start_date",
    "end_date",
    "kill_criteria",
    "confidential",
}
MAX_FEATURE_TEAMS = 20

# Status changes a person makes directly; concluding and abandoning happen by decision.
TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.ACTIVE},
    PlanStatus.ACTIVE: {PlanStatus.PAUSED},
    PlanStatus.PAUSED: {PlanStatus.ACTIVE},
}

# What a blank required text says, per field.
_TEXT_NEEDS = {
    "title": "A plan needs a title.",
    "goal": "A plan needs a goal statement.",
    "kill_criteria": "A plan needs kill criteria.",
}


class PlanConflict(Exception):
    """The plan changed since the editor opened it: carries the saved plan; nothing of the
    editor's was saved."""

    def __init__(self, plan: ResearchPlan):
        super().__init__("This plan changed since you opened it.")
        self.plan = plan


def _check_people(group: WorkingGroup, owner: User, sponsor: User) -> Membership:
    if member_of(group, owner) is None:
        raise ValidationError({"owner": f"{owner.username} is not a member of {group.name}."})
    sponsor_membership = member_of(group, sponsor)
    if sponsor_membership is None:
        raise ValidationError(
            {
                "sponsor": f"{sponsor.username} is not a member of {group.name}; a sponsor "
                "must be one of the group's stakeholders or members."
            }
        )
    return sponsor_membership


def _clean_teams(teams: Iterable[str]) -> list[str]:
    cleaned = [t.strip() for t in teams if t and t.strip()]
    if len(cleaned) > MAX_FEATURE_TEAMS:
        raise ValidationError({"feature_teams": f"Name at most {MAX_FEATURE_TEAMS} teams."})
    return list(dict.fromkeys(cleaned))


def _check_window(plan: ResearchPlan) -> None:
    if plan.end_date < plan.start_date:
        raise ValidationError({"end_date": "A plan cannot end before it starts."})
    if plan.pk is None:
        return
    outside = plan.milestones.filter(target_date__gt=plan.end_date).order_by("target_date")
    if outside.exists():
        raise ValidationError(
            {
                "end_date": f"Milestone “{outside.first().title}” is due "
                f"{outside.first().target_date}, after this end date: a milestone may not fall "
                "after the plan's end."
            }
        )
    before = plan.milestones.filter(target_date__lt=plan.start_date).first()
    if before is not None:
        raise ValidationError(
            {
                "start_date": f"Milestone “{before.title}” is due {before.target_date}, before "
                "this start date."
            }
        )


@transaction.atomic
def plan_create(
    *,
    actor: User,
    group: WorkingGroup,
    title: str,
    goal: str,
    kill_criteria: str,
    sponsor: User,
    start_date: datetime.date,
    end_date: datetime.date,
    category: str = Category.PRODUCT,
    value_path: str = "",
    feature_teams: Iterable[str] = (),
    owner: User | None = None,
    confidential: bool = False,
    hypotheses=None,
) -> ResearchPlan:
    policy.require(actor, group, Action.CREATE)
    owner = owner or actor
    sponsor_membership = _check_people(group, owner, sponsor)
    plan = ResearchPlan(
        working_group=group,
        title=check_text("title", title, required=_TEXT_NEEDS["title"]),
        goal=check_text("goal", goal, required=_TEXT_NEEDS["goal"]),
        kill_criteria=check_text(
            "kill_criteria", kill_criteria, required=_TEXT_NEEDS["kill_criteria"]
        ),
        value_path=check_text("value_path", value_path, required=None),
        feature_teams=_clean_teams(feature_teams),
        category=category,
        owner=owner,
        sponsor=sponsor,
        business_unit=sponsor_membership.business_unit,
        start_date=start_date,
        end_date=end_date,
        confidential=confidential,
    )
    _check_window(plan)
    plan.full_clean()
    plan.save()
    plan.hypotheses.set(check_hypotheses(group, hypotheses))
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: ResearchPlan,
    hypotheses=None,
    version: int | None = None,
    **changes,
) -> ResearchPlan:
    """Change the plan's fields and linked hypotheses; every save raises its version.

    With `version` (the edit page always sends the one it opened) a plan saved by someone
    else since raises PlanConflict instead of having their change overwritten. The row lock
    makes the compare and the write one step: a second editor waits, then sees the new
    version.
    """
    plan = ResearchPlan.objects.select_for_update().get(pk=plan.pk)
    policy.require(actor, plan.working_group_id, Action.EDIT, owner_id=plan.owner_id)
    if version is not None and version != plan.version:
        raise PlanConflict(plan)
    refuse_unknown(changes, PLAN_FIELDS)
    if plan.is_closed:
        raise ValidationError(
            {"status": f"The plan is {plan.get_status_display().lower()}: it is a record now."}
        )
    for field, needs in _TEXT_NEEDS.items():
        if field in changes:
            changes[field] = check_text(field, changes[field], required=needs)
    if "feature_teams" in changes:
        changes["feature_teams"] = _clean_teams(changes["feature_teams"])
    owner = changes.get("owner", plan.owner)
    sponsor = changes.get("sponsor", plan.sponsor)
    if "owner" in changes or "sponsor" in changes:
        sponsor_membership = _check_people(plan.working_group, owner, sponsor)
        if "sponsor" in changes:
            changes["business_unit"] = sponsor_membership.business_unit
    for field, value in changes.items():
        setattr(plan, field, value)
    _check_window(plan)
    plan.full_clean()
    plan.version += 1
    plan.save(update_fields=[*changes, "version", "updated_at"])
    if hypotheses is not None:
        plan.hypotheses.set(check_hypotheses(plan.working_group, hypotheses))
    return plan


@transaction.atomic
def plan_transition(*, actor: User, plan: ResearchPlan, status: str) -> ResearchPlan:
    """Activate, pause or resume a plan; concluding and abandoning are decisions."""
    plan = ResearchPlan.objects.select_for_update().get(pk=plan.pk)
    policy.require(actor, plan.working_group_id, Action.EDIT, owner_id=plan.owner_id)
    if status in CLOSED_STATUSES:
        raise ValidationError(
            {
                "status": "A plan is concluded or abandoned by a decision at its current "
                "milestone, with a rationale; record that decision instead."
            }
        )
    allowed = TRANSITIONS.get(plan.status, set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": f"A {plan.get_status_display().lower()} plan cannot become {status}; "
                f"allowed: {', '.join(sorted(allowed)) or 'nothing'}."
            }
        )
    if status == PlanStatus.ACTIVE and not plan.milestones.exists():
        raise ValidationError(
            {"status": "Add at least one milestone (a decision point) before activating."}
        )
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    return plan
