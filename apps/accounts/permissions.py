"""The role policy wired into DRF viewsets and Django class-based views.

A viewset or view says which policy action each operation needs and how to find the
target's group and owner; `policy.allows` decides. Reads are scoped by querysets
(`visible_to`), so an item in a group you are not in is a 404, not a 403.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.contrib.auth.mixins import LoginRequiredMixin
from rest_framework import permissions

from . import policy
from .policy import Action, PolicyTarget

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

_DEFAULT_ACTIONS = {
    "list": Action.READ,
    "retrieve": Action.READ,
    "create": Action.CREATE,
    "update": Action.EDIT,
    "partial_update": Action.EDIT,
    "destroy": Action.EDIT,
}


def action_for(view, request) -> Action:
    overrides = getattr(view, "policy_actions", {})
    name = getattr(view, "action", None)
    if name in overrides:
        return overrides[name]
    if name in _DEFAULT_ACTIONS:
        return _DEFAULT_ACTIONS[name]
    return Action.READ if request.method in permissions.SAFE_METHODS else Action.EDIT


class RolePolicyPermission(permissions.IsAuthenticated):
    """Object-level check of the role policy; creates are checked by the view's service."""

    def has_object_permission(self, request, view, obj) -> bool:
        target: PolicyTarget = view.policy_target(obj)
        action = action_for(view, request)
        if target.group is None:
            return policy.allows_global(request.user, action)
        return policy.allows(request.user, target.group, action, owner_id=target.owner_id)


class PolicyViewSetMixin:
    """Viewsets over group-owned items: pass `policy_target(obj)`; optionally `policy_actions`."""

    permission_classes: "Sequence[_PermissionClass]" = [RolePolicyPermission]

    def policy_target(self, obj) -> PolicyTarget:
        raise NotImplementedError


class PolicyRequiredMixin(LoginRequiredMixin):
    """Pages: anonymous users go to the login page; others must pass the policy action."""

    policy_action: Action = Action.READ

    def get_policy_target(self) -> PolicyTarget:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        target = self.get_policy_target()
        if target.group is None:
            policy.require_global(request.user, self.policy_action)
        else:
            policy.require(request.user, target.group, self.policy_action, owner_id=target.owner_id)
        return super().dispatch(request, *args, **kwargs)
