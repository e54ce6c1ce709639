"""The meta-analysis over the demo's first past experiments (the test settings seed eight):
velocity, win rate, the histogram, the winner's-curse correction, filters, the API's shape."""

import datetime

import pytest
from rest_framework.test import APIClient

from apps.knowledge.api.meta import MetaAnalysisSerializer
from apps.knowledge.demo import catalogue, seed_knowledge
from apps.knowledge.meta import MetaFilters, meta_analysis

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo):
    seed_knowledge(demo)
    return list(catalogue())


def _api(demo, who="tomas"):
    api = APIClient()
    api.force_authenticate(demo.users[who])
    return api


def test_it_counts_what_concluded_and_what_won(demo, seeded):
    data = meta_analysis(demo.users["tomas"], MetaFilters())

    expected_wins = sum(e.decision == "ship" and e.outcome == "won" for e in seeded)
    assert data["concluded"] == len(seeded) == 8
    assert data["win_rate"]["wins"] == expected_wins
    assert data["win_rate"]["rate"] == pytest.approx(expected_wins / len(seeded))
    assert sum(v["concluded"] for v in data["velocity"]) == len(seeded)
    assert sum(b["count"] for b in data["histogram"]["bins"]) == len(seeded)
    quarters = {v["quarter"] for v in data["velocity"]}
    assert quarters <= {f"{e.year}-Q{e.quarter}" for e in seeded} | {
        f"{e.year}-Q{e.quarter + 1}" for e in seeded} | {f"{e.year + 1}-Q1" for e in seeded}  # fmt: skip


def test_lower_is_better_lifts_count_as_improvements_when_they_fall(demo, seeded):
    data = meta_analysis(demo.users["tomas"], MetaFilters())

    rows = {r["key"]: r for r in data["experiments"]}
    # Free delivery from €39 lost on revenue per visitor (higher is better): negative.
    assert rows["free-delivery-threshold-39"]["lift"] < 0
    assert rows["pdp-delivery-cost"]["lift"] == pytest.approx(0.041, abs=0.004)


def test_the_correction_shrinks_each_shipped_lift_towards_the_prior_mean(demo, seeded):
    data = meta_analysis(demo.users["tomas"], MetaFilters())

    prior = data["program_prior"]
    assert prior is not None and prior["k"] == 8 and prior["tau2"] >= 0
    shipped = [item for block in data["impact"] for item in block["items"]]
    assert len(shipped) == sum(e.decision == "ship" for e in seeded)
    for item in shipped:
        low, high = sorted((item["lift"], prior["mean"]))
        assert low - 1e-12 <= item["shrunk"] <= high + 1e-12
        assert item["shrunk_low"] < item["shrunk"] < item["shrunk_high"]
    for block in data["impact"]:
        # Fewer than six on each metric here: the program-wide prior corrects them.
        assert block["prior_scope"] == "program" and block["prior"] is None
        assert block["corrected_total"] == pytest.approx(sum(i["shrunk"] for i in block["items"]))
    # The winners' corrected total is below their raw total: the winner's curse.
    assert sum(b["corrected_total"] for b in data["impact"]) < sum(
        b["raw_total"] for b in data["impact"]
    )


def test_fewer_than_six_experiments_claim_no_correction(demo, seeded):
    first = seeded[0]
    data = (
        _api(demo)
        .get("/api/v1/meta-analysis/", {"quarter": f"{first.year}-Q{first.quarter}"})
        .json()
    )

    assert data["concluded"] < 6
    assert data["program_prior"] is None
    assert all(b["corrected_total"] is None and b["prior_scope"] is None for b in data["impact"])


def test_filters_narrow_by_business_unit_and_quarter(demo, seeded):
    api = _api(demo)

    commerce = api.get("/api/v1/meta-analysis/", {"business_unit": "commerce"}).json()
    science = api.get("/api/v1/meta-analysis/", {"business_unit": "data-science"}).json()
    group = api.get("/api/v1/meta-analysis/", {"group": demo.group.slug}).json()

    assert commerce["concluded"] == sum(e.unit == "commerce" for e in seeded)
    assert science["concluded"] == sum(e.unit == "data-science" for e in seeded)
    assert group["concluded"] == len(seeded)
    assert commerce["filters"] == {"group": None, "business_unit": "commerce", "quarter": None}


@pytest.mark.parametrize("params,field", [
    ({"quarter": "2025-Q5"}, "quarter"),
    ({"quarter": "last year"}, "quarter"),
    ({"group": "not-mine"}, "group"),
    ({"business_unit": "nope\x00"}, "business_unit"),
])  # fmt: skip
def test_a_bad_filter_is_a_400_naming_it(demo, params, field):
    response = _api(demo).get("/api/v1/meta-analysis/", params)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_the_response_matches_its_declared_schema(demo, seeded):
    payload = _api(demo).get("/api/v1/meta-analysis/").json()

    serializer = MetaAnalysisSerializer(data=payload)
    assert serializer.is_valid(), serializer.errors
    assert set(payload) == set(MetaAnalysisSerializer().fields)


def test_the_page_shows_the_figures_and_the_prior(
    client, demo, seeded, django_assert_max_num_queries
):
    client.force_login(demo.users["sofia"])

    with django_assert_max_num_queries(12):
        page = client.get("/knowledge/meta-analysis/")

    text = page.content.decode()
    assert page.status_code == 200
    for testid in ("meta-velocity", "meta-win-rate", "meta-histogram", "meta-impact", "meta-prior"):
        assert f'data-testid="{testid}"' in text
    assert "Order conversion" in text and "<svg" in text


def test_velocity_counts_each_quarter_by_conclusion(demo, seeded):
    from apps.experiments.models import Experiment

    Experiment.objects.filter(key=seeded[0].key).update(
        concluded_at=datetime.datetime(2021, 5, 1, tzinfo=datetime.UTC)
    )

    data = meta_analysis(demo.users["tomas"], MetaFilters())

    assert data["velocity"][0] == {"quarter": "2021-Q2", "concluded": 1,
                                   "shipped": int(seeded[0].decision == "ship"),
                                   "won": int(seeded[0].outcome == "won")}  # fmt: skip
