"""Search on SQLite, the embedded development database: a simpler ranking in Python.

An item matches when any meaningful query word occurs in it (case-insensitive substring, so
partial words match too); its score weighs where each word occurs like PostgreSQL's weights
(title 1.0, statement 0.4, learnings and decisions 0.2, the rest 0.1). Exclusions drop
items. Facets are counted over the matches. Fine for a development database of a few
thousand items; CI and production run the PostgreSQL path.
"""

from django.db.models import Q

from . import facets
from .parse import ParsedQuery
from .results import LIST_FACETS, Filters, Hit, Results
from .snippets import plain_snippet

_FIELDS = (("title", 1.0), ("statement", 0.4), ("text_c", 0.2), ("body", 0.1))
_COLUMNS = ("id", "kind", "object_id", "title", "statement", "text_c", "body", "outcome", "lift",
            "lift_low", "lift_high", "url", "status", "surfaces", "metrics", "tags", "year",
            "business_unit_id")  # fmt: skip


def search(
    user, query: ParsedQuery, filters: Filters, queryset, limit: int, offset: int
) -> Results:
    words = query.content_words
    if query.words and not words and not query.phrases:
        return Results(query.text, [], 0, {}, "lexical")
    terms = query.phrases + [w for w in words if not any(w in p.split() for p in query.phrases)]
    if terms:
        condition = Q()
        for term in terms:
            for name, _ in _FIELDS:
                condition |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(condition)
    rows = [row for row in queryset.values(*_COLUMNS) if _keeps(row, filters, query)]
    scored = [(_score(row, terms), row) for row in rows]
    if terms:
        scored.sort(key=lambda pair: (-pair[0], -pair[1]["id"]))
    else:
        scored.sort(key=lambda pair: -pair[1]["id"])
    counts = _facet_counts([row for _, row in scored])
    hits = [_hit(row, score, terms) for score, row in scored[offset : offset + limit]]
    return Results(query.text, hits, len(scored), facets.build(counts), "lexical")


def _keeps(row: dict, filters: Filters, query: ParsedQuery) -> bool:
    for name, column in LIST_FACETS.items():
        wanted = getattr(filters, name)
        if wanted and wanted not in (row[column] or []):
            return False
    text = " ".join(str(row[name] or "") for name, _ in _FIELDS).lower()
    return not any(word in text for word in query.excluded)


def _score(row: dict, terms: list[str]) -> float:
    score = 0.0
    for term in terms:
        for name, weight in _FIELDS:
            if term in (row[name] or "").lower():
                score += weight
    return score


def _facet_counts(rows: list[dict]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}

    def add(facet: str, value) -> None:
        if value in (None, ""):
            return
        bucket = counts.setdefault(facet, {})
        bucket[str(value)] = bucket.get(str(value), 0) + 1

    for row in rows:
        for facet in ("kind", "outcome", "status", "year"):
            add(facet, row[facet])
        add("business_unit", row["business_unit_id"])
        for facet, column in LIST_FACETS.items():
            for value in set(row[column] or []):
                add(facet, value)
    return counts


def _hit(row: dict, score: float, terms: list[str]) -> Hit:
    text = row["statement"] or row["text_c"] or row["body"]
    return Hit(
        id=row["id"], kind=row["kind"], object_id=row["object_id"], title=row["title"],
        snippet=plain_snippet(text, terms), score=round(score, 6), outcome=row["outcome"],
        lift=row["lift"], lift_low=row["lift_low"], lift_high=row["lift_high"], url=row["url"],
        status=row["status"], surfaces=row["surfaces"] or [], metrics=row["metrics"] or [],
        tags=row["tags"] or [], year=row["year"],
    )  # fmt: skip
