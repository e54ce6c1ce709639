"""Relevance of search on the relevance set: recall@5 and MRR per style and overall.

Run with -s to print the figures. The floors sit a little under the measured figures, so
a change that makes search worse at one style fails here.
"""

import pytest

from .measure import measure, table

pytestmark = [pytest.mark.postgres]
# The blended test also needs the semantic extra (installed in CI); it skips without it.

# Measured on PostgreSQL 16 (lexical): see the printed table; floors a little lower.
LEXICAL_FLOORS = {
    "exact": (0.9, 0.8),
    "synonym": (0.6, 0.5),
    "paraphrase": (0.3, 0.3),
    "typo": (0.6, 0.5),
    "partial": (0.6, 0.5),
    "question": (0.5, 0.4),
    "overall": (0.6, 0.5),
}


def _check(figures, floors):
    failures = [
        f"{style}: recall@5 {figures[style].recall:.3f} < {recall} or MRR "
        f"{figures[style].mrr:.3f} < {mrr}"
        for style, (recall, mrr) in floors.items()
        if figures[style].recall < recall or figures[style].mrr < mrr
    ]
    assert not failures, failures


def test_lexical_search_finds_what_people_look_for(ranked):
    figures, misses = measure(lambda query: ranked(query.text, semantic=False))
    print("\n" + table(figures, "Lexical search (PostgreSQL)"))
    for miss in misses:
        print("  miss:", miss)
    _check(figures, LEXICAL_FLOORS)


# The blend with the semantic extra (apps/knowledge/search/blend.py): paraphrases found.
BLENDED_FLOORS = {
    "exact": (0.9, 0.8),
    "synonym": (0.9, 0.6),
    "paraphrase": (0.75, 0.5),
    "typo": (0.9, 0.6),
    "partial": (0.9, 0.6),
    "question": (0.9, 0.5),
    "overall": (0.93, 0.7),
}


def test_blending_in_sentence_similarity_finds_more(ranked, embedded):
    lexical, _ = measure(lambda query: ranked(query.text, semantic=False))
    blended, misses = measure(lambda query: ranked(query.text, semantic=True))
    print("\n" + table(blended, "Lexical + semantic (PostgreSQL, all-MiniLM-L6-v2)"))
    for miss in misses:
        print("  miss:", miss)
    _check(blended, BLENDED_FLOORS)
    assert blended["overall"].recall > lexical["overall"].recall
    assert blended["paraphrase"].recall > lexical["paraphrase"].recall
