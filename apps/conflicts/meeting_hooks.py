"""How conflicts plug into working-group meetings (found by the meetings app).

Agenda source "conflicts.new": conflicts opened since the previous meeting and not yet
acknowledged, blocking ones first; one query whatever the number of conflicts. An item
about a conflict with a confidential plan's experiment is titled neutrally for the whole
group (the agenda is read by every member, stakeholders included) and the subject rule
below keeps its details from those who may not read both experiments.
"""

from django.urls import reverse

from apps.meetings.hooks import AgendaCandidate, AgendaContext, agenda_source, decision_subject

from .models import SEVERITY_RANK, Conflict, ConflictStatus

MAX_ITEMS = 8
NEUTRAL = "A conflict with an experiment of a confidential plan"


def _confidential(c: Conflict) -> bool:
    return any(
        e is not None and e.milestone is not None and e.milestone.plan.confidential
        for e in (c.experiment_a, c.experiment_b)
    )


def _title(c: Conflict) -> str:
    if _confidential(c):
        return NEUTRAL
    pair = f"{c.experiment_a.title} and {c.experiment_b.title}" if c.experiment_b else \
        c.experiment_a.title  # fmt: skip
    return f"{c.get_severity_display()} conflict: {pair} ({c.get_kind_display().lower()})"


@agenda_source("conflicts.new", order=24, heading="New conflicts between experiments")
def new_conflicts(ctx: AgendaContext):
    qs = Conflict.objects.filter(working_group=ctx.group, status=ConflictStatus.OPEN)
    if ctx.since:
        qs = qs.filter(opened_at__gte=ctx.since)
    rows = list(
        qs.select_related(
            "experiment_a__milestone__plan", "experiment_b__milestone__plan"
        ).order_by("-opened_at", "-pk")[: MAX_ITEMS * 3]
    )
    rows.sort(key=lambda c: (SEVERITY_RANK.get(c.severity, 9), -c.pk))
    for c in rows[:MAX_ITEMS]:
        hidden = _confidential(c)
        yield AgendaCandidate(
            key=f"conflict:{c.pk}:new",
            title=_title(c)[:240],
            minutes=5 if c.severity != "blocking" else 10,
            presenter_id=c.experiment_b.owner_id if c.experiment_b else c.experiment_a.owner_id,
            url=reverse("conflicts:detail", args=[c.pk]),
            detail="" if hidden else f"{c.explanation} What to do: {c.remedy}"[:2000],
            subject=c,
        )


def readable_conflicts(items, user) -> set[int]:
    visible = set(
        Conflict.objects.visible_to(user).filter(pk__in=[i.subject_id for i in items if i.subject_id])
        .values_list("pk", flat=True)
    )  # fmt: skip
    return {i.pk for i in items if i.subject_id in visible}


def neutral_conflicts(items) -> dict[int, str]:
    return {i.pk: NEUTRAL for i in items}


decision_subject(
    Conflict,
    readable=readable_conflicts,
    neutral_text=neutral_conflicts,
    neutral_title=neutral_conflicts,
)
