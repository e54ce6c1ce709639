"""GET /api/v1/search/ and /api/v1/search/similar/: shapes, bad input, permissions."""

import pytest

from apps.knowledge.models.search import Kind, StakeholderAccess

from .search_helpers import doc, put
from .test_search import ODD_QUERIES


@pytest.fixture
def items(demo):
    put(Kind.EXPERIMENT,
        doc(demo.group, "Free shipping threshold at €39", statement="Minimum order for free "
            "delivery", outcome="lost", lift=-0.012, lift_low=-0.03, lift_high=0.004,
            surfaces=["Checkout page"], year=2024),
        doc(demo.group, "Secret shipping price test", stakeholders=StakeholderAccess.NONE,
            outcome="won", surfaces=["Checkout page"]),
    )  # fmt: skip
    return demo


def test_it_returns_kind_id_title_snippet_score_outcome_lift_and_url(api_as, items):
    body = api_as("lena").get("/api/v1/search/", {"q": "free shipping"}).json()
    first = body["results"][0]
    assert first["kind"] == "experiment" and first["title"] == "Free shipping threshold at €39"
    assert first["outcome"] == "lost" and first["lift"] == -0.012
    assert first["url"] and first["score"] > 0 and "<mark>" in first["snippet"]
    assert set(body["facets"]) == {"kind", "outcome", "status", "business_unit", "surface",
                                   "metric", "tag", "year"}  # fmt: skip


def test_facet_filters_narrow_the_results(api_as, items):
    client = api_as("lena")
    assert client.get("/api/v1/search/", {"q": "shipping"}).json()["total"] == 2
    narrowed = client.get("/api/v1/search/", {"q": "shipping", "outcome": "lost"}).json()
    assert [r["title"] for r in narrowed["results"]] == ["Free shipping threshold at €39"]


def test_a_stakeholder_neither_finds_nor_counts_a_confidential_item(api_as, items):
    body = api_as("sofia").get("/api/v1/search/", {"q": "shipping"}).json()
    assert [r["title"] for r in body["results"]] == ["Free shipping threshold at €39"]
    assert body["total"] == 1
    assert {f["value"]: f["count"] for f in body["facets"]["outcome"]} == {"lost": 1}
    similar = api_as("sofia").get("/api/v1/search/similar/", {"text": "shipping price"}).json()
    assert "Secret shipping price test" not in [r["title"] for r in similar["results"]]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
def test_odd_input_is_a_normal_answer_never_a_500(api_as, items, query):
    client = api_as("lena")
    assert client.get("/api/v1/search/", {"q": query}).status_code == 200
    assert client.get("/api/v1/search/similar/", {"text": query}).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 4001}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"outcome": "great"}, "outcome"),
        ({"kind": "poem"}, "kind"),
        ({"year": "last"}, "year"),
        ({"page": "0"}, "page"),
        ({"business_unit": "-3"}, "business_unit"),
        ({"surface": "s" * 121}, "surface"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(api_as, items, params, field):
    response = api_as("lena").get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_too_long_similar_text_is_a_400(api_as, items):
    response = api_as("lena").get("/api/v1/search/similar/", {"text": "x" * 4001})
    assert response.status_code == 400 and "text" in response.json()["fields"]
