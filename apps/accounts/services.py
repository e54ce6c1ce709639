"""Changes to users, business units, working groups and memberships.

Every function takes the acting user, asks the role policy, validates, and writes in one
transaction, so a refused or invalid change leaves nothing half-saved.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from . import policy
from .models import BusinessUnit, Membership, MembershipChange, Role, User, WorkingGroup
from .policy import Action

# A person names their own delegate; everything else on a membership is the PM's.
_SELF_EDITABLE_FIELDS = {"delegate"}
# What the role policy (role, delegate) and plan confidentiality (business unit) trust:
# every change to these is recorded in MembershipChange.
_TRUSTED_FIELDS = ("role", "business_unit", "delegate")
# Roles that include running the group, so its program manager may hold either.
_RUNS_THE_GROUP = frozenset({Role.PROGRAM_MANAGER, Role.ADMIN})


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


def _lock_group(group: WorkingGroup) -> WorkingGroup:
    """Lock the group row: changes to who runs it are checked and written one at a time.

    Two admins demoting each other at once would each still see the other as admin and
    leave the group with none; serialising on the group row makes the second one see the
    first one's change.
    """
    return WorkingGroup.objects.select_for_update().get(pk=group.pk)


def _check_role_change(
    *, actor: User, group: WorkingGroup, membership: Membership, role: str
) -> None:
    if Role.ADMIN in (role, membership.role):
        # Granting, removing or demoting an admin is an admin's act.
        policy.require(actor, group, Action.CONFIGURE)
    if group.program_manager_id == membership.user_id and role not in _RUNS_THE_GROUP:
        raise ValidationError(
            {
                "role": "This person is the group's program manager; name a new program "
                "manager for the group before changing their role."
            }
        )
    if role != Role.ADMIN:
        _check_keeps_an_admin(group=group, membership=membership, field="role")


def _check_keeps_an_admin(*, group: WorkingGroup, membership: Membership, field: str) -> None:
    """A group that has an admin keeps one: nobody else could grant the role back."""
    if membership.role != Role.ADMIN:
        return
    others = Membership.objects.filter(working_group=group, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise ValidationError(
            {
                field: f"{membership.user.username} is the last admin of {group.name}; "
                "a group never loses its last admin. Make someone else an admin first."
            }
        )


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, User):
        return value.username
    return str(value)


def _record(*, actor: User, group: WorkingGroup, user: User, field: str, old, new) -> None:
    """Keep who changed a field the role policy or confidentiality trusts, and when."""
    MembershipChange.objects.create(
        working_group=group,
        user=user,
        field=field,
        old_value=_as_text(old)[:200],
        new_value=_as_text(new)[:200],
        changed_by=actor,
    )


def _record_new_membership(*, actor: User, membership: Membership) -> None:
    for field in _TRUSTED_FIELDS:
        value = getattr(membership, field)
        if value is not None:
            _record(
                actor=actor,
                group=membership.working_group,
                user=membership.user,
                field=field,
                old="",
                new=value,
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
    membership = Membership.objects.create(
        user=program_manager,
        working_group=group,
        role=Role.PROGRAM_MANAGER,
        business_unit=program_manager_unit,
    )
    _record_new_membership(actor=actor, membership=membership)
    policy.forget(actor)
    return group


@transaction.atomic
def working_group_update(*, actor: User, group: WorkingGroup, **changes) -> WorkingGroup:
    """The program manager edits the group; only an admin hands it to a new program manager."""
    policy.require(actor, group, Action.MANAGE)
    new_pm = changes.get("program_manager")
    if new_pm is not None and new_pm.pk != group.program_manager_id:
        policy.require(actor, group, Action.CONFIGURE)
        group = _lock_group(group)
        _record(
            actor=actor,
            group=group,
            user=new_pm,
            field="program_manager",
            old=group.program_manager,
            new=new_pm,
        )
        membership = Membership.objects.filter(working_group=group, user=new_pm).first()
        if membership is None:
            membership = Membership.objects.create(
                user=new_pm, working_group=group, role=Role.PROGRAM_MANAGER
            )
            _record(
                actor=actor, group=group, user=new_pm, field="role", old="", new=membership.role
            )
        elif membership.role not in _RUNS_THE_GROUP:
            # An admin named program manager stays admin: the role already includes running
            # the group, and demoting could leave the group without an admin.
            _record(
                actor=actor,
                group=group,
                user=new_pm,
                field="role",
                old=membership.role,
                new=Role.PROGRAM_MANAGER,
            )
            membership.role = Role.PROGRAM_MANAGER
            membership.save(update_fields=["role"])
        policy.forget(new_pm)
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
    _record_new_membership(actor=actor, membership=membership)
    policy.forget(actor)
    return membership


@transaction.atomic
def membership_update(*, actor: User, membership: Membership, **changes) -> Membership:
    """People may name their own delegate; role and business unit are the PM's or an admin's.

    Confidentiality trusts the business unit (a stakeholder reads the confidential plans of
    their own unit), so letting people set it would let anyone read any plan.
    """
    group = membership.working_group
    own = membership.user_id == actor.pk
    if not (own and set(changes) <= _SELF_EDITABLE_FIELDS):
        policy.require(actor, group, Action.MANAGE)
    else:
        policy.require(actor, group, Action.READ)
    if "role" in changes:
        _validate_role(changes["role"])
        group = _lock_group(group)
        membership = Membership.objects.select_related("user").get(pk=membership.pk)
        policy.forget(actor)  # a change that waited on the lock may have changed the actor's role
        _check_role_change(actor=actor, group=group, membership=membership, role=changes["role"])
    if "delegate" in changes:
        _validate_delegate(group=group, user=membership.user, delegate=changes["delegate"])
    for field, value in changes.items():
        old = getattr(membership, field)
        if field in _TRUSTED_FIELDS and old != value:
            _record(actor=actor, group=group, user=membership.user, field=field, old=old, new=value)
        setattr(membership, field, value)
    membership.save(update_fields=list(changes) or None)
    policy.forget(actor)
    policy.forget(membership.user)
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    group = membership.working_group
    policy.require(actor, group, Action.MANAGE)
    group = _lock_group(group)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    policy.forget(actor)  # a change that waited on the lock may have changed the actor's role
    if membership.role == Role.ADMIN:
        policy.require(actor, group, Action.CONFIGURE)
    if group.program_manager_id == membership.user_id:
        raise ValidationError(
            {"user": "The program manager cannot be removed; name a new program manager first."}
        )
    _check_keeps_an_admin(group=group, membership=membership, field="user")
    # Whoever named the leaving person as delegate loses that delegate.
    named_them = Membership.objects.filter(working_group=group, delegate_id=membership.user_id)
    for other in named_them.select_related("user"):
        _record(
            actor=actor, group=group, user=other.user, field="delegate", old=membership.user, new=""
        )
    named_them.update(delegate=None)
    _record(
        actor=actor, group=group, user=membership.user, field="role", old=membership.role, new=""
    )
    membership.delete()
    policy.forget(actor)
    policy.forget(membership.user)


def user_update_profile(*, user: User, **changes) -> User:
    for field, value in changes.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(changes) or None)
    return user
