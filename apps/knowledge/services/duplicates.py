"""Recording that a hypothesis looks like a duplicate of a past item."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.accounts import policy
from apps.accounts.policy import Action
from apps.backlog.models import Hypothesis
from apps.knowledge.models.search import DuplicateLink, Kind, SearchItem


def duplicate_link_create(*, actor, hypothesis: Hypothesis, item_id: int) -> DuplicateLink:
    """Mark `hypothesis` as a likely duplicate of index item `item_id`; marking twice keeps
    the first mark. Anyone who may propose in the hypothesis's group may mark it; the item
    must be one they may read."""
    policy.require(actor, hypothesis.working_group_id, Action.CREATE)
    item = SearchItem.objects.visible_to(actor).filter(pk=item_id).first()
    if item is None:
        raise ValidationError({"item": f"No search item {item_id} that you may read."})
    if item.kind == Kind.HYPOTHESIS and item.object_id == hypothesis.pk:
        raise ValidationError({"item": "A hypothesis cannot duplicate itself."})
    existing = DuplicateLink.objects.filter(hypothesis=hypothesis, item=item).first()
    if existing is not None:
        return existing
    try:
        # A double click races two inserts: the unique constraint keeps one, the loser reads it.
        with transaction.atomic():
            return DuplicateLink.objects.create(hypothesis=hypothesis, item=item, created_by=actor)
    except IntegrityError:
        return DuplicateLink.objects.get(hypothesis=hypothesis, item=item)


def duplicate_link_delete(*, actor, link: DuplicateLink) -> None:
    """Withdraw a mark: its author, or whoever may edit the hypothesis."""
    hypothesis = link.hypothesis
    if link.created_by_id != actor.pk:
        policy.require(
            actor, hypothesis.working_group_id, Action.EDIT, owner_id=hypothesis.owner_id
        )
    link.delete()
