"""Changes to users, business units, working groups and memberships.

Every function takes the acting user, asks the role policy, validates, and writes in one
transaction, so a refused or invalid change leaves nothing half-saved.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from . import policy
from .models import BusinessUnit, Membership, Role, User, WorkingGroup
from .policy import Action

_SELF_EDITABLE_FIELDS = {"business_unit", "delegate"}


def _unique_slug(model, text: str, exclude_pk: int | None = None) -> str:
    base = slugify(text)[:150] or "group"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(
            {"role": f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}."}
        )


def _validate_delegate(*, group: WorkingGroup, user: User, delegate: User | None) -> None:
    if delegate is None:
        return
    if delegate.pk == user.pk:
        raise ValidationError({"delegate": "A member cannot be their own delegate."})
    if not Membership.objects.filter(working_group=group, user=delegate).exists():
        raise ValidationError(
            {
                "delegate": f"{delegate.username} is not a member of {group.name}; "
                "a delegate must belong to the same working group."
            }
        )


def business_unit_create(
    *, actor: User, name: str, kind: str = BusinessUnit.Kind.BUSINESS, description: str = ""
) -> BusinessUnit:
    policy.require_global(actor, Action.CONFIGURE)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A business unit needs a name."})
    if BusinessUnit.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"A business unit named {name!r} already exists."})
    unit = BusinessUnit(
        name=name, slug=_unique_slug(BusinessUnit, name), kind=kind, description=description
    )
    unit.full_clean()
    unit.save()
    return unit


def business_unit_update(*, actor: User, unit: BusinessUnit, **changes) -> BusinessUnit:
    policy.require_global(actor, Action.CONFIGURE)
    if "name" in changes:
        name = changes["name"].strip()
        if BusinessUnit.objects.filter(name__iexact=name).exclude(pk=unit.pk).exists():
            raise ValidationError({"name": f"A business unit named {name!r} already exists."})
        changes["name"] = name
    for field, value in changes.items():
        setattr(unit, field, value)
    unit.full_clean()
    unit.save(update_fields=list(changes) or None)
    return unit


@transaction.atomic
def working_group_create(
    *,
    actor: User,
    name: str,
    goal: str,
    program_manager: User,
    cadence_days: int = 14,
    product_share_target: int = 70,
    program_manager_unit: BusinessUnit | None = None,
) -> WorkingGroup:
    """Create a group and its program manager's membership together."""
    policy.require_global(actor, Action.CONFIGURE)
    group = WorkingGroup(
        name=name.strip(),
        slug=_unique_slug(WorkingGroup, name),
        goal=goal.strip(),
        cadence_days=cadence_days,
        program_manager=program_manager,
        product_share_target=product_share_target,
    )
    group.full_clean()
    group.save()
    Membership.objects.create(
        user=program_manager,
        working_group=group,
        role=Role.PROGRAM_MANAGER,
        business_unit=program_manager_unit,
    )
    policy.forget(actor)
    return group


@transaction.atomic
def working_group_update(*, actor: User, group: WorkingGroup, **changes) -> WorkingGroup:
    """The program manager edits the group; only an admin hands it to a new program manager."""
    policy.require(actor, group, Action.MANAGE)
    new_pm = changes.get("program_manager")
    if new_pm is not None and new_pm.pk != group.program_manager_id:
        policy.require(actor, group, Action.CONFIGURE)
        Membership.objects.update_or_create(
            user=new_pm, working_group=group, defaults={"role": Role.PROGRAM_MANAGER}
        )
    for field, value in changes.items():
        setattr(group, field, value)
    group.full_clean()
    group.save(update_fields=list(changes) or None)
    policy.forget(actor)
    return group


@transaction.atomic
def membership_add(
    *,
    actor: User,
    group: WorkingGroup,
    user: User,
    role: str = Role.MEMBER,
    business_unit: BusinessUnit | None = None,
    delegate: User | None = None,
) -> Membership:
    policy.require(actor, group, Action.MANAGE)
    _validate_role(role)
    if role == Role.ADMIN:
        policy.require(actor, group, Action.CONFIGURE)
    if Membership.objects.filter(working_group=group, user=user).exists():
        raise ValidationError({"user": f"{user.username} is already a member of {group.name}."})
    _validate_delegate(group=group, user=user, delegate=delegate)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                working_group=group,
                role=role,
                business_unit=business_unit,
                delegate=delegate,
            )
    except IntegrityError as exc:  # a concurrent add of the same person won the race
        raise ValidationError(
            {"user": f"{user.username} is already a member of {group.name}."}
        ) from exc
    policy.forget(actor)
    return membership


@transaction.atomic
def membership_update(*, actor: User, membership: Membership, **changes) -> Membership:
    """People may set their own delegate and business unit; everything else is the PM's."""
    group = membership.working_group
    own = membership.user_id == actor.pk
    if not (own and set(changes) <= _SELF_EDITABLE_FIELDS):
        policy.require(actor, group, Action.MANAGE)
    else:
        policy.require(actor, group, Action.READ)
    if "role" in changes:
        _validate_role(changes["role"])
        if Role.ADMIN in (changes["role"], membership.role):
            policy.require(actor, group, Action.CONFIGURE)
        if (
            membership.role == Role.PROGRAM_MANAGER
            and changes["role"] != Role.PROGRAM_MANAGER
            and group.program_manager_id == membership.user_id
        ):
            raise ValidationError(
                {
                    "role": "This person is the group's program manager; name a new program "
                    "manager for the group before changing their role."
                }
            )
    if "delegate" in changes:
        _validate_delegate(group=group, user=membership.user, delegate=changes["delegate"])
    for field, value in changes.items():
        setattr(membership, field, value)
    membership.save(update_fields=list(changes) or None)
    policy.forget(actor)
    policy.forget(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    group = membership.working_group
    policy.require(actor, group, Action.MANAGE)
    if group.program_manager_id == membership.user_id:
        raise ValidationError(
            {"user": "The program manager cannot be removed; name a new program manager first."}
        )
    # Whoever named the leaving person as delegate loses that delegate.
    Membership.objects.filter(working_group=group, delegate_id=membership.user_id).update(
        delegate=None
    )
    membership.delete()
    policy.forget(actor)


def user_update_profile(*, user: User, **changes) -> User:
    for field, value in changes.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(changes) or None)
    return user
