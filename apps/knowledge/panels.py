"""The knowledge base's dashboard panel: concluded experiments still waiting for their
learning, shown to their owners. Two queries whatever the number of experiments."""

from django.db.models import Exists, OuterRef

from apps.core.dashboard import dashboard_panel
from apps.experiments.models import Experiment, Status

from .models import LearningLink

ROWS = 6


def awaiting_learning(user):
    """The person's concluded experiments that no learning rests on yet, newest first."""
    written = LearningLink.objects.filter(experiment=OuterRef("pk"))
    return (
        Experiment.objects.visible_to(user)
        .filter(owner=user, status=Status.CONCLUDED)
        .filter(~Exists(written))
        .order_by("-concluded_at", "-pk")
    )


@dashboard_panel("Learnings to write", template="knowledge/learning_panel.html", order=24)
def learnings_to_write(user) -> dict | None:
    if not user.is_authenticated:
        return None
    rows = list(
        awaiting_learning(user).only("pk", "title", "key", "decision", "concluded_at")[: ROWS + 1]
    )
    if not rows:
        return None
    return {"rows": rows[:ROWS], "more": len(rows) > ROWS}
