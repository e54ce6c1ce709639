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


# Embedding 100,000 items takes over half an hour of one core, past the task time limit:
# this job only splits the work into chunks, each a job of its own, which any worker takes.
@shared_task(acks_late=True, autoretry_for=(DatabaseError,), max_retries=3, retry_backoff=60)
def embed_all() -> int:
    """Queue the embedding of every search item, a chunk per job; returns the jobs queued."""
    from .semantic.services import embedding_chunks

    chunks = embedding_chunks()
    for ids in chunks:
        embed_search_items.delay(ids)
    logger.info("queued %s embedding jobs", len(chunks))
    return len(chunks)
