from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.demo import DEMO_PASSWORD, PEOPLE, seed_people


class Command(BaseCommand):
    help = "Create (or complete) the demo experimentation program. Safe to run twice."

    def handle(self, *args, **options):
        with transaction.atomic():
            people = seed_people()
        self.stdout.write(self.style.SUCCESS(f"Demo program ready: {people.group.name}"))
        self.stdout.write("Log in at http://127.0.0.1:8000/ with any of these users,")
        self.stdout.write(f"all with the password: {DEMO_PASSWORD}")
        for username, first, last, role, unit in PEOPLE:
            name = f"{first} {last}"
            self.stdout.write(f"  {username:<8} {name:<18} {role.label:<16} ({unit})")
