"""How experiments plug into working-group meetings (found by the meetings app).

Agenda sources, each one query whatever the number of experiments:
- "experiments.alerts": a running experiment whose current snapshot shows a guardrail
  breach, a sample ratio mismatch or an A/A red flag;
- "experiments.fresh_results": experiments with a snapshot taken since the last meeting;
- "experiments.awaiting_decision": experiments past their planned end, still undecided.

Decision kind "experiment.conclude": a meeting concludes an experiment through
`services.experiment_transition` with its rules and permission; its form offers the
group's running and stopped experiments.

Who reads: an experiment tied to a confidential plan's milestone is read under the plan's
rule (`Experiment.objects.visible_to`); others see a neutral wording instead.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.policy import Action
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
from .models import Decision, Experiment, Snapshot, SnapshotStatus, Status

MAX_ITEMS = 10
DECIDABLE = (Status.RUNNING, Status.STOPPED)
NEUTRAL = "An experiment of a confidential plan"


def _words(exp: Experiment) -> str:
    confidential = exp.milestone is not None and exp.milestone.plan.confidential
    return NEUTRAL if confidential else exp.title


def _current_problems(analysis: dict) -> list[str]:
    from .services.alerts import problems

    return list(problems(analysis or {}).values())


@agenda_source("experiments.alerts", order=25, heading="Experiments that need attention")
def alerts(ctx: AgendaContext):
    latest = Snapshot.objects.filter(
        experiment=OuterRef("pk"), run=OuterRef("run"), status=SnapshotStatus.DONE, valid=True
    ).order_by("-taken_at", "-pk")
    running = (
        Experiment.objects.filter(working_group=ctx.group, status=Status.RUNNING)
        .annotate(has=Exists(latest))
        .filter(has=True)
        .select_related("milestone__plan")
        .order_by("pk")[: MAX_ITEMS * 3]
    )
    snapshots = {
        s.experiment_id: s
        for s in Snapshot.objects.current().filter(
            experiment__in=[e.pk for e in running]
        ).only("experiment_id", "analysis", "taken_at", "run")
    }  # fmt: skip
    shown = 0
    for exp in running:
        snapshot = snapshots.get(exp.pk)
        if snapshot is None or snapshot.run != exp.run or shown >= MAX_ITEMS:
            continue
        found = _current_problems(snapshot.analysis)
        if not found:
            continue
        shown += 1
        yield AgendaCandidate(
            key=f"experiment:{exp.pk}:alert",
            title=f"Needs attention: {_words(exp)}"[:240],
            minutes=10,
            presenter_id=exp.owner_id,
            url=reverse("experiments:detail", args=[exp.pk]),
            detail=" ".join(found) if _words(exp) != NEUTRAL else "",
            subject=exp,
        )


@agenda_source("experiments.fresh_results", order=26, heading="Fresh experiment results")
def fresh_results(ctx: AgendaContext):
    fresh = Snapshot.objects.filter(
        experiment=OuterRef("pk"), run=OuterRef("run"), status=SnapshotStatus.DONE, valid=True,
        **({"taken_at__gte": ctx.since} if ctx.since else {}),
    )  # fmt: skip
    for exp in (
        Experiment.objects.filter(working_group=ctx.group, status__in=DECIDABLE)
        .filter(Exists(fresh))
        .select_related("milestone__plan")
        .order_by("pk")[:MAX_ITEMS]
    ):
        yield AgendaCandidate(
            key=f"experiment:{exp.pk}:results:{timezone.localdate(ctx.until)}",
            title=f"Results: {_words(exp)}"[:240],
            minutes=5,
            presenter_id=exp.owner_id,
            url=reverse("experiments:detail", args=[exp.pk]),
            subject=exp,
        )


@agenda_source("experiments.awaiting_decision", order=27, heading="Experiments awaiting a decision")
def awaiting_decision(ctx: AgendaContext):
    today = timezone.localdate()
    for exp in (
        Experiment.objects.filter(working_group=ctx.group, status__in=DECIDABLE)
        .filter(Q(planned_end__lt=today) | Q(status=Status.STOPPED))
        .select_related("milestone__plan")
        .order_by("planned_end", "pk")[:MAX_ITEMS]
    ):
        ended = f"planned end {exp.planned_end:%-d %b}" if exp.planned_end else "stopped"
        yield AgendaCandidate(
            key=f"experiment:{exp.pk}:decide",
            title=f"Decide: {_words(exp)} ({ended})"[:240],
            minutes=10,
            presenter_id=exp.owner_id,
            url=reverse("experiments:detail", args=[exp.pk]),
            subject=exp,
        )


# --- who reads decisions and agenda items about an experiment ---------------------------


def _visible(ids, user) -> set[int]:
    return set(
        Experiment.objects.visible_to(user).filter(pk__in=[i for i in ids if i])
        .values_list("pk", flat=True)
    )  # fmt: skip


def _payload_experiment(decision) -> int | None:
    return payload_id(decision, "experiment")


def readable_conclusions(decisions, user) -> set[int]:
    of = {d.pk: _payload_experiment(d) for d in decisions}
    visible = _visible(of.values(), user)
    return {pk for pk, e in of.items() if e in visible}


def neutral_conclusions(decisions) -> dict[int, str]:
    return {d.pk: f"{NEUTRAL} was concluded; details on its page for those who may read it."
            for d in decisions}  # fmt: skip


def readable_about_experiments(items, user) -> set[int]:
    visible = _visible([i.subject_id for i in items], user)
    return {i.pk for i in items if i.subject_id in visible}


def neutral_about_experiments(items) -> dict[int, str]:
    return {i.pk: NEUTRAL for i in items}


decision_subject(
    Experiment,
    readable=readable_about_experiments,
    neutral_text=neutral_about_experiments,
    neutral_title=neutral_about_experiments,
)


class MeetingConcludeForm(forms.Form):
    """Conclude an experiment in a meeting: the decision and why."""

    experiment = forms.TypedChoiceField(coerce=int, label="Experiment")
    decision = forms.ChoiceField(choices=[("", "—"), *Decision.choices])
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)
    field_order = ["experiment", "decision", "rationale"]
    subject_field = "experiment"
    subject_model = Experiment

    def __init__(self, data=None, *, meeting, user, **kwargs):
        super().__init__(data, **kwargs)
        decidable = (
            Experiment.objects.visible_to(user)
            .filter(working_group=meeting.working_group, status__in=DECIDABLE)
            .select_related("milestone__plan")
            .order_by("key")
        )
        # Only what this person may conclude (the owner, a delegate, the program manager):
        # the form offers no choice the service would refuse. One answer per owner.
        may: dict[int, bool] = {}
        for exp in decidable:
            if exp.owner_id not in may:
                may[exp.owner_id] = policy.allows(
                    user, meeting.working_group_id, Action.EDIT, owner_id=exp.owner_id
                )
        self._open = {exp.pk: exp for exp in decidable if may[exp.owner_id]}
        self.fields["experiment"].choices = [("", "—")] + [
            (pk, f"{exp.key} — {exp.title} ({exp.get_status_display().lower()})")
            for pk, exp in self._open.items()
        ]

    def is_available(self) -> bool:
        return bool(self._open)

    def payload(self) -> dict:
        data = self.cleaned_data
        return {"experiment": data["experiment"], "decision": data["decision"],
                "rationale": data["rationale"]}  # fmt: skip

    def decision_text(self) -> str:
        data = self.cleaned_data
        exp = self._open[data["experiment"]]
        return f"{Decision(data['decision']).label}: {_words(exp)} — {data['rationale']}"


@decision_kind(
    "experiment.conclude",
    label="Conclude an experiment (ship, don't ship, iterate, inconclusive)",
    form=MeetingConcludeForm,
    readable=readable_conclusions,
    neutral_text=neutral_conclusions,
)
def conclude_experiment(*, actor, decision, payload: dict) -> None:
    """payload {"experiment": id, "decision": "ship"|"dont_ship"|"iterate"|"inconclusive",
    "rationale": "…"}."""
    pk = _payload_experiment(decision)
    if pk is None:
        raise ValidationError({"payload.experiment": "Give the experiment id as a number."})
    exp = Experiment.objects.filter(
        pk=pk, working_group_id=decision.meeting.working_group_id
    ).first()
    if exp is None:
        raise ValidationError({"payload.experiment": f"No experiment {pk} in this working group."})
    verdict = payload.get("decision")
    if not isinstance(verdict, str) or verdict not in Decision.values:
        raise ValidationError({"payload.decision": f"Choose one of: {', '.join(Decision.values)}."})
    rationale = payload.get("rationale", "")
    if not isinstance(rationale, str):
        raise ValidationError({"payload.rationale": "Give this as text."})
    try:
        services.experiment_transition(
            actor=actor, experiment=exp, action="conclude", decision=verdict, rationale=rationale
        )
    except ValidationError as exc:
        raise payload_errors(exc) from None
