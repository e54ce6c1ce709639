"""Blending the lexical and semantic rankings: weighted reciprocal rank fusion.

score(item) = w_lex / (K + rank_lex) + w_sem / (K + rank_sem), an absent rank adding 0.

Equal weights lose synonyms and paraphrases to the lexical side: a lexical pass that found
anything puts it first, however loosely it matched. The weights here were tuned on the
relevance set (tests/knowledge/relevance/): the semantic side counts for more, and a small
K lets each side's first few ranks dominate.
"""

K = 20
LEXICAL_WEIGHT = 1.0
SEMANTIC_WEIGHT = 1.6


def fuse(
    lexical: list[tuple[int, float]],
    semantic: list[tuple[int, float]],
    *,
    k: float = K,
    lexical_weight: float = LEXICAL_WEIGHT,
    semantic_weight: float = SEMANTIC_WEIGHT,
) -> list[tuple[int, float]]:
    """Fused (id, score) pairs, best first; ties keep the lexical order."""
    scores: dict[int, float] = {}
    for rank, (pk, _) in enumerate(lexical, start=1):
        scores[pk] = scores.get(pk, 0.0) + lexical_weight / (k + rank)
    for rank, (pk, _) in enumerate(semantic, start=1):
        scores[pk] = scores.get(pk, 0.0) + semantic_weight / (k + rank)
    order = {pk: i for i, (pk, _) in enumerate(lexical)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order))))
