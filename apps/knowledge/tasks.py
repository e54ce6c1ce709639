"""Background jobs for the knowledge base. Thin: each takes ids and calls one service."""

import logging

from celery import shared_task
from django.db import DatabaseError

logger = logging.getLogger(__name__)


# A database hiccup retries with a jittered backoff; the service skips items already
# embedded with the same text and model, so a redelivered or retried job redoes nothing.
@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    max_retries=3,
    retry_backoff=10,
    retry_backoff_max=120,
    retry_jitter=True,
)
def embed_search_items(search_item_ids: list[int]) -> int:
    """Compute the sentence embeddings of these search items (semantic search)."""
    from .semantic.services import embedding_refresh

    written = embedding_refresh(search_item_ids=search_item_ids)
    logger.info("embedded %s of %s search items", written, len(search_item_ids))
    return written


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), max_retries=3, retry_backoff=60)
def embed_all() -> int:
    """Embed every search item lacking a current embedding (after a reindex or a new model)."""
    from .semantic.services import embedding_refresh_all

    return embedding_refresh_all()
