"""Members' scores of a hypothesis, and the per-framework summary the ranking reads."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User
from apps.accounts.policy import Action
from apps.backlog import scoring, selectors
from apps.backlog.models import (
    SCOREABLE_STATUSES,
    Hypothesis,
    Score,
    ScoreRevision,
    ScoreSummary,
    ScoringFramework,
)


def _refresh_summary(hypothesis: Hypothesis, framework: ScoringFramework) -> ScoreSummary:
    rows = list(
        Score.objects.filter(hypothesis=hypothesis, framework=framework).values_list(
            "total", "normalised", "impact", "effort", "scorer_id"
        )
    )
    agg = scoring.aggregate([row[:4] for row in rows])
    # Kept beside the full aggregate, so a group can switch self-scores off and on
    # without a recount.
    peers = [row[0] for row in rows if row[4] != hypothesis.proposer_id]
    summary, _ = ScoreSummary.objects.update_or_create(
        hypothesis=hypothesis,
        framework=framework,
        defaults=dict(
            scorer_count=agg.scorer_count,
            mean=agg.mean,
            peer_count=len(peers),
            peer_mean=sum(peers) / len(peers) if peers else None,
            median=agg.median,
            spread=agg.spread,
            discuss=agg.discuss,
            impact=agg.impact,
            effort=agg.effort,
        ),
    )
    return summary


@transaction.atomic
def score_submit(
    *, actor: User, hypothesis: Hypothesis, values: Mapping, comment: str = ""
) -> tuple[Score, bool]:
    """Score a hypothesis on the group's current framework, or update one's earlier score.

    Returns the score and whether it is new. Every save adds a revision, so the history of
    a member's score is kept, and refreshes the hypothesis's summary in the same transaction.
    """
    group_id = hypothesis.working_group_id
    policy.require(actor, group_id, Action.CREATE)
    # Lock the hypothesis: members scoring it at once queue here, and each recomputes the
    # summary after the previous one committed, so every score counts in the aggregate.
    locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    if locked.status not in SCOREABLE_STATUSES:
        raise ValidationError(
            {
                "status": f"A {locked.status} hypothesis is no longer scored; members score "
                f"{', '.join(SCOREABLE_STATUSES)} ones."
            }
        )
    framework = selectors.backlog_settings(locked.working_group_id).framework
    criteria = list(framework.criteria.all())
    try:
        computed = scoring.compute(framework.rule, criteria, values)
    except scoring.ScoreError as exc:
        raise ValidationError(exc.errors) from exc
    clean = computed.values
    comment = comment.strip()
    score, created = Score.objects.update_or_create(
        hypothesis=locked,
        framework=framework,
        scorer=actor,
        defaults=dict(
            values=clean,
            total=computed.total,
            normalised=computed.normalised,
            impact=computed.impact,
            effort=computed.effort,
            comment=comment,
        ),
    )
    ScoreRevision.objects.create(
        score=score, values=clean, total=computed.total, comment=comment, recorded_at=timezone.now()
    )
    _refresh_summary(locked, framework)
    return score, created
