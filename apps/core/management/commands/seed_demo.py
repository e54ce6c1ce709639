from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from apps.accounts.demo import DEMO_PASSWORD, PEOPLE, seed_people

# Each app seeds its part of the demo program, in the order the flows need them: the
# backlog before meetings (agendas read it) and meetings before the roadmap (decisions);
# experiments after the backlog (they test its hypotheses) and the roadmap.
# Meetings come last: the next meeting's agenda is drafted from what the others seeded
# (new proposals, scores to discuss, decision points due).
SEEDERS = (
    "apps.backlog.demo.seed_backlog",
    "apps.roadmap.demo.seed_roadmap",
    "apps.experiments.demo.seed_experiments",
    "apps.conflicts.demo.seed_conflicts",
    "apps.knowledge.demo.seed_knowledge",
    "apps.meetings.demo.seed_meetings",
)


class Command(BaseCommand):
    help = "Create (or complete) the demo experimentation program. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            people = seed_people()
            summaries = [import_string(path)(people) for path in SEEDERS]
        self.stdout.write(self.style.SUCCESS(f"Demo program ready: {people.group.name}"))
        for summary in summaries:
            self.stdout.write(f"  {summary}")
        self.stdout.write("Log in at http://127.0.0.1:8000/ with any of these users,")
        self.stdout.write(f"all with the password: {DEMO_PASSWORD}")
        for username, first, last, role, unit in PEOPLE:
            name = f"{first} {last}"
            self.stdout.write(f"  {username:<8} {name:<18} {role.label:<16} ({unit})")
