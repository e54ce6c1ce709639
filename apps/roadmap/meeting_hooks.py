"""How the roadmap plugs into working-group meetings (found by the meetings app).

- Agenda source "roadmap.decision_points_due": each active plan's current decision point
  whose target date falls before the following meeting, one query whatever the number of
  plans. The presenter is the plan's owner.
- Decision kind "milestone.decide": a decision recorded in a meeting takes the decision at
  the milestone through `services.milestone_decide`, with its rules and permission, and
  records the meeting it was taken in. Its form (`forms.MeetingDecideForm`) lets the
  meeting page record one without the API.

Agendas are shared with the group's stakeholders, so a confidential plan appears under a
neutral title naming only its business unit. Decisions are read under the plan's own rule
(`ResearchPlan.objects.visible_to`): whoever may not read the plan sees that same neutral
wording instead of the decision's text and payload, for "milestone.decide" decisions and
for any decision whose subject is a milestone or a plan (see meetings.hooks).
"""

from django.core.exceptions import ValidationError
from django.db.models import Min, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.meetings.hooks import (
    AgendaCandidate,
    AgendaContext,
    agenda_source,
    decision_kind,
    decision_subject,
    payload_errors,
    payload_id,
)

from . import services
from .forms import MeetingDecideForm
from .models import Milestone, Outcome, PlanStatus, ResearchPlan

MAX_DUE = 10
MINUTES = 10


def _first_open_position():
    """The position of each plan's first undecided milestone: the current decision point."""
    return Subquery(
        Milestone.objects.filter(plan_id=OuterRef("plan_id"), decision__isnull=True)
        .values("plan_id")
        .annotate(first=Min("position"))
        .values("first")[:1]
    )


@agenda_source("roadmap.decision_points_due", order=40, heading="Decision points due")
def decision_points_due(ctx: AgendaContext):
    until = timezone.localdate(ctx.until)
    due = (
        Milestone.objects.filter(
            plan__working_group=ctx.group,
            plan__status=PlanStatus.ACTIVE,
            decision__isnull=True,
            target_date__lt=until,
            position=_first_open_position(),
        )
        .select_related("plan__business_unit")
        .order_by("target_date", "pk")[:MAX_DUE]
    )
    today = timezone.localdate()
    for m in due:
        plan = m.plan
        when = f"due {m.target_date:%-d %b}"
        if m.target_date < today:
            when = f"overdue since {m.target_date:%-d %b}"
        if plan.confidential:
            unit = plan.business_unit.name if plan.business_unit else "sponsor's"
            title = f"Decide: a confidential {unit} plan's decision point ({when})"
            detail = "Confidential plan: details on its page for those who may read it."
        else:
            title = f"Decide: {plan.title} — {m.title} ({when})"
            detail = f"{m.question}\nCriteria written before the data: {m.decision_criteria}"
        yield AgendaCandidate(
            key=f"milestone:{m.pk}:due",
            title=title[:240],
            minutes=MINUTES,
            presenter_id=plan.owner_id,
            url=reverse("roadmap:plan", args=[plan.pk]) + f"#milestone-{m.pk}",
            detail=detail,
            subject=m,
        )


def _text(payload: dict, name: str, *, required: bool) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str):
        raise ValidationError({f"payload.{name}": "Give this as text."})
    if required and not value.strip():
        raise ValidationError(
            {f"payload.{name}": "A decision needs its rationale: why this outcome, against "
             "the criteria written before the data."}
        )  # fmt: skip
    return value


# --- who reads a decision about a plan ----------------------------------------------------


def _plan_words(row: tuple[bool, str | None] | None) -> str:
    """What the agenda calls a plan some may not read: "a confidential Commerce plan"."""
    confidential, unit = row or (True, None)
    return " ".join(w for w in ("a", "confidential" if confidential else "", unit, "plan") if w)


def _payload_milestone(decision) -> int | None:
    return payload_id(decision, "milestone")


def _visible_milestones(ids, user) -> set[int]:
    return set(
        Milestone.objects.filter(
            pk__in=ids, plan__in=ResearchPlan.objects.visible_to(user)
        ).values_list("pk", flat=True)
    )


def _milestone_plans(ids) -> dict[int, tuple[bool, str | None]]:
    """(confidential, unit name) of each milestone's plan: what a neutral wording names."""
    rows = Milestone.objects.filter(pk__in=[pk for pk in ids if pk]).values_list(
        "pk", "plan__confidential", "plan__business_unit__name"
    )
    return {pk: (confidential, unit) for pk, confidential, unit in rows}


def _plans(ids) -> dict[int, tuple[bool, str | None]]:
    rows = ResearchPlan.objects.filter(pk__in=ids).values_list(
        "pk", "confidential", "business_unit__name"
    )
    return {pk: (confidential, unit) for pk, confidential, unit in rows}


def _neutral(decision_milestones: dict[int, int | None]) -> dict[int, str]:
    """The agenda's neutral wording for each decision, naming only the plan's unit."""
    plans = _milestone_plans(decision_milestones.values())
    return {
        pk: f"Decided at {_plan_words(plans.get(m))}'s decision point; details on its page "
        "for those who may read it."
        for pk, m in decision_milestones.items()
    }


def readable_milestone_decisions(decisions, user) -> set[int]:
    """Decisions at a milestone: readable by those who may read its plan."""
    of = {d.pk: _payload_milestone(d) for d in decisions}
    visible = _visible_milestones([m for m in of.values() if m], user)
    return {pk for pk, m in of.items() if m in visible}


def neutral_milestone_decisions(decisions) -> dict[int, str]:
    return _neutral({d.pk: _payload_milestone(d) for d in decisions})


def readable_about_milestones(decisions, user) -> set[int]:
    visible = _visible_milestones([d.subject_id for d in decisions], user)
    return {d.pk for d in decisions if d.subject_id in visible}


def neutral_about_milestones(decisions) -> dict[int, str]:
    return _neutral({d.pk: d.subject_id for d in decisions})


def readable_about_plans(decisions, user) -> set[int]:
    visible = set(
        ResearchPlan.objects.visible_to(user)
        .filter(pk__in=[d.subject_id for d in decisions])
        .values_list("pk", flat=True)
    )
    return {d.pk for d in decisions if d.subject_id in visible}


def neutral_about_plans(decisions) -> dict[int, str]:
    plans = _plans([d.subject_id for d in decisions])
    return {
        d.pk: f"A decision about {_plan_words(plans.get(d.subject_id))}; details on its page "
        "for those who may read it."
        for d in decisions
    }


def neutral_milestone_items(items) -> dict[int, str]:
    """The title the agenda source gives a decision point of a confidential plan."""
    plans = _milestone_plans([item.subject_id for item in items])
    return {
        item.pk: f"Decide: {_plan_words(plans.get(item.subject_id))}'s decision point"
        for item in items
    }


def neutral_plan_items(items) -> dict[int, str]:
    plans = _plans([item.subject_id for item in items])
    words = {item.pk: _plan_words(plans.get(item.subject_id)) for item in items}
    return {pk: text[0].upper() + text[1:] for pk, text in words.items()}


decision_subject(
    Milestone,
    readable=readable_about_milestones,
    neutral_text=neutral_about_milestones,
    neutral_title=neutral_milestone_items,
)
decision_subject(
    ResearchPlan,
    readable=readable_about_plans,
    neutral_text=neutral_about_plans,
    neutral_title=neutral_plan_items,
)


@decision_kind(
    "milestone.decide",
    label="Decide at a milestone (continue, pivot, abandon, ship)",
    form=MeetingDecideForm,
    readable=readable_milestone_decisions,
    neutral_text=neutral_milestone_decisions,
)
def apply_milestone_decision(*, actor, decision, payload: dict) -> None:
    """payload {"milestone": id, "outcome": "continue"|"pivot"|"abandon"|"ship",
    "rationale": "…", "learned": "…" (optional), "decided_by": user id (optional: the
    person recording it)}."""
    raw = payload.get("milestone")
    valid = not isinstance(raw, bool) and isinstance(raw, int | str) and str(raw).isdigit()
    if not valid or int(raw) > 2**63 - 1:
        raise ValidationError({"payload.milestone": "Give the milestone id as a number."})
    outcome = payload.get("outcome")
    if not isinstance(outcome, str) or outcome not in Outcome.values:
        raise ValidationError({"payload.outcome": f"Choose one of: {', '.join(Outcome.values)}."})
    rationale = _text(payload, "rationale", required=True)
    learned = _text(payload, "learned", required=False)
    decided_by = None
    if payload.get("decided_by") is not None:
        raw_by = payload["decided_by"]
        if isinstance(raw_by, bool) or not isinstance(raw_by, int) or raw_by > 2**63 - 1:
            raise ValidationError({"payload.decided_by": "Give the person's user id as a number."})
        decided_by = User.objects.filter(pk=raw_by, is_active=True).first()
        if decided_by is None:
            raise ValidationError({"payload.decided_by": f"No user {raw_by}."})
    milestone = (
        Milestone.objects.select_related("plan")
        .filter(pk=int(raw), plan__working_group_id=decision.meeting.working_group_id)
        .first()
    )
    if milestone is None:
        raise ValidationError({"payload.milestone": f"No milestone {raw} in this working group."})
    try:
        services.milestone_decide(
            actor=actor,
            milestone=milestone,
            outcome=outcome,
            rationale=rationale,
            learned=learned,
            decided_by=decided_by,
            meeting=decision.meeting,
        )
    except ValidationError as exc:
        raise payload_errors(exc) from exc
    if decision.subject_id is None:
        decision.subject = milestone
        decision.save(update_fields=["subject_type", "subject_id"])
