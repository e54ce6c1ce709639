"""The demo program's people: one working group, every role, three business units.

Idempotent: rows are looked up by natural keys and only created when missing.
"""

from dataclasses import dataclass, field

from django.db import transaction

from .models import BusinessUnit, Membership, Role, User, WorkingGroup

DEMO_PASSWORD = "expr-demo-2026"
DEMO_GROUP_SLUG = "growth-experimentation"

BUSINESS_UNITS = [
    (
        "Commerce",
        "commerce",
        BusinessUnit.Kind.BUSINESS,
        "Checkout, pricing pages and recommendations: the revenue-facing product.",
    ),
    (
        "Platform Engineering",
        "platform-engineering",
        BusinessUnit.Kind.ENGINEERING,
        "Search ranking, performance and the experimentation platform itself.",
    ),
    (
        "Data Science",
        "data-science",
        BusinessUnit.Kind.DATA_SCIENCE,
        "Analytics, experimentation methods and machine-learned ranking.",
    ),
]

# username, first, last, role, business unit slug
PEOPLE = [
    ("priya", "Priya", "Raman", Role.PROGRAM_MANAGER, "data-science"),
    ("marco", "Marco", "Bellini", Role.STATISTICS_LEAD, "data-science"),
    ("lena", "Lena", "Hoffmann", Role.MEMBER, "commerce"),
    ("tomas", "Tomás", "Ortega", Role.MEMBER, "platform-engineering"),
    ("aisha", "Aisha", "Khan", Role.MEMBER, "commerce"),
    ("sofia", "Sofia", "Lindqvist", Role.STAKEHOLDER, "commerce"),
    ("james", "James", "Okafor", Role.STAKEHOLDER, "platform-engineering"),
    ("dana", "Dana", "Whitfield", Role.ADMIN, "platform-engineering"),
]


@dataclass
class DemoPeople:
    group: WorkingGroup
    users: dict[str, User] = field(default_factory=dict)
    units: dict[str, BusinessUnit] = field(default_factory=dict)


def _user(username: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_people() -> DemoPeople:
    units = {}
    for name, slug, kind, description in BUSINESS_UNITS:
        units[slug], _ = BusinessUnit.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "description": description}
        )
    users = {username: _user(username, first, last) for username, first, last, _, _ in PEOPLE}
    group, _ = WorkingGroup.objects.get_or_create(
        slug=DEMO_GROUP_SLUG,
        defaults={
            "name": "Growth Experimentation Working Group",
            "goal": "Align on goals: raise checkout conversion and search-driven revenue "
            "through well-designed experiments, while investing ~30 % in foundational "
            "work (ranking models, metric quality) that pays off over quarters.",
            "cadence_days": 14,
            "program_manager": users["priya"],
            "product_share_target": 70,
        },
    )
    for username, _, _, role, unit_slug in PEOPLE:
        Membership.objects.get_or_create(
            user=users[username],
            working_group=group,
            defaults={"role": role, "business_unit": units[unit_slug]},
        )
    # Lena is often travelling; Aisha acts for her in the group.
    Membership.objects.filter(user=users["lena"], working_group=group, delegate=None).update(
        delegate=users["aisha"]
    )
    return DemoPeople(group=group, users=users, units=units)
