"""Searching the knowledge base: `search(user, q, filters)` and `similar(user, text)`.

Lexical on PostgreSQL (`postgres.py`), a simpler ranking on SQLite (`fallback.py`), blended
with the semantic extra when it is installed (`blend.py`).
"""

from .engine import search
from .results import FACETS, Filters, Hit, Results
from .similar import similar

__all__ = ["FACETS", "Filters", "Hit", "Results", "search", "similar"]
