"""How the backlog plugs into working-group meetings (found by the meetings app).

- Agenda sources "backlog.proposed", "backlog.discuss" and "backlog.top_ranked": new
  proposals to triage, hypotheses whose scores disagree, and the top of the ranking ready
  to design. Each reads hypotheses through the backlog's models and selectors, costs a
  constant number of queries and caps what it lists, so a backlog of thousands drafts as
  fast as one of ten.
- Decision kind "hypothesis.transition": a decision recorded in a meeting moves a
  hypothesis through `services.hypothesis_transition`, with its workflow and permission
  rules. Its form (`forms.MeetingTransitionForm`) lets the meeting page record one, and
  agenda items about a hypothesis link to it.
"""

from django.core.exceptions import ValidationError
from django.db.models import Subquery
from django.urls import reverse

from apps.accounts.policy import Action
from apps.meetings.hooks import (
    AgendaCandidate,
    AgendaContext,
    DecisionOutcome,
    agenda_source,
    decision_kind,
    payload_id,
    readable_by_every_reader,
)

from . import selectors, services
from .forms import MeetingTransitionForm
from .models import BacklogSettings, Hypothesis, ScoreSummary, Status

MAX_PROPOSALS = 5
MAX_DISCUSS = 6
TOP_RANKED = 3


def _hypothesis_url(pk: int) -> str:
    return reverse("backlog:hypothesis", args=[pk])


def _current_framework(group_id: int):
    return Subquery(
        BacklogSettings.objects.filter(working_group_id=group_id).values("framework_id")[:1]
    )


@agenda_source("backlog.proposed", order=10, heading="New proposals: accept, park or reject")
def proposed_since_last_meeting(ctx: AgendaContext):
    proposals = Hypothesis.objects.filter(
        working_group=ctx.group, status=Status.PROPOSED, created_at__lt=ctx.meeting.starts_at
    )
    if ctx.since is not None:
        proposals = proposals.filter(created_at__gte=ctx.since)
    rows = list(
        proposals.order_by("created_at", "pk").values_list("pk", "title", "owner_id")[
            : MAX_PROPOSALS + 1
        ]
    )
    for pk, title, owner_id in rows[:MAX_PROPOSALS]:
        yield AgendaCandidate(
            key=f"hypothesis:{pk}:proposed",
            title=f"New: {title}",
            minutes=5,
            presenter_id=owner_id,
            url=_hypothesis_url(pk),
            detail="Proposed since the last meeting: accept, park or reject.",
            subject=Hypothesis(pk=pk),
        )
    if len(rows) > MAX_PROPOSALS:
        more = proposals.count() - MAX_PROPOSALS
        yield AgendaCandidate(
            key="backlog.proposed:more",
            title=f"…and {more} more new proposal{'s' if more != 1 else ''}",
            minutes=5,
            url=reverse("backlog:index") + "?status=proposed",
            detail="Triage the rest in the backlog, or at the next meeting.",
        )


@agenda_source("backlog.discuss", order=20, heading="Scores disagree: discuss")
def flagged_for_discussion(ctx: AgendaContext):
    rows = (
        ScoreSummary.objects.filter(
            hypothesis__working_group=ctx.group,
            hypothesis__status__in=[Status.PROPOSED, Status.ACCEPTED, Status.PARKED],
            framework_id=_current_framework(ctx.group.pk),
            discuss=True,
        )
        .order_by("-spread", "hypothesis_id")
        .values_list("hypothesis_id", "hypothesis__title", "hypothesis__owner_id", "spread")[
            :MAX_DISCUSS
        ]
    )
    for pk, title, owner_id, spread in rows:
        yield AgendaCandidate(
            key=f"hypothesis:{pk}:discuss",
            title=f"Discuss scores: {title}",
            minutes=10,
            presenter_id=owner_id,
            url=_hypothesis_url(pk),
            detail=f"Members' scores disagree (spread {spread:.0%}): hear the outliers.",
            subject=Hypothesis(pk=pk),
        )


@agenda_source("backlog.top_ranked", order=30, heading="Top of the backlog, ready to design")
def top_of_backlog(ctx: AgendaContext):
    framework_ids = list(
        BacklogSettings.objects.filter(working_group=ctx.group).values_list(
            "framework_id", flat=True
        )
    )
    if not framework_ids:
        return
    ranked = selectors.order_ranked(
        selectors.ranked(
            Hypothesis.objects.filter(working_group=ctx.group, status=Status.ACCEPTED),
            framework_ids=framework_ids,
            viewer=ctx.group.program_manager,
        ).prefetch_related(None)
    )
    for hypothesis in ranked.filter(score__isnull=False)[:TOP_RANKED]:
        yield AgendaCandidate(
            key=f"hypothesis:{hypothesis.pk}:top",
            title=f"Ready to design: {hypothesis.title}",
            minutes=5,
            presenter_id=hypothesis.owner_id,
            url=_hypothesis_url(hypothesis.pk),
            detail=f"Accepted, score {hypothesis.score:.1f}: who designs the experiment, by when?",
            subject=hypothesis,
        )


def describe_transitions(decisions) -> dict[int, DecisionOutcome]:
    """ "Guest checkout by default → Accepted", linking the hypothesis: one query."""
    ids = {d.pk: payload_id(d, "hypothesis") for d in decisions}
    titles = dict(
        Hypothesis.objects.filter(pk__in={i for i in ids.values() if i}).values_list("pk", "title")
    )
    outcomes = {}
    for d in decisions:
        payload = d.payload if isinstance(d.payload, dict) else {}
        pk, to_status = ids[d.pk], payload.get("to_status")
        if pk in titles and to_status in Status.values:
            outcomes[d.pk] = DecisionOutcome(
                f"{titles[pk]} → {Status(to_status).label}", _hypothesis_url(pk)
            )
    return outcomes


# Hypotheses are read by everyone in their group, as the meeting is. The meeting form only
# accepts, parks or rejects: each of those is the program manager's call (workflow.py).
@decision_kind(
    "hypothesis.transition",
    label="Move a hypothesis (accept, park, reject…)",
    form=MeetingTransitionForm,
    readable=readable_by_every_reader,
    describe=describe_transitions,
    requires=Action.MANAGE,
)
def apply_hypothesis_transition(*, actor, decision, payload: dict) -> None:
    """payload {"hypothesis": id, "to_status": "accepted", "reason": "…"}: the backlog's
    own service moves it, with its workflow and permission rules."""
    raw = payload.get("hypothesis")
    valid = not isinstance(raw, bool) and isinstance(raw, int | str) and str(raw).isdigit()
    if not valid or int(raw) > 2**63 - 1:
        raise ValidationError({"payload.hypothesis": "Give the hypothesis id as a number."})
    to_status = payload.get("to_status")
    if not isinstance(to_status, str) or to_status not in Status.values:
        raise ValidationError({"payload.to_status": f"Choose one of: {', '.join(Status.values)}."})
    reason = payload.get("reason", "")
    if not isinstance(reason, str):
        raise ValidationError({"payload.reason": "The reason is text."})
    hypothesis = Hypothesis.objects.filter(
        pk=int(raw), working_group_id=decision.meeting.working_group_id
    ).first()
    if hypothesis is None:
        raise ValidationError({"payload.hypothesis": f"No hypothesis {raw} in this working group."})
    services.hypothesis_transition(
        actor=actor, hypothesis=hypothesis, to_status=to_status, reason=reason or decision.text
    )
    if decision.subject_id is None:
        decision.subject = hypothesis
        decision.save(update_fields=["subject_type", "subject_id"])
