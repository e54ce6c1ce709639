"""The experiments' dashboard panels: "My experiments" and "Needs attention". Each reads only
the experiments the person may see, in a constant number of queries."""

from django.db.models import Q
from django.utils import timezone

from apps.core.dashboard import dashboard_panel

from .models import Experiment, Snapshot, Status
from .services.alerts import problems

ROWS = 6
OPEN = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.RUNNING, Status.STOPPED)


def _current(experiments) -> dict[int, Snapshot]:
    """Each experiment's current snapshot (of its current run), in one query."""
    runs = {e.pk: e.run for e in experiments}
    latest: dict[int, Snapshot] = {}
    for s in Snapshot.objects.current().filter(experiment__in=list(runs)).only(
        "experiment_id", "run", "analysis", "taken_at"
    ):
        if s.run == runs[s.experiment_id] and s.experiment_id not in latest:
            latest[s.experiment_id] = s
    return latest


def _headline(snapshot: Snapshot | None) -> str:
    if snapshot is None:
        return ""
    for metric in snapshot.analysis.get("metrics", []):
        if metric.get("role") == "primary" and metric.get("arms"):
            lift = metric["arms"][0].get("relative_lift")
            return "" if lift is None else f"{metric['name']} {lift * 100:+.1f} %"
    return ""


@dashboard_panel("My experiments", template="experiments/panels/mine.html", order=22)
def my_experiments(user) -> dict | None:
    mine = list(
        Experiment.objects.visible_to(user).filter(owner=user, status__in=OPEN)
        .order_by("-updated_at", "-pk")[:ROWS]
    )  # fmt: skip
    if not mine:
        return None
    current = _current(mine)
    return {"rows": [{"experiment": e, "headline": _headline(current.get(e.pk))} for e in mine]}


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
    current = _current([e for e in candidates if e.status == Status.RUNNING])
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
