"""The dashboard panel "Conflicts on my experiments": the unresolved conflicts of the
experiments the person owns, those they may read in full, in a constant number of queries."""

from django.db.models import Q

from apps.core.dashboard import dashboard_panel

from .models import SEVERITY_RANK, Conflict

ROWS = 6


@dashboard_panel("Conflicts on my experiments", template="conflicts/panels/mine.html", order=23)
def my_conflicts(user) -> dict | None:
    rows = list(
        Conflict.objects.visible_to(user).unresolved()
        .filter(Q(experiment_a__owner=user) | Q(experiment_b__owner=user))
        .select_related("experiment_a", "experiment_b")
        .order_by("-opened_at", "-pk")[:50]
    )  # fmt: skip
    if not rows:
        return None
    rows.sort(key=lambda c: (SEVERITY_RANK.get(c.severity, 9), -c.pk))
    return {"rows": rows[:ROWS], "more": max(len(rows) - ROWS, 0)}
