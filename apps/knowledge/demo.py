"""The demo program's knowledge."""

from apps.accounts.demo import DemoPeople


def seed_knowledge(people: DemoPeople) -> str:
    return "knowledge: nothing yet"
