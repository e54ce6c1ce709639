"""The one role policy: what each role may do in a working group.

Every API permission class, page mixin and service asks `allows` / `require`; no view
decides on its own. Stakeholders read; members (and the statistics lead) create and edit
their own items, or items of someone who named them delegate; the program manager runs the
group and edits anything in it; admins also configure (group settings, business units,
granting the admin role). The statistics lead also reviews experiment designs. Superusers
may do everything.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied

from .models import Membership, Role, WorkingGroup


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    EDIT = "edit"  # change an existing item: allowed on own items, or on any for managers
    MANAGE = "manage"  # run the group: memberships, agenda, framework, decisions
    REVIEW = "review"  # approve an experiment's design: the statistics lead's call
    CONFIGURE = "configure"


_ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.STAKEHOLDER: frozenset({Action.READ}),
    Role.MEMBER: frozenset({Action.READ, Action.CREATE, Action.EDIT}),
    Role.STATISTICS_LEAD: frozenset({Action.READ, Action.CREATE, Action.EDIT, Action.REVIEW}),
    Role.PROGRAM_MANAGER: frozenset({Action.READ, Action.CREATE, Action.EDIT, Action.MANAGE}),
    Role.ADMIN: frozenset(Action),
}
# Roles that may edit items other people own.
_EDIT_ANY_ROLES = frozenset({Role.PROGRAM_MANAGER, Role.ADMIN})

_MESSAGES = {
    Action.READ: "You are not a member of this working group.",
    Action.CREATE: "Your role in this working group is read-only.",
    Action.EDIT: "Only the owner, their delegate or the program manager may change this.",
    Action.MANAGE: "Only the program manager or an admin of this working group may do this.",
    Action.REVIEW: "Only the group's statistics lead (or an admin) reviews experiment designs.",
    Action.CONFIGURE: "Only an admin may change this configuration.",
}


@dataclass(frozen=True)
class PolicyTarget:
    """What a permission is asked about: the group an item belongs to and who owns it."""

    group: WorkingGroup | int | None
    owner_id: int | None = None


def _group_id(group: WorkingGroup | int) -> int:
    return group if isinstance(group, int) else group.pk


def _memberships(user) -> dict[int, Membership]:
    """The user's memberships by group id, cached on the user object for the request."""
    cached = getattr(user, "_expr_memberships", None)
    if cached is None:
        cached = {m.working_group_id: m for m in Membership.objects.filter(user=user)}
        user._expr_memberships = cached
    return cached


def role_in(user, group: WorkingGroup | int) -> str | None:
    if not user.is_authenticated:
        return None
    membership = _memberships(user).get(_group_id(group))
    return membership.role if membership else None


def _is_delegate_of(user, owner_id: int, group_id: int) -> bool:
    return Membership.objects.filter(
        working_group_id=group_id, user_id=owner_id, delegate_id=user.pk
    ).exists()


def allows(user, group: WorkingGroup | int, action: Action, *, owner_id: int | None = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = role_in(user, group)
    if role is None or action not in _ROLE_ACTIONS[role]:
        return False
    if action is Action.EDIT and owner_id is not None and role not in _EDIT_ANY_ROLES:
        return owner_id == user.pk or _is_delegate_of(user, owner_id, _group_id(group))
    return True


def require(
    user, group: WorkingGroup | int, action: Action, *, owner_id: int | None = None
) -> None:
    if not allows(user, group, action, owner_id=owner_id):
        raise PermissionDenied(_MESSAGES[action])


def allows_global(user, action: Action) -> bool:
    """Actions not tied to one group (business units, creating groups): admins anywhere."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or action is Action.READ:
        return True
    is_admin = any(m.role == Role.ADMIN for m in _memberships(user).values())
    return is_admin and action in _ROLE_ACTIONS[Role.ADMIN]


def require_global(user, action: Action) -> None:
    if not allows_global(user, action):
        raise PermissionDenied(_MESSAGES[action])


def refusal(action: Action) -> str:
    """What a person refused `action` is told: the same words wherever the refusal happens."""
    return _MESSAGES[action]


def forget(user) -> None:
    """Drop the cached memberships after they change within one request."""
    if hasattr(user, "_expr_memberships"):
        del user._expr_memberships
