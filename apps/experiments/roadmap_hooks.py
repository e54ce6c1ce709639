"""Experiments as evidence at research-plan decision points (found by the roadmap app): each
milestone lists the experiments linked to it that the person may read, with their status and
the primary metric's headline result."""

from django.urls import reverse

from apps.roadmap.hooks import Evidence, milestone_evidence

from .models import Experiment
from .panels import current_snapshots, headline


@milestone_evidence("experiments")
def experiments_at(milestone_ids: list[int], user) -> dict[int, list[Evidence]]:
    experiments = list(
        Experiment.objects.visible_to(user).filter(milestone_id__in=milestone_ids)
        .order_by("created_at", "pk")
    )  # fmt: skip
    current = current_snapshots(experiments)
    found: dict[int, list[Evidence]] = {}
    for exp in experiments:
        status = exp.get_status_display().lower()
        if exp.decision:
            status = f"{status}: {exp.get_decision_display().lower()}"
        found.setdefault(exp.milestone_id, []).append(
            Evidence(
                title=exp.title,
                url=reverse("experiments:detail", args=[exp.pk]),
                status=status,
                headline=headline(current.get(exp.pk)),
            )
        )
    return found
