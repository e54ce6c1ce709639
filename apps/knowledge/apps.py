from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "apps.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self):
        from . import documents

        # Registers every searchable kind and connects the signals that keep the index
        # current on commit (indexing.py).
        documents.load()

        from .semantic import hooks

        # Each batch the index writes queues its embeddings on commit (semantic search).
        hooks.connect()

        # A proposal's "looks like a duplicate of" marks.
        from . import receivers  # noqa: F401
