"""Facet values with their labels and counts, in the order the page lists them."""

from apps.accounts.models import BusinessUnit
from apps.knowledge.models.search import Kind, Outcome

from .results import FACETS, FacetValue, Filters, Results


def _label(facet: str, value: str, units: dict[str, str]) -> str:
    if facet == "kind" and value in Kind.values:
        return Kind(value).label
    if facet == "outcome" and value in Outcome.values:
        return Outcome(value).label
    if facet == "business_unit":
        return units.get(value, value)
    if facet == "status":
        return value.replace("_", " ").capitalize()
    return value


def build(counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    unit_ids = [int(v) for v in counts.get("business_unit", {}) if v.isdigit()]
    units = {
        str(pk): name
        for pk, name in BusinessUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name")
    }
    facets = {}
    for facet in FACETS:
        values = counts.get(facet, {})
        ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
        if facet == "year":
            ordered = sorted(values.items(), key=lambda kv: kv[0], reverse=True)
        facets[facet] = [FacetValue(str(v), _label(facet, str(v), units), n) for v, n in ordered]
    return facets


def mark_chosen(results: Results, filters: Filters) -> Results:
    """Mark the chosen facet values, and keep a chosen value listed even at zero."""
    for name, value in filters.chosen().items():
        values = results.facets.setdefault(name, [])
        for facet_value in values:
            facet_value.selected = facet_value.value == str(value)
        if not any(v.selected for v in values):
            values.insert(0, FacetValue(str(value), str(value), 0, True))
    return results
