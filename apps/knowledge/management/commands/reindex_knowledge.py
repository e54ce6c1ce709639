"""Rebuild the knowledge base's search index from every registered kind."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.knowledge import indexing


class Command(BaseCommand):
    help = "Rebuild the search index: every hypothesis, experiment, learning, plan and decision."

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=2000, help="Objects built per batch.")

    def handle(self, *args, chunk: int, **options):
        started = time.perf_counter()
        with transaction.atomic():
            counts = indexing.reindex_all(chunk=chunk)
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(f"Indexed {summary} in {seconds:.1f} s.")
