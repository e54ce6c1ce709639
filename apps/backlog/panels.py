"""The backlog's dashboard panel: proposals waiting for the person's score, so ranking does
not stall on people who have not seen them."""

from django.db.models import Exists, OuterRef

from apps.accounts import policy
from apps.accounts.policy import Action
from apps.core.dashboard import dashboard_panel

from . import selectors
from .models import Hypothesis, Score, Status

ROWS = 6


@dashboard_panel("Waiting for your score", template="backlog/panels/awaiting_score.html", order=25)
def awaiting_my_score(user) -> dict | None:
    """Proposed hypotheses in the person's groups that they have not scored on the
    group's current framework, oldest first. Stakeholders do not score: no panel."""
    frameworks = selectors.current_frameworks(user)
    groups = [g for g in frameworks if policy.allows(user, g, Action.CREATE)]
    if not groups:
        return None
    scored = Score.objects.filter(
        hypothesis=OuterRef("pk"), scorer=user, framework_id__in=list(frameworks.values())
    )
    waiting = (
        Hypothesis.objects.filter(working_group_id__in=groups, status=Status.PROPOSED)
        .exclude(Exists(scored))
        .select_related("working_group", "proposer")
        .order_by("created_at", "pk")
    )
    rows = list(waiting[: ROWS + 1])
    if not rows:
        return None
    return {"hypotheses": rows[:ROWS], "more": len(rows) > ROWS}
