"""How a group's ranking is made: whether proposers' self-scores count, and pins."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action
from apps.backlog.models import OPEN_STATUSES, BacklogSettings, Hypothesis, Pin
from apps.core.text_rules import check_text

PIN_REASON_MAX = 300


@transaction.atomic
def ranking_settings_update(
    *, actor: User, group: WorkingGroup, proposer_scores_count: bool
) -> BacklogSettings:
    """The program manager decides whether a proposer's score of their own idea counts.

    Summaries keep both aggregates (with and without the proposer), so the ranking changes
    at once and switching back loses nothing.
    """
    policy.require(actor, group, Action.MANAGE)
    settings = BacklogSettings.objects.select_for_update().get(working_group=group)
    settings.proposer_scores_count = bool(proposer_scores_count)
    settings.save(update_fields=["proposer_scores_count"])
    return settings


@transaction.atomic
def hypothesis_pin(*, actor: User, hypothesis: Hypothesis, reason: str) -> Pin:
    """Pin a hypothesis to the top of its group's ranking, saying why; re-pinning replaces
    the reason and records who and when anew."""
    policy.require(actor, hypothesis.working_group_id, Action.MANAGE)
    reason = check_text(
        "reason",
        reason,
        max_length=PIN_REASON_MAX,
        required="Say why it is pinned: the ranking shows the reason to everyone.",
    )
    if hypothesis.status not in OPEN_STATUSES:
        raise ValidationError(
            {
                "status": f"A {hypothesis.get_status_display().lower()} hypothesis is not "
                "ranked; pin an open one (proposed, accepted or in delivery)."
            }
        )
    pin, _ = Pin.objects.update_or_create(
        hypothesis=hypothesis,
        defaults={"reason": reason, "pinned_by": actor, "pinned_at": timezone.now()},
    )
    return pin


@transaction.atomic
def hypothesis_unpin(*, actor: User, hypothesis: Hypothesis) -> None:
    """Return a pinned hypothesis to its place by score; unpinning an unpinned one is a no-op."""
    policy.require(actor, hypothesis.working_group_id, Action.MANAGE)
    Pin.objects.filter(hypothesis=hypothesis).delete()
