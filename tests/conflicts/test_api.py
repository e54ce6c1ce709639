"""The conflicts API: the list and its filters, one conflict, the statistics lead's
acknowledgement and its refusals, check-conflicts saving nothing, bad design input named
by its rule, and query counts that do not grow with the rows."""

import datetime

import pytest

from apps.conflicts import services
from apps.conflicts.models import Conflict, ConflictStatus, Kind, Severity
from apps.experiments.models import Experiment

from . import factories as f

C = "/api/v1/conflicts/"


@pytest.fixture
def collision(demo):
    a, b = f.pair(demo)
    services.conflicts_scan(notify=False)
    return a, b, Conflict.objects.get(kind=Kind.SURFACE_COLLISION)


def test_the_list_gives_each_conflict_with_its_explanation_and_remedy(api_as, collision):
    a, b, conflict = collision

    body = api_as("sofia").get(C).json()

    assert body["count"] == 2
    row = next(r for r in body["results"] if r["id"] == conflict.pk)
    assert row["kind"] == "surface_collision"
    assert row["severity"] == "blocking"
    assert {row["experiment_a"]["id"], row["experiment_b"]["id"]} == {a.pk, b.pk}
    assert row["explanation"] == conflict.explanation
    assert row["remedy"] == conflict.remedy
    assert row["status"] == "open"
    assert row["interaction"] is None


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"kind": "surface_collision"}, 1),
        ({"kind": "shared_primary_metric"}, 1),
        ({"severity": "blocking"}, 1),
        ({"status": "resolved"}, 0),
        ({"status": "open"}, 2),
    ],
)
def test_the_list_filters(api_as, collision, params, count):
    assert api_as("sofia").get(C, params).json()["count"] == count


def test_the_list_filters_by_surface_layer_group_and_experiment(api_as, demo, collision):
    a, _, _ = collision
    other = f.surface(demo, "Search results")
    layer = f.layer(demo)
    client = api_as("sofia")

    assert client.get(C, {"surface": f.surface(demo).pk}).json()["count"] == 2
    assert client.get(C, {"surface": other.pk}).json()["count"] == 0
    assert client.get(C, {"layer": layer.pk}).json()["count"] == 0
    assert client.get(C, {"working_group": demo.group.pk}).json()["count"] == 2
    assert client.get(C, {"experiment": a.pk}).json()["count"] == 2


def test_an_unknown_filter_value_is_a_400_naming_it(api_as, collision):
    response = api_as("sofia").get(C, {"kind": "meteor"})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["kind"]


def test_the_list_costs_the_same_queries_for_two_conflicts_or_forty(
    api_as, demo, collision, django_assert_num_queries
):
    client = api_as("sofia")
    client.get(C)
    with django_assert_num_queries(2):  # the count and the page, visibility as subqueries
        assert client.get(C).status_code == 200
    for n in range(5):
        f.in_review(demo, title=f"Test {n}", key=f"t-{n}")
    services.conflicts_scan(notify=False)
    assert Conflict.objects.count() >= 40
    with django_assert_num_queries(2):  # the count and the page, visibility as subqueries
        assert client.get(C).status_code == 200


def test_the_statistics_lead_acknowledges_with_a_reason(api_as, demo, collision):
    _, _, conflict = collision

    response = api_as("marco").post(f"{C}{conflict.pk}/acknowledge/",
                                    {"reason": "Shipped together."}, format="json")  # fmt: skip

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "acknowledged"
    assert body["acknowledgement"] == "Shipped together."
    assert body["acknowledged_by"] == demo.users["marco"].pk


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_acknowledging_without_a_reason_is_a_400_naming_the_reason(api_as, collision, data):
    _, _, conflict = collision

    response = api_as("marco").post(f"{C}{conflict.pk}/acknowledge/", data, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason"]
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


def test_a_member_acknowledging_gets_a_403_and_nothing_changes(api_as, collision):
    _, _, conflict = collision

    response = api_as("aisha").post(f"{C}{conflict.pk}/acknowledge/", {"reason": "Mine."},
                                    format="json")  # fmt: skip

    assert response.status_code == 403
    assert "statistics lead" in response.json()["detail"]
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN and conflict.acknowledgement == ""


def test_check_conflicts_answers_what_a_launch_would_face_and_saves_nothing(
    api_as, demo, collision
):
    a, _b, conflict = collision
    before = list(Conflict.objects.order_by("pk").values())
    experiments_before = list(Experiment.objects.order_by("pk").values())

    response = api_as("sofia").post(f"/api/v1/experiments/{a.pk}/check-conflicts/")

    body = response.json()
    assert response.status_code == 200
    assert body["experiment"] == a.pk
    assert body["blocking"] == 1
    kinds = {r["kind"]: r for r in body["conflicts"]}
    assert set(kinds) == {"surface_collision", "shared_primary_metric"}
    assert kinds["surface_collision"]["explanation"] == conflict.explanation
    assert kinds["surface_collision"]["acknowledged"] is False
    assert list(Conflict.objects.order_by("pk").values()) == before
    assert list(Experiment.objects.order_by("pk").values()) == experiments_before


def test_check_conflicts_counts_an_acknowledged_conflict_as_not_blocking(api_as, demo, collision):
    a, _, conflict = collision
    services.conflict_acknowledge(actor=demo.users["marco"], conflict=conflict, reason="Fine.")

    body = api_as("sofia").post(f"/api/v1/experiments/{a.pk}/check-conflicts/").json()

    assert body["blocking"] == 0


def test_check_conflicts_on_a_draft_saves_nothing(api_as, demo):
    a = f.in_review(demo, title="Guest checkout", key="guest-checkout")
    draft = f.ef.design(demo, "lena", surfaces=[f.surface(demo)], title="Draft",
                        data_source=f.ef.source(demo, name="Checkout warehouse"))  # fmt: skip

    body = api_as("lena").post(f"/api/v1/experiments/{draft.pk}/check-conflicts/").json()

    assert [r["kind"] for r in body["conflicts"] if r["kind"] == "surface_collision"] == [
        "surface_collision"
    ]
    assert a.pk in {body["conflicts"][0]["experiment_a"], body["conflicts"][0]["experiment_b"]}
    assert not Conflict.objects.exists()


# --- bad design input: a 400 naming the rule, nothing saved ------------------------------


@pytest.mark.parametrize(
    ("audience", "words"),
    [
        ([{"attribute": "star_sign", "operator": "in", "values": ["leo"]}], "Unknown attribute"),
        ([{"attribute": "platform", "operator": "in", "values": ["fax"]}], "is not a value"),
    ],
)
def test_an_audience_outside_the_catalogue_is_a_400_naming_the_rule(api_as, demo, audience, words):
    exp = f.ef.design(demo)

    response = api_as("aisha").patch(f"/api/v1/experiments/{exp.pk}/", {"audience": audience},
                                     format="json")  # fmt: skip

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["audience"]
    assert words in response.json()["fields"]["audience"][0]
    exp.refresh_from_db()
    assert exp.audience == []


def test_an_unknown_audience_operator_is_a_400_naming_it(api_as, demo):
    exp = f.ef.design(demo)

    response = api_as("aisha").patch(
        f"/api/v1/experiments/{exp.pk}/",
        {"audience": [{"attribute": "country", "operator": "near", "values": ["DE"]}]},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["audience.0.operator"]


def test_an_end_before_the_start_is_a_400_naming_the_end(api_as, demo):
    exp = f.ef.design(demo)
    start = exp.planned_start

    response = api_as("aisha").patch(
        f"/api/v1/experiments/{exp.pk}/",
        {"planned_end": str(start - datetime.timedelta(days=1))}, format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["planned_end"]


def test_a_layer_share_above_100_percent_is_a_400_naming_it(api_as, demo):
    exp = f.ef.design(demo, layer=f.layer(demo))

    response = api_as("aisha").patch(f"/api/v1/experiments/{exp.pk}/", {"layer_share": 120},
                                     format="json")  # fmt: skip

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["layer_share"]
    exp.refresh_from_db()
    assert exp.layer_share == 100


def test_a_layer_promised_beyond_100_percent_in_review_is_refused(api_as, demo):
    layer = f.layer(demo)
    f.in_review(demo, title="Seventy", key="seventy", layer=layer, layer_share=70)
    exp = f.ef.design(demo, "lena", layer=layer, layer_share=50)

    response = api_as("lena").post(f"/api/v1/experiments/{exp.pk}/transition/",
                                   {"action": "submit"}, format="json")  # fmt: skip

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["layer_share"]
    exp.refresh_from_db()
    assert exp.status == "draft"


def test_severity_is_one_of_the_engines(collision):
    _, _, conflict = collision
    assert conflict.severity in Severity.values
