"""Keeping embeddings current: the index's batches queue an embedding job on commit."""

from __future__ import annotations

from django.db import transaction

from apps.knowledge import indexing
from apps.knowledge.tasks import embed_search_items


def queue_embeddings(search_item_ids: list[int]) -> None:
    """Queue the embedding of rows the index just wrote, once the transaction commits.

    The index calls this from its own on-commit batch (so the rows are visible to a worker);
    `on_commit` then runs at once, or after the outer transaction when a reindex runs in one.
    Without the semantic extra nothing is queued.
    """
    from . import available

    if not search_item_ids or not available():
        return
    ids = sorted(search_item_ids)
    transaction.on_commit(lambda: embed_search_items.delay(ids))


def connect() -> None:
    """Called from the knowledge app's ready()."""
    indexing.on_indexed(queue_embeddings)
