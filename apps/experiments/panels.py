"""The experiments' dashboard panels: "My experiments" and "Needs attention". Each reads only
the experiments the person may see, in a constant number of queries."""

from django.db.models import Q
from django.utils import timezone

from apps.core.dashboard import dashboard_panel

from . import selectors
from .models import Experiment, Snapshot, Status
from .services.alerts import problems

ROWS = 6
OPEN = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.RUNNING, Status.STOPPED)


def current_snapshots(experiments) -> dict[int, Snapshot]:
    """Each experiment's current snapshot (of its current run), in one query."""
    runs = {e.pk: e.run for e in experiments}
    latest: dict[int, Snapshot] = {}
    for s in (
        Snapshot.objects.current()
        .filter(experiment__in=list(runs))
        .only("experiment_id", "run", "analysis", "taken_at")
    ):
        if s.run == runs[s.experiment_id] and s.experiment_id not in latest:
            latest[s.experiment_id] = s
    return latest


def headline(snapshot: Snapshot | None) -> str:
    """The primary metric's result in one line: "Purchase +8.1 % (+3.2 % to +13.0 %)"."""
    found = selectors.headline(snapshot.analysis.get("metrics") if snapshot else None)
    if found is None:
        return ""
    text = f"{found['metric']} {found['lift'] * 100:+.1f} %"
    if found["ci_low"] is not None and found["ci_high"] is not None:
        text += f" ({found['ci_low'] * 100:+.1f} % to {found['ci_high'] * 100:+.1f} %)"
    return text


@dashboard_panel("My experiments", template="experiments/panels/mine.html", order=22)
def my_experiments(user) -> dict | None:
    mine = list(
        Experiment.objects.visible_to(user).filter(owner=user, status__in=OPEN)
        .order_by("-updated_at", "-pk")[:ROWS]
    )  # fmt: skip
    if not mine:
        return None
    current = current_snapshots(mine)
    return {"rows": [{"experiment": e, "headline": headline(current.get(e.pk))} for e in mine]}


@dashboard_panel("Experiments that need attention", template="experiments/panels/attention.html",
                 order=21)  # fmt: skip
def needs_attention(user) -> dict | None:
    """Breaches, SRM and A/A red flags on current results; designs waiting for review (for
    the statistics lead); experiments past their planned end without a decision."""
    today = timezone.localdate()
    candidates = list(
        Experiment.objects.visible_to(user)
        .filter(Q(status=Status.RUNNING) | Q(status=Status.STOPPED) | Q(status=Status.IN_REVIEW))
        .select_related("working_group")
        .order_by("planned_end", "pk")[:200]
    )
    current = current_snapshots([e for e in candidates if e.status == Status.RUNNING])
    rows = []
    for exp in candidates:
        found = list(problems(current[exp.pk].analysis).values()) if exp.pk in current else []
        if exp.status == Status.IN_REVIEW:
            found.append("Design waiting for the statistics lead's review.")
        elif exp.status == Status.STOPPED or (exp.planned_end and exp.planned_end < today):
            found.append("Past its planned end: awaiting a decision.")
        if found:
            rows.append({"experiment": exp, "problems": found})
    if not rows:
        return None
    return {"rows": rows[:ROWS], "more": max(len(rows) - ROWS, 0)}
