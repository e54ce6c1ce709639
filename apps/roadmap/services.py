"""Changes to research plans, milestones and decisions.

Every function takes the acting user, asks the role policy, checks the roadmap's rules and
writes in one transaction. A broken rule raises ValidationError naming the field and the
rule, which the API turns into a 400 and the pages into a form error.

Who may do what: anyone who may create in the group writes a plan (and owns it unless they
name another member); the plan's owner, their delegate and the program manager change it,
its milestones and record its decisions (policy EDIT with the plan's owner); only the
program manager emails a stakeholder update (MANAGE). Stakeholders write nothing.
"""

import datetime
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import Membership, User, WorkingGroup
from apps.accounts.policy import Action

from .models import (
    CLOSED_STATUSES,
    Category,
    CriteriaRevision,
    Decision,
    DispatchStatus,
    Milestone,
    Outcome,
    PlanStatus,
    ResearchPlan,
    UpdateDispatch,
)

logger = logging.getLogger(__name__)

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
MILESTONE_FIELDS = {"title", "question", "target_date", "decision_criteria"}
MAX_FEATURE_TEAMS = 20

# Status changes a person makes directly; concluding and abandoning happen by decision.
_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.ACTIVE},
    PlanStatus.ACTIVE: {PlanStatus.PAUSED},
    PlanStatus.PAUSED: {PlanStatus.ACTIVE},
}


class PlanConflict(Exception):
    """The plan changed since the editor opened it: carries the saved plan; nothing of the
    editor's was saved."""

    def __init__(self, plan: ResearchPlan):
        super().__init__("This plan changed since you opened it.")
        self.plan = plan


def _today() -> datetime.date:
    return timezone.localdate()


def _member_of(group: WorkingGroup, user: User) -> Membership | None:
    return Membership.objects.filter(working_group=group, user=user).first()


def _check_people(group: WorkingGroup, owner: User, sponsor: User) -> Membership:
    if _member_of(group, owner) is None:
        raise ValidationError({"owner": f"{owner.username} is not a member of {group.name}."})
    sponsor_membership = _member_of(group, sponsor)
    if sponsor_membership is None:
        raise ValidationError(
            {
                "sponsor": f"{sponsor.username} is not a member of {group.name}; a sponsor "
                "must be one of the group's stakeholders or members."
            }
        )
    return sponsor_membership


_TEXT_NEEDS = {"title": "a title", "goal": "a goal statement", "kill_criteria": "kill criteria"}


def _check_text(field: str, value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"A plan needs {what}."})
    return value


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


def _check_hypotheses(group: WorkingGroup, hypotheses) -> list:
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


# --- plans -------------------------------------------------------------------------------


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
        title=_check_text("title", title, _TEXT_NEEDS["title"]),
        goal=_check_text("goal", goal, _TEXT_NEEDS["goal"]),
        kill_criteria=_check_text("kill_criteria", kill_criteria, _TEXT_NEEDS["kill_criteria"]),
        value_path=(value_path or "").strip(),
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
    plan.hypotheses.set(_check_hypotheses(group, hypotheses))
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
    unknown = set(changes) - PLAN_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be changed here."})
    if plan.is_closed:
        raise ValidationError(
            {"status": f"The plan is {plan.get_status_display().lower()}: it is a record now."}
        )
    for field in ("title", "goal", "kill_criteria"):
        if field in changes:
            changes[field] = _check_text(field, changes[field], _TEXT_NEEDS[field])
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
        plan.hypotheses.set(_check_hypotheses(plan.working_group, hypotheses))
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
    allowed = _TRANSITIONS.get(plan.status, set())
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


# --- milestones --------------------------------------------------------------------------


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


def _lock_plan_for_edit(actor: User, plan: ResearchPlan) -> ResearchPlan:
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
    plan = _lock_plan_for_edit(actor, plan)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "A milestone needs a title."})
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": "A milestone needs the question it answers."})
    criteria = (decision_criteria or "").strip()
    if not criteria:
        raise ValidationError(
            {
                "decision_criteria": "Write the decision criteria now, before the data: what "
                "result means continue, pivot or abandon."
            }
        )
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
    milestone.hypotheses.set(_check_hypotheses(plan.working_group, hypotheses))
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
    plan = _lock_plan_for_edit(actor, milestone.plan)
    milestone = Milestone.objects.select_related("plan").get(pk=milestone.pk)
    unknown = set(changes) - MILESTONE_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This field cannot be changed here."})
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
            changes[field] = (changes[field] or "").strip()
            if not changes[field]:
                raise ValidationError({field: "This cannot be empty."})
    if "target_date" in changes:
        _check_milestone_date(plan, changes["target_date"], milestone.position)
    today = _today()
    new_criteria = changes.get("decision_criteria")
    criteria_changed = new_criteria is not None and new_criteria != milestone.decision_criteria
    started = milestone.has_started(today) if criteria_changed else False
    if criteria_changed and started and not (reason or "").strip():
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
            reason=(reason or "").strip(),
        )
        if started:
            changes["criteria_changed_after_start"] = True
    for field, value in changes.items():
        setattr(milestone, field, value)
    milestone.full_clean()
    milestone.save(update_fields=[*changes, "updated_at"] if changes else None)
    if hypotheses is not None:
        milestone.hypotheses.set(_check_hypotheses(plan.working_group, hypotheses))
    return milestone


@transaction.atomic
def milestone_remove(*, actor: User, milestone: Milestone) -> None:
    """Drop an undecided decision point: freely in a draft, after a pivot in an active plan."""
    plan = _lock_plan_for_edit(actor, milestone.plan)
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


# --- decisions ---------------------------------------------------------------------------


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
    plan = _lock_plan_for_edit(actor, milestone.plan)
    # Each milestone's decision in the same query, for the current-milestone rule.
    prefetch_related_objects(
        [plan],
        Prefetch("milestones", queryset=Milestone.objects.select_related("decision")),
    )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": f"Choose one of: {', '.join(Outcome.values)}."})
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError(
            {
                "rationale": "A decision needs its rationale: why this outcome, against the "
                "criteria written before the data."
            }
        )
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
    if _member_of(plan.working_group, decided_by) is None:
        raise ValidationError(
            {"decided_by": f"{decided_by.username} is not a member of the working group."}
        )
    now = timezone.now()
    decision = Decision.objects.create(
        milestone=current,
        outcome=outcome,
        rationale=rationale,
        learned=(learned or "").strip(),
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


# --- stakeholder updates -----------------------------------------------------------------

MAX_UPDATE_DAYS = 366


def check_update_range(since: datetime.date, until: datetime.date) -> None:
    if until < since:
        raise ValidationError({"until": "The update's range ends before it starts."})
    if (until - since).days > MAX_UPDATE_DAYS:
        raise ValidationError(
            {"since": f"An update covers at most {MAX_UPDATE_DAYS} days; pick a shorter range."}
        )


@transaction.atomic
def stakeholder_update_send(
    *, actor: User, group: WorkingGroup, since: datetime.date, until: datetime.date
) -> UpdateDispatch:
    """Queue the emailing of the update to the group's stakeholders; a background job sends
    it (`stakeholder_update_dispatch_run`) and the returned row shows its progress.

    Checked now, so a refusal is an immediate 400 rather than a failed job: the policy, the
    range, and that someone will receive it.
    """
    from . import selectors, tasks

    policy.require(actor, group, Action.MANAGE)
    check_update_range(since, until)
    recipients = selectors.stakeholders_of(group)
    if not recipients:
        raise ValidationError(
            {"working_group": f"{group.name} has no stakeholders with an email address."}
        )
    dispatch = UpdateDispatch.objects.create(
        working_group=group, since=since, until=until, requested_by=actor, total=len(recipients)
    )
    # After commit: the worker must find the row.
    transaction.on_commit(lambda: tasks.send_stakeholder_update.delay(dispatch.pk))
    return dispatch


def stakeholder_update_dispatch_run(dispatch_id: int) -> UpdateDispatch:
    """Email each stakeholder their own copy of the update, recording each one sent.

    One copy per person rather than one message to all: a confidential plan appears only
    in the copies of stakeholders from the sponsor's business unit. A copy already sent (the
    job redelivered after a crash) is not sent again. A failure marks the dispatch failed
    with the error, for the page to show; the copies sent before it stay recorded.
    """
    from . import selectors, updates

    dispatch = UpdateDispatch.objects.select_related("working_group", "requested_by").get(
        pk=dispatch_id
    )
    if dispatch.status == DispatchStatus.SENT:
        return dispatch
    group = dispatch.working_group
    recipients = [m.user for m in selectors.stakeholders_of(group)]
    dispatch.status, dispatch.total, dispatch.error = DispatchStatus.SENDING, len(recipients), ""
    dispatch.save(update_fields=["status", "total", "error"])
    try:
        connection = get_connection()
        for person in recipients:
            if person.pk in dispatch.sent_to:
                continue
            update = selectors.stakeholder_update(person, group, dispatch.since, dispatch.until)
            connection.send_messages(
                [updates.as_email(update, to=person, sender=dispatch.requested_by)]
            )
            dispatch.sent_to.append(person.pk)
            dispatch.save(update_fields=["sent_to"])
    except Exception as exc:  # noqa: BLE001 - any failure is the dispatch's state to show
        logger.exception("stakeholder update %s failed", dispatch.pk)
        dispatch.status, dispatch.error = DispatchStatus.FAILED, f"{type(exc).__name__}: {exc}"
    else:
        dispatch.status = DispatchStatus.SENT
    dispatch.finished_at = timezone.now()
    dispatch.save(update_fields=["status", "error", "finished_at"])
    return dispatch
