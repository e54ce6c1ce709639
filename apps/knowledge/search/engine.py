"""One search: visibility and filters, the lexical passes, the semantic blend, facets, a page.

Everything a person cannot read is out of the queryset before any text is matched, so
results, counts and facets never include it (`SearchItem.objects.visible_to`).
"""

from typing import Any

from django.db import connection

from apps.knowledge.models.search import SearchItem

from . import blend, facets, fallback, postgres
from .parse import ParsedQuery, parse
from .results import Filters, Hit, Results
from .snippets import marked, plain_snippet

# How many lexical and semantic candidates the blend ranks together.
CANDIDATES = 50
# Below this cosine a semantic neighbour is not the same topic.
SEMANTIC_MIN_SCORE = 0.35


def filtered(user, filters: Filters):
    queryset = SearchItem.objects.visible_to(user)
    for name in ("kind", "outcome", "status", "year"):
        if getattr(filters, name) not in ("", None):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    if filters.business_unit is not None:
        queryset = queryset.filter(business_unit_id=filters.business_unit)
    if connection.vendor == "postgresql":
        for name, column in (("surface", "surfaces"), ("metric", "metrics"), ("tag", "tags")):
            if getattr(filters, name):
                queryset = queryset.filter(**{f"{column}__contains": [getattr(filters, name)]})
    return queryset


def semantic_on() -> bool:
    from apps.knowledge import semantic

    return semantic.available()


def search(
    user,
    q: str | None,
    filters: Filters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    semantic: bool | None = None,
) -> Results:
    filters = filters or Filters()
    query = parse(q)
    use_semantic = (semantic_on() if semantic is None else semantic) and not query.is_empty
    if connection.vendor != "postgresql":
        results = fallback.search(user, query, filters, filtered(user, filters), limit, offset)
        return facets.mark_chosen(results, filters)
    queryset = filtered(user, filters)
    where = postgres.where_of(queryset)
    if query.is_empty:
        counts = (
            postgres.browse_counts(user)
            if filters == Filters()
            else postgres.facet_counts(postgres.matched_sql(where))
        )
        return facets.mark_chosen(_browse(queryset, query, counts, limit, offset), filters)
    if not query.content_words and not query.phrases:
        return facets.mark_chosen(Results(query.text, [], 0, {}, "lexical"), filters)
    plan = postgres.plan(query)
    matched_by, where, more = postgres.matches(where, plan)
    lexical = postgres.ranked_ids(where, plan, query.text, CANDIDATES + offset + limit)
    mode, ranked, extra = "lexical", lexical, []
    if use_semantic and not query.advanced:
        neighbours = _semantic(user, query, queryset)
        ranked = blend.fuse(lexical, neighbours)
        extra = [pk for pk, _ in neighbours]
        mode = "blended"
    matched = postgres.matched_sql(where, extra)
    counts = postgres.facet_counts(matched)
    total = sum(counts.get("kind", {}).values())
    page = ranked[offset : offset + limit]
    headline = plan.relaxed or plan.strict
    rows = postgres.page_rows([pk for pk, _ in page], headline)
    hits = [_hit(rows[pk], score) for pk, score in page if pk in rows]
    results = Results(
        query.text, hits, total, facets.build(counts), mode, matched_by, plan.corrections, more
    )
    return facets.mark_chosen(results, filters)


def _semantic(user, query: ParsedQuery, queryset) -> list[tuple[int, float]]:
    from apps.knowledge import semantic

    found = semantic.similar_to_text(
        query.text, user=user, k=CANDIDATES, queryset=queryset, min_score=SEMANTIC_MIN_SCORE
    )
    return [(s.item.pk, s.score) for s in found]


def _browse(queryset, query: ParsedQuery, counts, limit: int, offset: int) -> Results:
    ids = postgres.browse_ids(queryset, limit, offset)
    rows = {row["id"]: row for row in _plain_rows(ids)}
    hits = [_hit(rows[pk], 0.0) for pk in ids if pk in rows]
    return Results(
        query.text, hits, sum(counts.get("kind", {}).values()), facets.build(counts), "lexical"
    )


def _plain_rows(ids: list[int]) -> list[dict]:
    rows = list(
        SearchItem.objects.filter(pk__in=ids).values(
            "id",
            "kind",
            "object_id",
            "title",
            "outcome",
            "lift",
            "lift_low",
            "lift_high",
            "url",
            "status",
            "surfaces",
            "metrics",
            "tags",
            "year",
            "statement",
            "text_c",
        )
    )
    plain: list[dict] = []
    for values in rows:
        row: dict[str, Any] = dict(values)
        row["snippet"] = plain_snippet(row.pop("statement") or row.pop("text_c", ""), [])
        row.pop("text_c", None)
        plain.append(row)
    return plain


def _hit(row: dict, score: float) -> Hit:
    snippet = row["snippet"]
    return Hit(
        id=row["id"],
        kind=row["kind"],
        object_id=row["object_id"],
        title=row["title"],
        snippet=snippet if hasattr(snippet, "__html__") else marked(snippet or ""),
        score=round(score, 6),
        outcome=row["outcome"] or "",
        lift=row["lift"],
        lift_low=row["lift_low"],
        lift_high=row["lift_high"],
        url=row["url"],
        status=row["status"] or "",
        surfaces=list(row["surfaces"] or []),
        metrics=list(row["metrics"] or []),
        tags=list(row["tags"] or []),
        year=row["year"],
    )
