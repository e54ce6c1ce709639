"""Writing learnings: draft, edit, link to experiments, submit, publish.

Who may do what, in the role policy's terms:
- drafting one is CREATE (members, the statistics lead, the program manager);
- editing, linking and submitting one is EDIT on it, the author being its owner (so the
  author, their delegate or the program manager);
- publishing it, sending it back, or reopening a published one is the reviewers' call:
  REVIEW (the statistics lead, who judges whether the results say what the learning
  claims) or MANAGE (the program manager, who owns the program's record).
A published learning is frozen; a reviewer reopens it (back to draft, with a reason) for a
change. Every link names an experiment of the learning's group that the actor may read.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action
from apps.core.text_rules import check_text
from apps.experiments.models import Experiment
from apps.knowledge.models import Learning, LearningLink, LearningStatus, LinkRole

TEXT_FIELDS = {
    # field -> (max length, message when blank or None when it may be blank)
    "title": (200, "A learning needs a title: the lesson in one line."),
    "changed": (10_000, "Say what changed."),
    "happened": (10_000, "Say what happened: the results, in words and figures."),
    "why": (10_000, None),
    "next_steps": (10_000, None),
}
EDITABLE = frozenset(TEXT_FIELDS) | {"tags"}
MAX_TAGS = 20
# action -> (from statuses, to status)
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((LearningStatus.DRAFT,), LearningStatus.IN_REVIEW),
    "publish": ((LearningStatus.IN_REVIEW,), LearningStatus.PUBLISHED),
    "request_changes": ((LearningStatus.IN_REVIEW,), LearningStatus.DRAFT),
    "reopen": ((LearningStatus.PUBLISHED,), LearningStatus.DRAFT),
}
REVIEW_STEPS = frozenset({"publish", "request_changes", "reopen"})
REASON_REQUIRED = frozenset({"request_changes", "reopen"})
REVIEW_REFUSAL = "Only the program manager or the statistics lead publishes learnings."


def may_review(user: User, group_id: int) -> bool:
    """The statistics lead (REVIEW) or the program manager (MANAGE) of the group."""
    return policy.allows(user, group_id, Action.REVIEW) or policy.allows(
        user, group_id, Action.MANAGE
    )


def may_edit(user: User, learning: Learning) -> bool:
    return policy.allows(user, learning.working_group_id, Action.EDIT, owner_id=learning.author_id)


def allowed_steps(learning: Learning, user: User) -> list[str]:
    """The steps `user` may take on `learning` now: what the page offers as buttons."""
    out = []
    for name, (sources, _) in STEPS.items():
        if learning.status not in sources:
            continue
        if name in REVIEW_STEPS:
            if may_review(user, learning.working_group_id):
                out.append(name)
        elif may_edit(user, learning):
            out.append(name)
    return out


def check_tags(tags: object) -> list[str]:
    """Tags as short lower-case labels, each once, in the order given."""
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = [t for t in tags.replace(";", ",").split(",")]
    if not isinstance(tags, list | tuple):
        raise ValidationError({"tags": "A list of short labels."})
    out: list[str] = []
    for tag in tags:
        label = str(tag).strip().lower()
        if not label:
            continue
        if len(label) > 40:
            raise ValidationError({"tags": f"Each tag at most 40 characters: {label[:40]}…"})
        if label not in out:
            out.append(label)
    if len(out) > MAX_TAGS:
        raise ValidationError({"tags": f"At most {MAX_TAGS} tags."})
    return out


def _clean(fields: dict) -> dict:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Not a field of a learning."})
    out: dict[str, object] = {}
    for name, value in fields.items():
        if name == "tags":
            out[name] = check_tags(value)
        else:
            max_length, required = TEXT_FIELDS[name]
            out[name] = check_text(name, value, max_length=max_length, required=required)
    return out


def _check_experiment(actor: User, group_id: int, experiment: Experiment, field: str) -> None:
    # Unreadable and foreign experiments get one answer: no such experiment for you.
    readable = Experiment.objects.visible_to(actor).filter(
        pk=experiment.pk, working_group_id=group_id
    )
    if not readable.exists():
        raise ValidationError({field: "No experiment of this working group with that id."})


def _check_role(role: str, field: str = "role") -> str:
    if role not in LinkRole.values:
        raise ValidationError({field: f"One of: {', '.join(LinkRole.values)}."})
    return role


@transaction.atomic
def learning_create(
    *,
    actor: User,
    group: WorkingGroup,
    title: str,
    changed: str,
    happened: str,
    why: str = "",
    next_steps: str = "",
    tags: Iterable[str] = (),
    experiments: Sequence[tuple[Experiment, str]] = (),
) -> Learning:
    """Draft a learning; `experiments` are (experiment, "supports" | "contradicts") pairs."""
    policy.require(actor, group, Action.CREATE)
    fields = _clean({"title": title, "changed": changed, "happened": happened, "why": why,
                     "next_steps": next_steps, "tags": list(tags)})  # fmt: skip
    for i, (experiment, role) in enumerate(experiments):
        _check_experiment(actor, group.pk, experiment, f"experiments[{i}].experiment")
        _check_role(role, f"experiments[{i}].role")
    learning = Learning.objects.create(working_group=group, author=actor, **fields)
    seen: set[int] = set()
    for experiment, role in experiments:
        if experiment.pk not in seen:
            seen.add(experiment.pk)
            LearningLink.objects.create(
                learning=learning, experiment=experiment, role=role, added_by=actor
            )
    return learning


def _locked(learning: Learning) -> Learning:
    # Two people acting at once (an edit and a publish) must not both pass the status check.
    return Learning.objects.select_for_update().get(pk=learning.pk)


def _require_edit(actor: User, learning: Learning) -> None:
    policy.require(actor, learning.working_group_id, Action.READ)
    if not may_edit(actor, learning):
        raise PermissionDenied(policy.refusal(Action.EDIT))
    if not learning.is_editable:
        raise ValidationError(
            {"status": "A published learning is frozen; the program manager or the "
             "statistics lead reopens it for a change."}
        )  # fmt: skip


@transaction.atomic
def learning_update(*, actor: User, learning: Learning, **fields) -> Learning:
    """Change a draft's or an in-review learning's text or tags."""
    row = _locked(learning)
    _require_edit(actor, row)
    cleaned = _clean(fields)
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.save(update_fields=[*cleaned, "updated_at"])
    learning.__dict__.update(row.__dict__)
    return row


@transaction.atomic
def learning_delete(*, actor: User, learning: Learning) -> None:
    """Delete a learning not yet published (a published one is the program's record)."""
    row = _locked(learning)
    _require_edit(actor, row)
    row.delete()


@transaction.atomic
def learning_link(
    *, actor: User, learning: Learning, experiment: Experiment, role: str = LinkRole.SUPPORTS
) -> LearningLink:
    """Rest the learning on an experiment (or change the link's role)."""
    row = _locked(learning)
    _require_edit(actor, row)
    _check_role(role)
    _check_experiment(actor, row.working_group_id, experiment, "experiment")
    link, _ = LearningLink.objects.update_or_create(
        learning=row, experiment=experiment, defaults={"role": role, "added_by": actor}
    )
    Learning.objects.filter(pk=row.pk).update(updated_at=timezone.now())
    return link


@transaction.atomic
def learning_unlink(*, actor: User, learning: Learning, experiment: Experiment) -> None:
    row = _locked(learning)
    _require_edit(actor, row)
    deleted, _ = LearningLink.objects.filter(learning=row, experiment=experiment).delete()
    if not deleted:
        raise ValidationError({"experiment": "This learning does not rest on that experiment."})
    Learning.objects.filter(pk=row.pk).update(updated_at=timezone.now())


@transaction.atomic
def learning_transition(
    *, actor: User, learning: Learning, action: str, reason: str = ""
) -> Learning:
    """Submit, publish, send back or reopen; a refused step changes nothing."""
    row = _locked(learning)
    policy.require(actor, row.working_group_id, Action.READ)
    if action not in STEPS:
        raise ValidationError({"action": f"Unknown step {action!r}; one of {', '.join(STEPS)}."})
    sources, to_status = STEPS[action]
    if row.status not in sources:
        allowed = ", ".join(allowed_steps(row, actor)) or "none"
        raise ValidationError(
            {"action": f"A learning {row.get_status_display().lower()} cannot "
             f"{action.replace('_', ' ')}; you may: {allowed}."}
        )  # fmt: skip
    if action in REVIEW_STEPS:
        if not may_review(actor, row.working_group_id):
            raise PermissionDenied(REVIEW_REFUSAL)
    elif not may_edit(actor, row):
        raise PermissionDenied(policy.refusal(Action.EDIT))
    reason = check_text("reason", reason, max_length=4000,
                        required="Say why." if action in REASON_REQUIRED else None)  # fmt: skip
    now = timezone.now()
    update = ["status", "updated_at"]
    if action == "submit":
        row.submitted_at = now
        update.append("submitted_at")
    elif action == "publish":
        row.published_by, row.published_at, row.review_note = actor, now, ""
        update += ["published_by", "published_at", "review_note"]
    else:
        row.review_note = reason
        update.append("review_note")
    row.status = to_status
    row.save(update_fields=update)
    learning.__dict__.update(row.__dict__)
    return row
