"""Sentence embeddings of search items, for the semantic half of search (`knowledge.semantic`)."""

import numpy as np
from django.db import models

from .search import SearchItem


class Embedding(models.Model):
    """One search item's sentence embedding: 384 float32 values, unit length, as bytes.

    Bytes rather than an array column so that it stores the same on SQLite and PostgreSQL;
    the lookup reads them all into one numpy matrix per process (`semantic/index.py`).
    `model` names the model and the package version its weights came from, so a new model
    re-embeds everything instead of mixing two vector spaces.
    """

    search_item = models.OneToOneField(
        SearchItem, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    vector = models.BinaryField()
    model = models.CharField(max_length=80)
    # The text's fingerprint: a save that changes nothing the model reads skips the encoder.
    text_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["search_item"]

    def __str__(self) -> str:
        return f"embedding of {self.search_item_id} ({self.model})"

    def as_array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.vector), dtype=np.float32)
