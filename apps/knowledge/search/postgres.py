"""Lexical search on PostgreSQL: full text with the index's weights, then looser passes.

Three passes, each a tsquery over the GIN-indexed `search_vector`, tried in order until one
finds enough (`ENOUGH`) items, so a precise query pays for one pass only:

1. strict: `websearch_to_tsquery('english', q)`: every word (stemmed), "phrases", OR, -words;
2. expanded: every meaningful word, or a correction of it (a misspelt word matched by trigram
   similarity against the index's own words), or a completion (a partial word as a prefix),
   or one of its synonyms;
3. relaxed: any of those: questions and paraphrases that share a few words with the item.

The passes are nested (each finds everything the previous found), so the chosen pass's
matches are the result set: counted, faceted and ranked as one. The score adds the cover
density rank of the person's own words (weights title 1.0, statement 0.4, learnings and
decisions 0.2, the rest 0.1) to half the rank of the expanded words, a bonus for matching the
strict query (1) and the expanded one (0.5), and the title's trigram similarity to the query.
"""

import json
from dataclasses import dataclass, field

from django.db import connection, transaction

from apps.knowledge.models.search import SearchItem

from .parse import ParsedQuery
from .synonyms import synonyms_of

ENOUGH = 5
# A query matching more rows than this ranks, counts and facets only the newest CAP of them:
# ranking and faceting read every matched row, and a common word ("checkout") matches half
# of a large index. The newest are found through the happened_at index without reading the
# rest; the page says more matched.
CAP = 1000
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A
# Trigram similarity floor for correction candidates; the edit distance decides.
TRIGRAM_FLOOR = 0.2
_COLUMNS = (
    "kind, object_id, title, outcome, lift, lift_low, lift_high, url, status, surfaces, metrics, "
    "tags, year"
)

SQL = tuple[str, list]


@dataclass
class QueryPlan:
    strict: SQL
    expanded: SQL | None = None
    relaxed: SQL | None = None
    own_words: SQL | None = None  # OR of the person's own words: what ranks first
    corrections: dict[str, list[str]] = field(default_factory=dict)


def _or(parts: list[SQL]) -> SQL:
    return "(" + " || ".join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]


def _and(parts: list[SQL]) -> SQL:
    return "(" + " && ".join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]


def _word(word: str) -> SQL:
    return "plainto_tsquery('english', %s)", [word]


def _phrase(words: str) -> SQL:
    return "phraseto_tsquery('english', %s)", [words]


def _prefix(word: str) -> SQL:
    # The word holds letters and digits only (parse.py), so it is a valid tsquery operand.
    return "to_tsquery('simple', %s)", [f"{word}:*"]


def corrections_for(words: list[str]) -> dict[str, list[str]]:
    """Known words close to each unknown query word: misspellings and completions.

    One query: for each word the index does not hold, the nearest known words by trigram
    distance (served by the trigram GIN index on the terms, with a low similarity floor so
    a swapped pair of letters still qualifies), and two words it is the start of. The
    near words are then kept only within an edit distance of 1 (short words) or 2, with
    transpositions counted as one edit.
    """
    if not words:
        return {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [TRIGRAM_FLOOR])
        cursor.execute(
            """
            SELECT q.w, t.word, t.near
            FROM unnest(%s::text[]) AS q(w)
            CROSS JOIN LATERAL (
                (SELECT word, true AS near FROM knowledge_searchterm
                 WHERE word %% q.w ORDER BY word <-> q.w LIMIT 8)
                UNION ALL
                (SELECT word, false FROM knowledge_searchterm
                 WHERE length(q.w) >= 4 AND word LIKE q.w || '%%' AND word <> q.w
                 ORDER BY length(word), word LIMIT 2)
            ) AS t
            WHERE NOT EXISTS (SELECT 1 FROM knowledge_searchterm k WHERE k.word = q.w)
            """,
            [words],
        )
        rows = cursor.fetchall()
    found: dict[str, list[str]] = {}
    for word, term, near in rows:
        if near and edit_distance(word, term) > (1 if len(word) <= 4 else 2):
            continue
        terms = found.setdefault(word, [])
        if term not in terms and len(terms) < 3:
            terms.append(term)
    return found


def edit_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein (optimal string alignment): insertions, deletions, substitutions
    and swaps of two neighbouring letters each cost one."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def plan(query: ParsedQuery) -> QueryPlan:
    strict: SQL = ("websearch_to_tsquery('english', %s)", [query.text])
    words = [w for w in query.content_words if w.isalnum()]
    if query.advanced or not words:
        return QueryPlan(strict=strict)
    corrections = corrections_for(words)
    groups = []
    for word in words:
        alternatives = [_word(word)]
        if len(word) >= 4:
            alternatives.append(_prefix(word))
        alternatives += [_word(term) for term in corrections.get(word, [])]
        alternatives += [_phrase(term) for term in synonyms_of(word)]
        groups.append(_or(alternatives))
    own = _or([_word(word) for word in words])
    return QueryPlan(
        strict=strict,
        expanded=_and(groups),
        relaxed=_or(groups),
        own_words=own,
        corrections=corrections,
    )


def _score(query_plan: QueryPlan, text: str) -> SQL:
    v = "knowledge_searchitem.search_vector"
    strict_sql, strict_params = query_plan.strict
    if query_plan.own_words is None:
        return (
            f"ts_rank_cd('{WEIGHTS}', {v}, {strict_sql}, 1) "
            "+ 0.3 * word_similarity(%s, knowledge_searchitem.title)",
            [*strict_params, text],
        )
    own_sql, own_params = query_plan.own_words
    relaxed_sql, relaxed_params = query_plan.relaxed  # type: ignore[misc]
    expanded_sql, expanded_params = query_plan.expanded  # type: ignore[misc]
    return (
        f"ts_rank_cd('{WEIGHTS}', {v}, {own_sql}, 1) "
        f"+ 0.5 * ts_rank_cd('{WEIGHTS}', {v}, {relaxed_sql}, 1) "
        f"+ CASE WHEN {v} @@ {strict_sql} THEN 1 ELSE 0 END "
        f"+ CASE WHEN {v} @@ {expanded_sql} THEN 0.5 ELSE 0 END "
        "+ 0.3 * word_similarity(%s, knowledge_searchitem.title)",
        [*own_params, *relaxed_params, *strict_params, *expanded_params, text],
    )


def where_of(queryset) -> SQL:
    """The WHERE clause of an index queryset (visibility and filters), for raw SQL over it."""
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    if not query.where:
        return "TRUE", []
    sql, params = compiler.compile(query.where)
    return sql, list(params)


def _count_at_least(where: SQL, tsquery: SQL, n: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM knowledge_searchitem WHERE {where[0]} "
            f"AND knowledge_searchitem.search_vector @@ {tsquery[0]} LIMIT %s) AS enough",
            [*where[1], *tsquery[1], n],
        )
        return cursor.fetchone()[0]


def capped(where: SQL, tsquery: SQL) -> tuple[SQL, SQL | None, bool]:
    """The rows to rank and count: (where, match, more).

    Up to CAP matches: the visibility and filters, and the tsquery. More: the newest CAP
    matches' ids, read once through the happened_at index, and no further tsquery (the
    ids match it), so neither ranking nor facets touch the rest.
    """
    if _count_at_least(where, tsquery, CAP + 1) <= CAP:
        return where, tsquery, False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT knowledge_searchitem.id FROM knowledge_searchitem "
            f"WHERE {where[0]} AND knowledge_searchitem.search_vector @@ {tsquery[0]} "
            "ORDER BY knowledge_searchitem.happened_at DESC NULLS LAST, "
            "knowledge_searchitem.id DESC LIMIT %s",
            [*where[1], *tsquery[1], CAP],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ("knowledge_searchitem.id = ANY(%s)", [ids]), None, True


def _match(tsquery: SQL | None) -> SQL:
    if tsquery is None:
        return "TRUE", []
    return f"knowledge_searchitem.search_vector @@ {tsquery[0]}", list(tsquery[1])


def choose_pass(where: SQL, query_plan: QueryPlan) -> tuple[str, SQL]:
    """The tightest pass that finds `ENOUGH` items (the loosest one otherwise)."""
    passes = [("", query_plan.strict)]
    if query_plan.expanded is not None:
        passes += [("expanded", query_plan.expanded), ("relaxed", query_plan.relaxed)]  # type: ignore[list-item]
    for name, tsquery in passes[:-1]:
        if _count_at_least(where, tsquery, ENOUGH) >= ENOUGH:
            return name, tsquery
    return passes[-1]


def matched_sql(where: SQL, tsquery: SQL | None, extra_ids: list[int] | None = None) -> SQL:
    """The ids of the matching rows, for facets and counts (and semantic extras)."""
    condition, match_params = _match(tsquery)
    params = [*where[1], *match_params]
    if extra_ids:
        condition = f"({condition} OR knowledge_searchitem.id = ANY(%s))"
        params.append(extra_ids)
    return (
        f"SELECT knowledge_searchitem.* FROM knowledge_searchitem WHERE {where[0]} AND {condition}",
        params,
    )


def ranked_ids(
    where: SQL, tsquery: SQL | None, query_plan: QueryPlan, text: str, limit: int
) -> list[tuple[int, float]]:
    """The best `limit` matching rows: (index row id, score), best first."""
    score_sql, score_params = _score(query_plan, text)
    match_sql, match_params = _match(tsquery)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT knowledge_searchitem.id, {score_sql} AS score FROM knowledge_searchitem "
            f"WHERE {where[0]} AND {match_sql} "
            "ORDER BY score DESC, knowledge_searchitem.id LIMIT %s",
            [*score_params, *where[1], *match_params, limit],
        )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def page_rows(ids: list[int], headline_query: SQL) -> dict[int, dict]:
    """The shown rows' columns and their highlighted snippets (ts_headline on these only)."""
    from .snippets import HEADLINE_OPTIONS

    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {_COLUMNS}, ts_headline('english', "
            "left(concat_ws(' ', statement, text_c, body), 4000), "
            f"{headline_query[0]}, %s) FROM knowledge_searchitem WHERE id = ANY(%s)",
            [*headline_query[1], HEADLINE_OPTIONS, ids],
        )
        names = ["id", *[c.strip() for c in _COLUMNS.split(",")], "snippet"]
        rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    for row in rows.values():
        for column in ("surfaces", "metrics", "tags"):
            # A raw cursor hands jsonb over as text; the ORM would have decoded it.
            if isinstance(row[column], str):
                row[column] = json.loads(row[column])
    return rows


def facet_counts(matched: SQL) -> dict[str, dict[str, int]]:
    """Counts per facet value over the matched rows, in one statement."""
    from .results import LIST_FACETS

    scalar = {"kind": "kind", "outcome": "outcome", "status": "status", "year": "year",
              "business_unit": "business_unit_id"}  # fmt: skip
    parts = [
        f"SELECT '{name}', {column}::text, count(*) FROM matched "
        f"WHERE {column} IS NOT NULL AND {column}::text <> '' GROUP BY {column}"
        for name, column in scalar.items()
    ]
    parts += [
        f"SELECT '{name}', value, count(*) FROM matched, "
        f"jsonb_array_elements_text(matched.{column}) AS value GROUP BY value"
        for name, column in LIST_FACETS.items()
    ]
    counts: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH matched AS ({matched[0]}) " + " UNION ALL ".join(parts), matched[1])
        for facet, value, count in cursor.fetchall():
            counts.setdefault(facet, {})[value] = count
    return counts


def browse_ids(queryset, limit: int, offset: int) -> list[int]:
    """No query: the newest items first."""
    return list(
        queryset.order_by("-happened_at", "-id").values_list("id", flat=True)[
            offset : offset + limit
        ]
    )


__all__ = ["SearchItem"]
