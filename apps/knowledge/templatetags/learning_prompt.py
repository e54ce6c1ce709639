"""`{% learning_prompt experiment %}`: the "Write the learning" prompt on a concluded
experiment's page, and the learnings that rest on it.

A template tag, so the experiments app's page shows it without importing the knowledge
base (its templates load this library by name). The reader sees only the learnings they
may read, and the prompt only if they may write one.
"""

from django import template

from apps.accounts import policy
from apps.accounts.policy import Action
from apps.experiments.models import Status
from apps.knowledge.models import Learning, LearningStatus

register = template.Library()


@register.inclusion_tag("knowledge/learning_prompt.html", takes_context=True)
def learning_prompt(context, experiment) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or experiment.status != Status.CONCLUDED:
        return {"show": False}
    learnings = [
        {**row, "status_label": LearningStatus(row["status"]).label}
        for row in Learning.objects.visible_to(user)
        .filter(links__experiment=experiment)
        .distinct()
        .order_by("-published_at", "-pk")
        .values("pk", "title", "status")
    ]
    return {
        "show": True,
        "experiment": experiment,
        "learnings": learnings,
        "may_write": policy.allows(user, experiment.working_group_id, Action.CREATE),
    }
