"""The demo program's conflicts."""

from apps.accounts.demo import DemoPeople


def seed_conflicts(people: DemoPeople) -> str:
    return "conflicts: nothing yet"
