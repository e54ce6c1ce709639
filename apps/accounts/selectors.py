from django.db.models import Case, Count, Prefetch, Value, When

from .models import Membership, MembershipChange, Role, User, WorkingGroup


def dashboard_groups_for(user: User) -> list[Membership]:
    """The person's memberships with their group, its PM and the group's size, one query."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("working_group__program_manager", "business_unit", "delegate")
        .annotate(member_count=Count("working_group__memberships"))
        .order_by("working_group__name")
    )


def group_with_members(slug: str) -> WorkingGroup:
    # Roles in the order people read a group: who runs it, then who works in it, then readers.
    role_rank = Case(
        *[When(role=role, then=Value(rank)) for rank, role in enumerate(Role.values)],
        default=Value(len(Role.values)),
    )
    members = Membership.objects.select_related("user", "business_unit", "delegate").order_by(
        role_rank, "user__first_name", "user__username"
    )
    return (
        WorkingGroup.objects.select_related("program_manager")
        .prefetch_related(Prefetch("memberships", queryset=members))
        .get(slug=slug)
    )


def recent_membership_changes(group: WorkingGroup, *, limit: int = 20) -> list[MembershipChange]:
    """The latest changes to roles, business units, delegates and the program manager."""
    return list(
        MembershipChange.objects.filter(working_group=group).select_related("user", "changed_by")[
            :limit
        ]
    )
