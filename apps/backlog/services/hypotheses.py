"""Proposing, editing and withdrawing hypotheses."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts import policy
from apps.accounts.models import BusinessUnit, Membership, Role, User, WorkingGroup
from apps.accounts.policy import Action
from apps.backlog.models import (
    EDITABLE_FIELDS,
    Hypothesis,
    StatusChange,
    Tag,
    expected_effect_problem,
    search_document,
)
from apps.backlog.models import Status as S
from apps.core.text_rules import check_text


def _index_for_search(hypothesis: Hypothesis) -> None:
    """Refresh the stored full-text document (PostgreSQL; SQLite searches with icontains)."""
    rows = Hypothesis.objects.filter(pk=hypothesis.pk)
    if connections[rows.db].vendor == "postgresql":
        rows.update(search_document=search_document())


_REQUIRED_TEXT = {
    "title": "A hypothesis needs a short title.",
    "change": "Say what we would change (“If we…”).",
    "metric": "Name the metric we expect to move.",
    "rationale": "Say why we believe it (“…because…”).",
}
MAX_TAGS = 10


def _check_text(changes: Mapping) -> None:
    for field, message in _REQUIRED_TEXT.items():
        if field in changes:
            check_text(field, changes[field], required=message)


def _check_effect(effect: float | None, direction: str) -> None:
    problem = expected_effect_problem(effect, direction)
    if problem:
        raise ValidationError({"expected_effect": problem})


def _check_owner(group: WorkingGroup, owner: User) -> None:
    role = (
        Membership.objects.filter(working_group=group, user=owner)
        .values_list("role", flat=True)
        .first()
    )
    if role is None or role == Role.STAKEHOLDER:
        raise ValidationError(
            {
                "owner": f"{owner.username} cannot own it: the owner must be a member of "
                f"{group.name} who may edit items (not a stakeholder)."
            }
        )


def _tags_for(group: WorkingGroup, names: Iterable[str]) -> list[Tag]:
    names = [n.strip() for n in names if n and n.strip()]
    if len(names) > MAX_TAGS:
        raise ValidationError({"tags": f"At most {MAX_TAGS} tags per hypothesis."})
    tags, seen = [], set()
    for name in names:
        slug = slugify(name)[:40]
        if not slug:
            raise ValidationError({"tags": f"Tag {name!r} needs at least one letter or digit."})
        if slug in seen:
            continue
        seen.add(slug)
        tag, _ = Tag.objects.get_or_create(
            working_group=group, slug=slug, defaults={"name": name[:40]}
        )
        tags.append(tag)
    return tags


@transaction.atomic
def hypothesis_propose(
    *,
    actor: User,
    group: WorkingGroup,
    title: str,
    change: str,
    metric: str,
    rationale: str,
    direction: str = "increase",
    expected_effect: float | None = None,
    evidence: str = "",
    category: str = "product",
    business_unit: BusinessUnit | None = None,
    owner: User | None = None,
    tags: Iterable[str] = (),
    effort_weeks: float | None = None,
) -> Hypothesis:
    """Save a new hypothesis as `proposed`; the proposer owns it unless they name an owner."""
    policy.require(actor, group, Action.CREATE)
    fields = dict(
        title=title.strip(),
        change=change.strip(),
        metric=metric.strip(),
        rationale=rationale.strip(),
        direction=direction,
        expected_effect=expected_effect,
        evidence=evidence.strip(),
        category=category,
        business_unit=business_unit,
        effort_weeks=effort_weeks,
    )
    _check_text(fields)
    _check_effect(expected_effect, direction)
    owner = owner or actor
    if owner.pk != actor.pk:
        _check_owner(group, owner)
    now = timezone.now()
    hypothesis = Hypothesis(
        working_group=group,
        proposer=actor,
        owner=owner,
        status=S.PROPOSED,
        status_changed_at=now,
        **fields,
    )
    hypothesis.full_clean(exclude=["working_group", "proposer", "owner", "business_unit"])
    hypothesis.save()
    hypothesis.tags.set(_tags_for(group, tags))
    _index_for_search(hypothesis)
    StatusChange.objects.create(
        hypothesis=hypothesis, from_status="", to_status=S.PROPOSED, actor=actor, at=now
    )
    return hypothesis


@transaction.atomic
def hypothesis_update(*, actor: User, hypothesis: Hypothesis, **changes) -> Hypothesis:
    """The owner, their delegate or the program manager edits the statement and its facts."""
    group = hypothesis.working_group
    policy.require(actor, group, Action.EDIT, owner_id=hypothesis.owner_id)
    unknown = set(changes) - {*EDITABLE_FIELDS, "tags"}
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field: "This field cannot be changed here."})
    _check_text(changes)
    _check_effect(
        changes.get("expected_effect", hypothesis.expected_effect),
        changes.get("direction", hypothesis.direction),
    )
    tags = changes.pop("tags", None)
    owner = changes.pop("owner", None)
    if owner is not None and owner.pk != hypothesis.owner_id:
        _check_owner(group, owner)
        hypothesis.owner = owner
        changes["owner"] = owner
    for field, value in changes.items():
        setattr(hypothesis, field, value.strip() if isinstance(value, str) else value)
    hypothesis.full_clean(exclude=["working_group", "proposer", "owner", "business_unit"])
    hypothesis.save(update_fields=[*changes, "updated_at"])
    if tags is not None:
        hypothesis.tags.set(_tags_for(group, tags))
    _index_for_search(hypothesis)
    return hypothesis


@transaction.atomic
def hypothesis_delete(*, actor: User, hypothesis: Hypothesis) -> None:
    """Withdraw a proposal nobody acted on; later it is rejected or parked, never deleted."""
    policy.require(actor, hypothesis.working_group, Action.EDIT, owner_id=hypothesis.owner_id)
    if hypothesis.status != S.PROPOSED:
        raise ValidationError(
            {
                "status": f"Only a proposed hypothesis can be deleted; this one is "
                f"{hypothesis.get_status_display().lower()}. Reject or park it instead."
            }
        )
    hypothesis.delete()
