"""Read queries for the roadmap: plans a person may see, milestone states, the portfolio
share and the stakeholder update.

Each roadmap read is one query for the plans (with group, people and unit joined) and one
for their milestones with decisions: the cost does not grow with the number of plans.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import Membership, Role, WorkingGroup
from apps.accounts.policy import Action

from .models import (
    CLOSED_STATUSES,
    Category,
    Decision,
    Milestone,
    Outcome,
    PlanFacts,
    PlanStatus,
    ResearchPlan,
    UpdateDispatch,
)

# Milestone states, as the timeline colours them.
UPCOMING, DUE, OVERDUE, NOT_REACHED = "upcoming", "due", "overdue", "not_reached"
STATE_LABELS = {
    UPCOMING: "Upcoming",
    DUE: "Due",
    OVERDUE: "Overdue",
    "continue": "Decided: continue",
    "pivot": "Pivoted",
    "abandon": "Abandoned",
    "ship": "Shipped",
    NOT_REACHED: "Not reached",
}


@dataclass(frozen=True)
class RoadmapFilters:
    group: WorkingGroup | None = None
    category: str = ""
    business_unit_id: int | None = None
    status: str = ""
    q: str = ""


def _visible_filtered(user, filters: RoadmapFilters):
    plans = ResearchPlan.objects.visible_to(user)
    if filters.group is not None:
        plans = plans.filter(working_group=filters.group)
    if filters.category:
        plans = plans.filter(category=filters.category)
    if filters.business_unit_id:
        plans = plans.filter(business_unit_id=filters.business_unit_id)
    if filters.status:
        plans = plans.filter(status=filters.status)
    if filters.q:
        plans = plans.filter(Q(title__icontains=filters.q) | Q(goal__icontains=filters.q))
    return plans.order_by("start_date", "title", "pk")


def plans_for(user, filters: RoadmapFilters = RoadmapFilters()) -> list[ResearchPlan]:
    """The plans a person may see, filtered, as models with milestones and decisions: two
    queries. For the roadmap of many plans, `timeline_plans` reads the same rows leaner."""
    return list(_visible_filtered(user, filters).for_roadmap())


def state_of(
    outcome: str | None,
    plan_status: str,
    target_date: datetime.date,
    *,
    today: datetime.date,
    due_within: int,
) -> str:
    """upcoming, due (target within the group's meeting cadence), overdue, not reached, or
    the outcome of the milestone's decision."""
    if outcome is not None:
        return outcome
    if plan_status in CLOSED_STATUSES:
        return NOT_REACHED
    if target_date < today:
        return OVERDUE
    if target_date <= today + datetime.timedelta(days=due_within):
        return DUE
    return UPCOMING


@dataclass(slots=True)
class TimelineMilestone:
    """What the roadmap shows of a decision point: no criteria text, people or history."""

    id: int
    position: int
    title: str
    target_date: datetime.date
    outcome: str | None
    criteria_changed_after_start: bool
    state: str = ""  # as of a day: set by the reader that knows it (`TimelinePlan.state`)
    decided_on: datetime.date | None = None  # the day the decision was taken, if it was

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(slots=True)
class TimelinePlan(PlanFacts):
    """One roadmap row: the plan's own columns, the names it shows, and its milestones."""

    id: int
    title: str
    working_group_id: int
    group_name: str
    cadence_days: int
    category: str
    status: str
    business_unit_id: int | None
    unit_name: str | None
    owner_name: str
    sponsor_name: str
    start_date: datetime.date
    end_date: datetime.date
    confidential: bool
    milestones: list[TimelineMilestone] = field(default_factory=list)

    @property
    def current(self) -> TimelineMilestone | None:
        """The first undecided decision point, as on the model."""
        return next((m for m in self.milestones if m.outcome is None), None)

    @property
    def shipped(self) -> bool:
        decided = [m for m in self.milestones if m.outcome is not None]
        return bool(decided) and decided[-1].outcome == Outcome.SHIP

    @property
    def bar_end(self) -> datetime.date:
        """Where the plan's bar ends: a plan abandoned or concluded early ends at the
        decision that closed it, not at the end date it was planned to run to."""
        if self.status not in CLOSED_STATUSES:
            return self.end_date
        days = [m.decided_on for m in self.milestones if m.decided_on is not None]
        closed = max(days) if days else None
        return max(min(closed, self.end_date), self.start_date) if closed else self.end_date

    def state(self, milestone: TimelineMilestone, *, today: datetime.date) -> str:
        """The milestone's state; "due" within this plan's group cadence."""
        return state_of(
            milestone.outcome,
            self.status,
            milestone.target_date,
            today=today,
            due_within=self.cadence_days,
        )


def _person(first: str, last: str, username: str) -> str:
    # User.display_name, from columns read alongside the plan.
    return f"{first} {last}".strip() or username


def timeline_plans(user, filters: RoadmapFilters = RoadmapFilters()) -> list[TimelinePlan]:
    """The plans a person may see, filtered, as plain rows for the roadmap: two queries.

    The roadmap draws hundreds of plans and thousands of milestones; reading them as tuples
    instead of model instances (with their related people, groups and decisions) is most
    of what keeps it fast. Visibility is the same `visible_to` rule as everywhere else.
    """
    rows = _visible_filtered(user, filters).values_list(
        "pk",
        "title",
        "working_group_id",
        "working_group__name",
        "working_group__cadence_days",
        "category",
        "status",
        "business_unit_id",
        "business_unit__name",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "sponsor__first_name",
        "sponsor__last_name",
        "sponsor__username",
        "start_date",
        "end_date",
        "confidential",
    )
    plans = {}
    for r in rows:
        plans[r[0]] = TimelinePlan(*r[:9], _person(*r[9:12]), _person(*r[12:15]), *r[15:18])
    if not plans:
        return []
    milestones = (
        Milestone.objects.filter(plan_id__in=list(plans))
        .order_by("plan_id", "position", "pk")
        .values_list(
            "plan_id",
            "pk",
            "position",
            "title",
            "target_date",
            "decision__outcome",
            "criteria_changed_after_start",
            "decision__decided_at",
        )
    )
    for plan_id, *fields, decided_at in milestones:
        decided_on = timezone.localdate(decided_at) if decided_at else None
        plans[plan_id].milestones.append(TimelineMilestone(*fields, decided_on=decided_on))
    return list(plans.values())


def plan_for(user, pk: int) -> ResearchPlan:
    """One plan the person may see, ready for its page; DoesNotExist for anything else."""
    return (
        ResearchPlan.objects.visible_to(user)
        .for_roadmap()
        .prefetch_related(
            "hypotheses", "milestones__hypotheses", "milestones__criteria_revisions__author"
        )
        .get(pk=pk)
    )


def milestone_state(milestone: Milestone, *, today: datetime.date, due_within: int) -> str:
    """`state_of` for a milestone model (its plan and decision loaded)."""
    outcome = milestone.decision.outcome if milestone.is_decided else None
    return state_of(
        outcome, milestone.plan.status, milestone.target_date, today=today, due_within=due_within
    )


@dataclass
class Share:
    """Product-focused vs foundational among active plans, against the group's target."""

    product: int = 0
    foundational: int = 0
    target: int | None = None

    @property
    def total(self) -> int:
        return self.product + self.foundational

    @property
    def product_pct(self) -> int | None:
        return round(100 * self.product / self.total) if self.total else None

    @property
    def foundational_pct(self) -> int | None:
        pct = self.product_pct
        return None if pct is None else 100 - pct


def share_of(plans: list[ResearchPlan] | list["TimelinePlan"], target: int | None = None) -> Share:
    share = Share(target=target)
    for plan in plans:
        if plan.status != PlanStatus.ACTIVE:
            continue
        if plan.category == Category.PRODUCT:
            share.product += 1
        else:
            share.foundational += 1
    return share


# --- stakeholder update ------------------------------------------------------------------


@dataclass
class UpdateDecision:
    plan: ResearchPlan
    milestone: Milestone
    decision: Decision


@dataclass
class NextStep:
    plan: ResearchPlan
    milestone: Milestone | None


@dataclass
class AtRisk:
    plan: ResearchPlan
    milestone: Milestone
    days_overdue: int


@dataclass
class StakeholderUpdate:
    group: WorkingGroup
    since: datetime.date
    until: datetime.date
    decided: list[UpdateDecision] = field(default_factory=list)
    learned: list[UpdateDecision] = field(default_factory=list)
    next: list[NextStep] = field(default_factory=list)
    at_risk: list[AtRisk] = field(default_factory=list)
    introduction: str = ""  # the program manager's words above it, when they add some


def stakeholder_update(
    user, group: WorkingGroup, since: datetime.date, until: datetime.date
) -> StakeholderUpdate:
    """What was decided and learned between two dates, what is next, and what is at risk.

    Built from the plans `user` may see, so a stakeholder's copy never names a
    confidential plan outside their business unit. Four reads whatever the number of
    plans (the plans, the decisions in the range, the running plans' undecided milestones
    as ids, their current ones), each a plain indexed lookup rather than a correlated
    subquery; only what the update shows becomes a model instance.
    """
    today = timezone.localdate()
    as_of = min(until, today)
    update = StakeholderUpdate(group=group, since=since, until=until)
    plans = list(
        _visible_filtered(user, RoadmapFilters(group=group)).exclude(status=PlanStatus.DRAFT)
    )
    by_id = {p.pk: p for p in plans}
    running = [p for p in plans if p.status in (PlanStatus.ACTIVE, PlanStatus.PAUSED)]
    decisions = (
        Decision.objects.filter(
            milestone__plan_id__in=list(by_id),
            decided_at__date__gte=since,
            decided_at__date__lte=until,
        )
        .select_related("milestone", "decided_by")
        .order_by("decided_at", "pk")
    )
    for decision in decisions:
        plan = by_id[decision.milestone.plan_id]
        entry = UpdateDecision(plan, decision.milestone, decision)
        update.decided.append(entry)
        if decision.learned:
            update.learned.append(entry)
    # Each running plan's current decision point: its first undecided milestone.
    first_open: dict[int, int] = {}
    undecided = (
        Milestone.objects.filter(plan_id__in=[p.pk for p in running], decision__isnull=True)
        .order_by("plan_id", "position", "pk")
        .values_list("plan_id", "pk")
    )
    for plan_id, pk in undecided:
        first_open.setdefault(plan_id, pk)
    current = {m.plan_id: m for m in Milestone.objects.filter(pk__in=first_open.values())}
    for plan in running:
        milestone = current.get(plan.pk)
        # A plan is listed once: past its decision point it is at risk, otherwise next.
        if milestone is not None and milestone.target_date < as_of:
            update.at_risk.append(AtRisk(plan, milestone, (as_of - milestone.target_date).days))
        else:
            update.next.append(NextStep(plan, milestone))
    update.next.sort(
        key=lambda s: (s.milestone is None, s.milestone.target_date if s.milestone else today)
    )
    update.at_risk.sort(key=lambda r: -r.days_overdue)
    return update


def stakeholders_of(group: WorkingGroup) -> list[Membership]:
    """The group's stakeholders with an email address, the update's recipients."""
    return list(
        Membership.objects.filter(working_group=group, role=Role.STAKEHOLDER)
        .exclude(user__email="")
        .filter(user__is_active=True)
        .select_related("user", "business_unit")
        .order_by("user__username")
    )


def dispatch_for(user, pk: int) -> UpdateDispatch:
    """An emailing of the update, for those who may send one: 404 outside the group, 403
    inside it without the right to manage it."""
    dispatch = get_object_or_404(
        UpdateDispatch.objects.select_related("working_group"),
        pk=pk,
        working_group__in=WorkingGroup.objects.visible_to(user),
    )
    policy.require(user, dispatch.working_group, Action.MANAGE)
    return dispatch


def last_dispatch(group: WorkingGroup) -> UpdateDispatch | None:
    """The group's latest emailing of the update, for the page that sends the next one."""
    return (
        UpdateDispatch.objects.filter(working_group=group).select_related("working_group").first()
    )
