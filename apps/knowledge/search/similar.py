"""Items like a draft: "has anyone tested this before?" while a hypothesis is written.

The draft's meaningful words (title first) are OR-ed: an item sharing more of them, in its
title or statement, ranks higher (cover density with the index's weights). With the semantic
extra, the nearest items by meaning are blended in, so "lower the minimum order for free
delivery" finds "free shipping threshold".
"""

from django.db import connection

from apps.knowledge.models.search import Kind

from . import blend, fallback, postgres
from .engine import CANDIDATES, SEMANTIC_MIN_SCORE, _hit, semantic_on
from .parse import parse
from .results import Filters, Hit

# What a proposal is compared with: past ideas, what was run, and what was learned.
SIMILAR_KINDS = (Kind.HYPOTHESIS, Kind.EXPERIMENT, Kind.LEARNING)
MAX_WORDS = 16
MAX_TEXT_CHARS = 2000


def similar(
    user,
    text: str | None,
    *,
    k: int = 5,
    kinds=SIMILAR_KINDS,
    exclude: tuple[str, int] | None = None,
    semantic: bool | None = None,
) -> list[Hit]:
    """The k items most like `text` that `user` may read, best first (none for no text)."""
    text = " ".join((text or "").split())[:MAX_TEXT_CHARS]
    query = parse(text)
    words = [w for w in query.content_words if w.isalnum()][:MAX_WORDS]
    if not words:
        return []
    from .engine import filtered

    queryset = filtered(user, Filters()).filter(kind__in=list(kinds))
    if exclude is not None:
        queryset = queryset.exclude(kind=exclude[0], object_id=exclude[1])
    if connection.vendor != "postgresql":
        loose = parse(" ".join(words))
        return fallback.search(user, loose, Filters(), queryset, k, 0).hits
    where = postgres.where_of(queryset)
    any_word = postgres._or([postgres._word(w) for w in words])
    plan = postgres.QueryPlan(strict=any_word, strict_is_any=True)
    _, where, _ = postgres.matches(where, plan)
    ranked = postgres.ranked_ids(where, plan, " ".join(words[:8]), CANDIDATES)
    if semantic_on() if semantic is None else semantic:
        from apps.knowledge import semantic as semantic_extra

        found = semantic_extra.similar_to_text(
            text, user=user, k=CANDIDATES, queryset=queryset, min_score=SEMANTIC_MIN_SCORE
        )
        ranked = blend.fuse(ranked, [(s.item.pk, s.score) for s in found])
    page = ranked[:k]
    rows = postgres.page_rows([pk for pk, _ in page], any_word)
    return [_hit(rows[pk], score) for pk, score in page if pk in rows]
