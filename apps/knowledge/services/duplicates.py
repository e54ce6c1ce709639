"""Recording that a hypothesis looks like a duplicate of a past item."""

from collections.abc import Iterable

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


# The propose form's panel shows five items; a proposal may mark each of them.
MAX_MARKS_ON_PROPOSAL = 5


def duplicate_links_from_proposal(
    *, actor, hypothesis: Hypothesis, item_ids: Iterable[str]
) -> list[DuplicateLink]:
    """The marks ticked on the propose form, recorded with the hypothesis they came with.

    Called inside the proposal's transaction: a bad mark refuses the proposal as a whole,
    naming the form's field, and nothing is saved.
    """
    ids: list[int] = []
    for raw in item_ids:
        text = str(raw).strip()
        if not text.isdigit():
            raise ValidationError({"duplicate_of": f"{text[:40]!r} is not an item number."})
        ids.append(int(text))
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_MARKS_ON_PROPOSAL:
        raise ValidationError(
            {"duplicate_of": f"Mark at most {MAX_MARKS_ON_PROPOSAL} items as duplicated."}
        )
    links = []
    for item_id in ids:
        try:
            links.append(duplicate_link_create(actor=actor, hypothesis=hypothesis, item_id=item_id))
        except ValidationError as error:
            raise ValidationError({"duplicate_of": error.message_dict["item"]}) from error
    return links
