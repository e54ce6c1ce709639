"""Writing embeddings: the text the model reads for a search item, encoded and stored."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.db import transaction

from apps.knowledge.models.embedding import Embedding
from apps.knowledge.models.search import SearchItem

from .encoder import get_encoder, model_version

log = logging.getLogger(__name__)

# Items read, encoded and written together by embed_all: large enough that the encoder
# batches well, small enough that one chunk's rows and texts stay a few megabytes.
CHUNK = 512


def document_text(item: SearchItem) -> str:
    """What the model reads: title, statement, learnings and decisions, then the body.

    The model sees at most 256 word pieces, so the parts go in the order of their weight in
    lexical search: a long body is what gets cut.
    """
    parts = (item.title, item.statement, item.text_c, item.body)
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def embedding_refresh(*, search_item_ids: Iterable[int]) -> int:
    """Embed these search items where their text or the model changed; return how many.

    Items gone since they were queued are skipped (the index deletes their embedding with
    them). Encoding happens outside any transaction; the rows are then upserted in one
    statement, so a retry after a failure simply does the work again.
    """
    ids = sorted({int(pk) for pk in search_item_ids})
    if not ids:
        return 0
    model = model_version()
    items = list(
        SearchItem.objects.filter(pk__in=ids).only("pk", "title", "statement", "text_c", "body")
    )
    stored = {
        pk: (name, digest)
        for pk, name, digest in Embedding.objects.filter(search_item_id__in=ids).values_list(
            "search_item_id", "model", "text_hash"
        )
    }
    todo: list[tuple[int, str, str]] = []
    for item in items:
        text = document_text(item)
        digest = _fingerprint(text)
        if stored.get(item.pk) != (model, digest):
            todo.append((item.pk, text, digest))
    if not todo:
        return 0
    vectors = get_encoder().encode([text for _, text, _ in todo])
    rows = [
        Embedding(search_item_id=pk, vector=vectors[i].tobytes(), model=model, text_hash=digest)
        for i, (pk, _, digest) in enumerate(todo)
    ]
    with transaction.atomic():
        # An item deleted while we encoded would fail the foreign key: write only the living.
        living = set(
            SearchItem.objects.filter(pk__in=[row.search_item_id for row in rows]).values_list(
                "pk", flat=True
            )
        )
        Embedding.objects.bulk_create(
            [row for row in rows if row.search_item_id in living],
            update_conflicts=True,
            unique_fields=["search_item"],
            update_fields=["vector", "model", "text_hash", "updated_at"],
            batch_size=1000,
        )
    return len(living)


def embedding_chunks(*, chunk: int | None = None) -> list[list[int]]:
    """Every search item's id, in chunks of the size one embedding job takes (CHUNK)."""
    chunk = chunk or CHUNK
    ids = list(SearchItem.objects.order_by("pk").values_list("pk", flat=True))
    return [ids[start : start + chunk] for start in range(0, len(ids), chunk)]


def embedding_refresh_all(*, chunk: int | None = None) -> int:
    """Embed every search item that lacks a current embedding: reindexing and the demo."""
    written = 0
    for ids in embedding_chunks(chunk=chunk):
        written += embedding_refresh(search_item_ids=ids)
    log.info("embedded %s search items", written)
    return written
