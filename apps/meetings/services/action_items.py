"""Action items: creating one with its owner and due date, and moving it along."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import policy
from apps.accounts.models import User, WorkingGroup
from apps.accounts.policy import Action
from apps.core.dates import check_date
from apps.core.text_rules import check_text
from apps.meetings.models import ActionItem, Meeting
from apps.meetings.subjects import check_subject, subject_fields

from ._rules import check_member, member_roles, refuse_unknown

NO_OWNER = "An action item needs an owner who is accountable."


@transaction.atomic
def action_item_create(
    *,
    actor: User,
    group: WorkingGroup,
    title: str,
    owner: User | None,
    due_on: date | None,
    description: str = "",
    assignee: User | None = None,
    meeting: Meeting | None = None,
    subject=None,
) -> ActionItem:
    policy.require(actor, group, Action.CREATE)
    if owner is None:
        raise ValidationError({"owner": NO_OWNER})
    if due_on is None:
        raise ValidationError({"due_on": "An action item needs a due date."})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The due date is in the past; choose today or later."})
    check_date(due_on, field="due_on")
    roles = member_roles(group)
    check_member(group, owner, "owner", roles)
    check_member(group, assignee, "assignee", roles)
    if meeting is not None and meeting.working_group_id != group.pk:
        raise ValidationError({"meeting": "That meeting belongs to another working group."})
    check_subject(subject, group)
    return ActionItem.objects.create(
        working_group=group,
        title=check_text("title", title, max_length=200),
        description=description.strip(),
        owner=owner,
        assignee=assignee,
        due_on=due_on,
        meeting=meeting,
        created_by=actor,
        **subject_fields(subject),
    )


def _editor_check(actor: User, item: ActionItem) -> tuple[Action, int | None]:
    """What the policy is asked before someone changes an item: the assignee does the work,
    so they may move it along too; anyone else needs to be allowed to edit the owner's items."""
    if item.assignee_id == actor.pk:
        return Action.CREATE, None
    return Action.EDIT, item.owner_id


def _require_item_editor(actor: User, item: ActionItem) -> None:
    action, owner_id = _editor_check(actor, item)
    policy.require(actor, item.working_group_id, action, owner_id=owner_id)


def action_items_updatable_by(actor: User, items) -> set[int]:
    """The ids among `items` that `actor` may change (status, blocked reason): pages offer
    those controls only there. One policy question per distinct (action, owner), so a list
    of many items by few owners costs a few queries, not one per row."""
    answers: dict[tuple[int, Action, int | None], bool] = {}
    allowed = set()
    for item in items:
        action, owner_id = _editor_check(actor, item)
        key = (item.working_group_id, action, owner_id)
        if key not in answers:
            answers[key] = policy.allows(actor, item.working_group_id, action, owner_id=owner_id)
        if answers[key]:
            allowed.add(item.pk)
    return allowed


@transaction.atomic
def action_item_update(*, actor: User, item: ActionItem, **changes) -> ActionItem:
    _require_item_editor(actor, item)
    refuse_unknown(
        changes, {"title", "description", "owner", "assignee", "due_on", "status", "blocked_reason"}
    )
    group = item.working_group
    roles = member_roles(group)
    if "owner" in changes:
        if changes["owner"] is None:
            raise ValidationError({"owner": NO_OWNER})
        check_member(group, changes["owner"], "owner", roles)
    if "assignee" in changes:
        check_member(group, changes["assignee"], "assignee", roles)
    if "title" in changes:
        changes["title"] = check_text("title", changes["title"], max_length=200)
    new_due = changes.get("due_on", item.due_on)
    if new_due != item.due_on and (new_due is None or new_due < timezone.localdate()):
        raise ValidationError({"due_on": "The new due date is in the past."})
    check_date(new_due, field="due_on")
    status = changes.get("status", item.status)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(ActionItem.Status.values)}."})
    reason = (changes.get("blocked_reason", item.blocked_reason) or "").strip()
    if status == ActionItem.Status.BLOCKED and not reason:
        raise ValidationError({"blocked_reason": "Say what blocks it."})
    if status != ActionItem.Status.BLOCKED and "status" in changes:
        reason = ""
    changes["blocked_reason"] = reason
    if "status" in changes:
        changes["done_at"] = timezone.now() if status == ActionItem.Status.DONE else None
    for field, value in changes.items():
        setattr(item, field, value)
    item.save(update_fields=[*changes, "updated_at"])
    return item
