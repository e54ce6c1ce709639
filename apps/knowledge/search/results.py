"""What a search returns: filters in, hits and facet counts out (both databases alike)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from apps.knowledge.models.search import Kind, Outcome

# The facets, in the order the page lists them; each reads one column of the index.
FACETS = ("kind", "outcome", "status", "business_unit", "surface", "metric", "tag", "year")
# JSON-list columns: an item counts once under each of its values.
LIST_FACETS = {"surface": "surfaces", "metric": "metrics", "tag": "tags"}
MAX_FILTER_CHARS = 120


@dataclass(frozen=True)
class Filters:
    """One chosen value per facet (blank: not filtered). Validated by the form/serializer."""

    kind: str = ""
    outcome: str = ""
    status: str = ""
    business_unit: int | None = None
    surface: str = ""
    metric: str = ""
    tag: str = ""
    year: int | None = None

    def chosen(self) -> dict[str, Any]:
        return {
            name: getattr(self, name) for name in FACETS if getattr(self, name) not in ("", None)
        }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    id: int  # the index row's
    kind: str
    object_id: int
    title: str
    snippet: SafeString  # escaped text, matches in <mark>
    score: float
    outcome: str
    lift: float | None
    lift_low: float | None
    lift_high: float | None
    url: str
    status: str = ""
    surfaces: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    year: int | None = None

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label if self.kind in Kind.values else self.kind

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label if self.outcome in Outcome.values else ""


@dataclass
class Results:
    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]]
    mode: str  # "lexical" or "blended"
    # The looser pass that found these, when the strict one found too little:
    # "" (strict), "expanded" (typos, partial words, synonyms) or "relaxed" (any word).
    matched_by: str = ""
    corrections: dict[str, list[str]] = field(default_factory=dict)
    # More items matched than were ranked: postgres.CAP of them were, title and statement
    # matches first.
    more: bool = False
