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
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction

from apps.knowledge.models.search import SearchItem

from .parse import ParsedQuery
from .synonyms import synonyms_of

ENOUGH = 5
# A query matching more rows than this ranks, counts and facets CAP of them: ranking reads
# every ranked row's whole document, and a common word ("checkout") matches half of a large
# index. The CAP are drawn first from the rows whose title or statement match (the small
# `head_vector`, GIN-indexed), which are the ones the weights rank first; the page says
# more matched.
CAP = 300
# How many of the matches get the full score (see `ranked_ids`).
PRERANK = 100
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A
# Trigram similarity floor for correction candidates; the edit distance decides.
TRIGRAM_FLOOR = 0.2
_COLUMNS = (
    "kind, object_id, title, outcome, lift, lift_low, lift_high, url, status, surfaces, metrics, "
    "tags, year"
)

# What facets count: the matched rows carry only these (not the documents) into the CTE.
FACET_COLUMNS = ", ".join(
    f"knowledge_searchitem.{c}"
    for c in ("id", "kind", "outcome", "status", "year", "business_unit_id", "surfaces",
              "metrics", "tags")
)  # fmt: skip

SQL = tuple[str, list]


@dataclass
class QueryPlan:
    strict: SQL
    expanded: SQL | None = None
    relaxed: SQL | None = None
    own_words: SQL | None = None  # OR of the person's own words: what ranks first
    corrections: dict[str, list[str]] = field(default_factory=dict)
    # The expanded and relaxed queries without prefixes, for the title-and-statement
    # candidates of a broad match (`matches`).
    expanded_head: SQL | None = None
    relaxed_head: SQL | None = None
    # The strict query matches any of the words (the similar-items lookup).
    strict_is_any: bool = False

    def passes(self) -> list[tuple[str, SQL, SQL, bool]]:
        """(name, query, query for head_vector, matches any word), tightest first."""
        found = [("", self.strict, self.strict, self.strict_is_any)]
        if self.expanded is not None and self.relaxed is not None:
            found.append(("expanded", self.expanded, self.expanded_head or self.expanded, False))
            found.append(("relaxed", self.relaxed, self.relaxed_head or self.relaxed, True))
        return found


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


def corrections_for(words: list[str]) -> tuple[dict[str, list[str]], set[str]]:
    """Known words close to each unknown query word (misspellings and completions), and
    the query words the index does not hold.

    One query: for each word the index does not hold, the nearest known words by trigram
    distance (served by the trigram GIN index on the terms, with a low similarity floor so
    a swapped pair of letters still qualifies), and two words it is the start of. The
    near words are then kept only within an edit distance of 1 (short words) or 2, with
    transpositions counted as one edit.
    """
    if not words:
        return {}, set()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [TRIGRAM_FLOOR])
        cursor.execute(
            """
            SELECT q.w, t.word, t.near
            FROM unnest(%s::text[]) AS q(w)
            LEFT JOIN LATERAL (
                (SELECT word, true AS near FROM knowledge_searchterm
                 WHERE word %% q.w ORDER BY word <-> q.w LIMIT 8)
                UNION ALL
                (SELECT word, false FROM knowledge_searchterm
                 WHERE length(q.w) >= 4 AND word LIKE q.w || '%%' AND word <> q.w
                 ORDER BY length(word), word LIMIT 2)
            ) AS t ON true
            WHERE NOT EXISTS (SELECT 1 FROM knowledge_searchterm k WHERE k.word = q.w)
            """,
            [words],
        )
        rows = cursor.fetchall()
    found: dict[str, list[str]] = {}
    for word, term, near in rows:
        if term is None:
            continue
        if near and edit_distance(word, term) > (1 if len(word) <= 4 else 2):
            continue
        terms = found.setdefault(word, [])
        if term not in terms and len(terms) < 3:
            terms.append(term)
    return found, {row[0] for row in rows}


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
    corrections, unknown = corrections_for(words)
    groups, head_groups = [], []
    for word in words:
        alternatives = [_word(word)]
        alternatives += [_word(term) for term in corrections.get(word, [])]
        alternatives += [_phrase(term) for term in synonyms_of(word)]
        head_groups.append(_or(alternatives))
        # A word the index does not hold may be the start of one ("sustainab"). A word it
        # holds is matched as such (stemmed): a prefix of a common word makes the GIN index
        # gather every word it starts, several times the cost of the word itself.
        if len(word) >= 4 and word in unknown:
            alternatives.append(_prefix(word))
        groups.append(_or(alternatives))
    own = _or([_word(word) for word in words])
    return QueryPlan(
        strict=strict,
        expanded=_and(groups),
        relaxed=_or(groups),
        own_words=own,
        corrections=corrections,
        expanded_head=_and(head_groups),
        relaxed_head=_or(head_groups),
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
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:  # someone who may read nothing
        return "FALSE", []
    return sql, list(params)


@contextmanager
def _through_the_index():
    """A cursor whose queries find matches through the GIN index (a bitmap scan).

    With a LIMIT, PostgreSQL may prefer reading the table until enough rows match, which
    pays off only when its estimate of how many match is right; for a tsquery it can be
    far off (two common words that never occur together), and the scan then reads and
    tests every document. The index costs a few milliseconds however rare the words.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        yield cursor


def _ids(ids: list[int]) -> SQL:
    return "knowledge_searchitem.id = ANY(%s)", [ids]


def _matching(cursor, where: SQL, column: str, tsquery: SQL, limit: int) -> list[int]:
    cursor.execute(
        "SELECT knowledge_searchitem.id FROM knowledge_searchitem "
        f"WHERE {where[0]} AND knowledge_searchitem.{column} @@ {tsquery[0]} LIMIT %s",
        [*where[1], *tsquery[1], limit],
    )
    return [row[0] for row in cursor.fetchall()]


def matches(where: SQL, query_plan: QueryPlan, cap: int | None = None) -> tuple[str, SQL, bool]:
    """The tightest pass that finds `ENOUGH` items (the loosest one otherwise), and the rows
    to rank and count: (pass name, the rows as a condition on ids, more matched).

    Each pass reads up to cap + 1 matching ids through the index, in whatever order the
    bitmap gives; so the pass chosen has its matches read already. With cap or fewer they
    are every match. With more, the candidates are the matches whose title or statement
    match (`head_vector`'s own, small index), topped up with other matches: neither way
    reads the rest of a common word's rows.
    """
    cap = CAP if cap is None else cap
    passes = query_plan.passes()
    with _through_the_index() as cursor:
        for chosen in passes:
            if chosen[3]:
                # Any of several words: PostgreSQL's estimate of how many rows match holds
                # (it adds up the words' frequencies), and when they are common, reading
                # rows until cap + 1 match is far cheaper than the union of their indexes.
                cursor.execute("SET LOCAL enable_seqscan = on")
            found = _matching(cursor, where, "search_vector", chosen[1], cap + 1)
            if len(found) >= ENOUGH:
                break
        name, _, head, _ = chosen
        if len(found) <= cap:
            return name, _ids(found), False
        top = _matching(cursor, where, "head_vector", head, cap)
    return name, _ids(list(dict.fromkeys(top + found))[:cap]), True


def matched_sql(where: SQL, extra_ids: list[int] | None = None) -> SQL:
    """The matching rows' facet columns, for facets and counts (and semantic extras)."""
    condition, params = where[0], list(where[1])
    if extra_ids:
        condition = f"({condition} OR knowledge_searchitem.id = ANY(%s))"
        params.append(extra_ids)
    return f"SELECT {FACET_COLUMNS} FROM knowledge_searchitem WHERE {condition}", params


def _prerank(query_plan: QueryPlan) -> SQL:
    """A cheap first ordering: the person's words in the title and statement (the small
    `head_vector`) and the bonuses for matching the strict and expanded queries, which a
    GIN-matched row answers without ranking its whole document."""
    v, head = "knowledge_searchitem.search_vector", "knowledge_searchitem.head_vector"
    strict_sql, strict_params = query_plan.strict
    own_sql, own_params = query_plan.own_words or query_plan.strict
    sql = (
        f"ts_rank_cd('{WEIGHTS}', {head}, {own_sql}, 1) "
        f"+ CASE WHEN {v} @@ {strict_sql} THEN 1 ELSE 0 END"
    )
    params = [*own_params, *strict_params]
    if query_plan.expanded is not None:
        sql += f" + CASE WHEN {v} @@ {query_plan.expanded[0]} THEN 0.5 ELSE 0 END"
        params += query_plan.expanded[1]
    return sql, params


def ranked_ids(where: SQL, query_plan: QueryPlan, text: str, limit: int) -> list[tuple[int, float]]:
    """The best `limit` matching rows: (index row id, score), best first.

    The full score reads each row's whole document, several times; so it is computed for
    the PRERANK rows that order first on `_prerank` only (every match, when that few).
    """
    score_sql, score_params = _score(query_plan, text)
    prerank_sql, prerank_params = _prerank(query_plan)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT knowledge_searchitem.id, {score_sql} AS score FROM knowledge_searchitem "
            "WHERE knowledge_searchitem.id IN ("
            f"SELECT knowledge_searchitem.id FROM knowledge_searchitem "
            f"WHERE {where[0]} "
            f"ORDER BY {prerank_sql} DESC, knowledge_searchitem.id LIMIT %s) "
            "ORDER BY score DESC, knowledge_searchitem.id LIMIT %s",
            [*score_params, *where[1], *prerank_params, PRERANK, limit],
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


def browse_counts(user) -> dict[str, dict[str, int]]:
    """Every facet's counts over all a person may read, from the counts the database keeps
    per visibility partition (`FacetCount`): browsing never reads the index's rows."""
    from django.db.models import Sum

    from apps.knowledge.models.facets import FacetCount
    from apps.knowledge.models.search import readable_partitions

    readable = readable_partitions(user)
    if readable is None:
        return {}
    counts: dict[str, dict[str, int]] = {}
    rows = (
        FacetCount.objects.filter(readable)
        .values_list("facet", "value")
        .annotate(total=Sum("n"))
        .filter(total__gt=0)
        .order_by()
    )
    for facet, value, total in rows:
        counts.setdefault(facet, {})[value] = total
    return counts


def browse_ids(queryset, limit: int, offset: int) -> list[int]:
    """No query: the newest items first, undated ones last (the order of the
    search_item_newest index, so a page is read from it rather than sorting every row)."""
    from django.db.models import F

    newest = queryset.order_by(F("happened_at").desc(nulls_last=True), "-id")
    return list(newest.values_list("id", flat=True)[offset : offset + limit])


__all__ = ["SearchItem"]
