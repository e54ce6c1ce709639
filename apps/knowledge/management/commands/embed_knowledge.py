"""Compute the sentence embeddings that semantic search lacks (after a reindex or a new model)."""

import time

from django.core.management.base import BaseCommand, CommandError

from apps.knowledge import semantic


class Command(BaseCommand):
    help = (
        "Embed every search item without a current embedding (the semantic extra). "
        "Items whose text and model are unchanged are skipped, so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="Hand the work to a Celery worker instead."
        )

    def handle(self, *args, queue: bool, **options):
        if not semantic.available():
            raise CommandError(
                "The semantic extra is not installed (make install-semantic): search stays lexical."
            )
        if queue:
            from apps.knowledge.tasks import embed_all

            embed_all.delay()
            self.stdout.write("Queued the embedding of every search item, in chunks.")
            return
        started = time.perf_counter()
        written = semantic.embed_all()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Embedded {written} search items in {seconds:.1f} s.")
