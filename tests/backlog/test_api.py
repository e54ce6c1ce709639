"""The backlog API: ranking, filters, scoring, workflow, frameworks, portfolio, bad input."""

import pytest

from apps.backlog import services
from apps.backlog.models import Hypothesis, Score, ScoringFramework, StatusChange
from tests.accounts.factories import WorkingGroupFactory
from tests.backlog.factories import HypothesisFactory

pytestmark = pytest.mark.django_db

H = "/api/v1/hypotheses/"
FW = "/api/v1/scoring-frameworks/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def three(propose, ice_score):
    """Three hypotheses: best scored, worse scored, unscored (oldest to newest)."""
    low = propose("lena", title="Low", category="foundational")
    high = propose("tomas", title="High", tags=["search"])
    unscored = propose("aisha", title="Unscored")
    ice_score("tomas", low, 3, 3, 3)
    ice_score("tomas", high, 9, 8, 7)
    ice_score("aisha", high, 7, 8, 9)
    return high, low, unscored


# --- ranking and filters -----------------------------------------------------------------


def test_it_ranks_by_score_with_unscored_last(api_as, three):
    high, low, unscored = three
    response = api_as("lena").get(H)
    assert response.status_code == 200
    assert ids(response) == [high.pk, low.pk, unscored.pk]
    first = response.json()["results"][0]
    assert first["score"] == pytest.approx(8.0)
    assert first["score_median"] == pytest.approx(8.0)
    assert first["scorer_count"] == 2
    assert first["scored_by_me"] is False
    assert first["allowed_transitions"] == ["accepted", "parked", "rejected"]


def test_unscored_stays_last_whichever_way_it_is_ordered(api_as, three):
    high, low, unscored = three
    assert ids(api_as("lena").get(H, {"ordering": "score"})) == [low.pk, high.pk, unscored.pk]
    assert ids(api_as("lena").get(H, {"ordering": "-score"})) == [high.pk, low.pk, unscored.pk]


def test_it_says_which_hypotheses_you_have_scored(api_as, three):
    rows = api_as("tomas").get(H).json()["results"]
    assert [r["scored_by_me"] for r in rows] == [True, True, False]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "foundational"}, ["Low"]),
        ({"tag": "search"}, ["High"]),
        ({"q": "unscored"}, ["Unscored"]),
        ({"status": "accepted"}, []),
        ({"status": ["proposed", "accepted"], "ordering": "title"}, ["High", "Low", "Unscored"]),
        ({"scored_by_me": "false"}, ["Unscored"]),
        ({"open": "true", "ordering": "title"}, ["High", "Low", "Unscored"]),
    ],
)
def test_it_filters_like_the_page(api_as, three, params, expected):
    rows = api_as("tomas").get(H, params).json()["results"]
    assert [r["title"] for r in rows] == expected


def test_it_filters_by_owner_and_business_unit(api_as, propose, demo):
    propose("lena", title="Commerce one", business_unit=demo.units["commerce"])
    propose("tomas", title="Tomás's")
    by_owner = api_as("sofia").get(H, {"owner": demo.users["tomas"].pk}).json()["results"]
    by_unit = api_as("sofia").get(H, {"business_unit": demo.units["commerce"].pk}).json()
    assert [r["title"] for r in by_owner] == ["Tomás's"]
    assert [r["title"] for r in by_unit["results"]] == ["Commerce one"]


def test_it_flags_disagreement_for_discussion(api_as, hypothesis, ice_score):
    ice_score("tomas", hypothesis, 9, 9, 9)
    ice_score("aisha", hypothesis, 2, 2, 2)
    row = api_as("lena").get(H).json()["results"][0]
    assert row["discuss"] is True
    assert row["spread"] == pytest.approx(7 / 9)
    assert api_as("lena").get(H, {"discuss": "true"}).json()["count"] == 1


def test_hypotheses_of_other_groups_stay_hidden(api_as, hypothesis):
    other = HypothesisFactory()
    assert ids(api_as("lena").get(H)) == [hypothesis.pk]
    assert api_as("lena").get(f"{H}{other.pk}/").status_code == 404
    assert api_as("lena").post(f"{H}{other.pk}/scores/", {}, format="json").status_code == 404


# --- create, edit, workflow --------------------------------------------------------------


def test_a_member_proposes_through_the_api(api_as, demo):
    response = api_as("lena").post(
        H,
        {
            "working_group": demo.group.pk,
            "title": "Delivery dates",
            "change": "show a delivery date",
            "metric": "checkout conversion",
            "direction": "increase",
            "expected_effect": 1.5,
            "rationale": "dates are easier to trust",
            "category": "product",
            "business_unit": demo.units["commerce"].pk,
            "tags": ["checkout", "shipping"],
            "effort_weeks": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "proposed" and body["owner"] == demo.users["lena"].pk
    assert body["tags"] == ["checkout", "shipping"]
    assert body["statement"].startswith("If we show a delivery date, then checkout conversion")


def test_it_moves_a_hypothesis_and_records_the_history(api_as, hypothesis, demo):
    response = api_as("priya").post(
        f"{H}{hypothesis.pk}/transition/", {"to_status": "parked", "reason": "Next quarter"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "parked"
    history = api_as("sofia").get(f"{H}{hypothesis.pk}/history/").json()
    assert [(c["from_status"], c["to_status"], c["reason"]) for c in history] == [
        ("", "proposed", ""),
        ("proposed", "parked", "Next quarter"),
    ]
    assert history[1]["actor"] == demo.users["priya"].pk


def test_a_member_scores_and_then_updates_the_score(api_as, hypothesis):
    client = api_as("tomas")
    first = client.post(
        f"{H}{hypothesis.pk}/scores/",
        {"values": {"impact": 8, "confidence": 6, "ease": 4}, "comment": "first"},
        format="json",
    )
    assert first.status_code == 201
    assert first.json()["summary"]["mean"] == pytest.approx(6.0)
    second = client.post(
        f"{H}{hypothesis.pk}/scores/",
        {"values": {"impact": 9, "confidence": 9, "ease": 9}},
        format="json",
    )
    assert second.status_code == 200
    assert second.json()["score"]["id"] == first.json()["score"]["id"]
    listing = client.get(f"{H}{hypothesis.pk}/scores/").json()
    assert len(listing["scores"]) == 1 and listing["scores"][0]["total"] == 9
    assert listing["summaries"][0]["scorer_count"] == 1


# --- bad input: 400 naming the field and the rule ----------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"impact": 11, "confidence": 5, "ease": 5}, "values.impact", "within its scale 1–10"),
        ({"impact": 5, "ease": 5}, "values.confidence", "Missing criterion"),
        ({"impact": 5, "confidence": 5, "ease": 5, "x": 1}, "values.x", "Unknown criterion"),
        ({"impact": "high", "confidence": 5, "ease": 5}, "values.impact", "valid number"),
        ({"impact": "1e400", "confidence": 5, "ease": 5}, "values.impact", "valid number"),
        ("not a dict", "values", ""),
    ],
)
def test_a_bad_score_is_a_400_naming_the_criterion(api_as, hypothesis, values, field, words):
    response = api_as("tomas").post(
        f"{H}{hypothesis.pk}/scores/", {"values": values}, format="json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["fields"], body
    assert words in body["fields"][field][0]
    assert not Score.objects.exists()


def test_a_rice_effort_of_zero_is_a_400(api_as, hypothesis, framework, demo):
    services.framework_choose(actor=demo.users["priya"], framework=framework("RICE"))
    response = api_as("tomas").post(
        f"{H}{hypothesis.pk}/scores/",
        {"values": {"reach": 1000, "impact": 2, "confidence": 0.8, "effort": 0}},
        format="json",
    )
    assert response.status_code == 400
    assert "greater than 0" in response.json()["fields"]["values.effort"][0]


def test_a_forbidden_transition_is_a_400_naming_the_allowed_ones(api_as, hypothesis):
    response = api_as("priya").post(f"{H}{hypothesis.pk}/transition/", {"to_status": "running"})
    assert response.status_code == 400
    message = response.json()["fields"]["to_status"][0]
    assert "cannot move to running" in message and "accepted, parked, rejected" in message
    assert StatusChange.objects.filter(hypothesis=hypothesis).count() == 1


def test_rejecting_without_a_reason_is_a_400(api_as, hypothesis):
    response = api_as("priya").post(f"{H}{hypothesis.pk}/transition/", {"to_status": "rejected"})
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    hypothesis.refresh_from_db()
    assert hypothesis.status == "proposed"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"working_group": 10**30}, "working_group"),
        ({"working_group": "abc"}, "working_group"),
        ({"category": "marketing"}, "category"),
        ({"effort_weeks": -1}, "effort_weeks"),
        ({"expected_effect": 1e9}, "expected_effect"),
        ({"owner": 10**20}, "owner"),
        ({"tags": ["!!!"]}, "tags"),
        ({"tags": ["x"] * 11}, "tags"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_a_bad_proposal_is_a_400_naming_the_field(api_as, demo, data, field):
    proposal = {
        "working_group": demo.group.pk,
        "title": "Title",
        "change": "c",
        "metric": "m",
        "rationale": "r",
        **data,
    }
    response = api_as("lena").post(H, proposal, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not Hypothesis.objects.exists()


def test_a_group_you_are_not_in_is_as_unknown_as_a_group_that_does_not_exist(api_as):
    elsewhere = WorkingGroupFactory()
    proposal = {"title": "Title", "change": "c", "metric": "m", "rationale": "r"}
    answers = [
        api_as("lena").post(H, {**proposal, "working_group": pk}, format="json")
        for pk in (elsewhere.pk, 10**9)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json()["fields"]["working_group"] == [
        f'Invalid pk "{elsewhere.pk}" - object does not exist.'
    ]
    assert answers[1].json()["fields"]["working_group"] == [
        f'Invalid pk "{10**9}" - object does not exist.'
    ]
    assert not Hypothesis.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        f"{H}99999999999999999999999/",
        f"{H}abc/",
        f"{H}-1/scores/",
        f"{FW}99999999999999999999/",
        "/api/v1/working-groups/99999999999999999999999/portfolio/",
    ],
)
def test_unknown_ids_are_404s(api_as, path):
    assert api_as("lena").get(path).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"owner": "abc"}, 400),
        ({"owner": 10**30}, 400),
        ({"status": "shipped"}, 400),
        ({"category": "x"}, 400),
        ({"q": "x" * 500}, 400),
        ({"working_group": 10**30}, 400),
        # An empty filter or a flag that is neither true nor false filters nothing.
        ({"business_unit": ""}, 200),
        ({"discuss": "maybe"}, 200),
    ],
)
def test_bad_filters_are_400s_naming_the_field_or_are_ignored(api_as, hypothesis, params, expected):
    response = api_as("lena").get(H, params)

    assert response.status_code == expected
    if expected == 400:
        assert list(response.json()["fields"]) == list(params)
    else:
        assert [h["id"] for h in response.json()["results"]] == [hypothesis.pk]


def test_text_search_survives_odd_queries(api_as, hypothesis):
    for text in ['"unbalanced', "a & | ! b", "-", "()", "the"]:
        assert api_as("lena").get(H, {"q": text}).status_code == 200


# --- frameworks --------------------------------------------------------------------------


def test_the_pm_creates_and_activates_a_custom_framework(api_as, demo):
    client = api_as("priya")
    created = client.post(
        FW,
        {
            "working_group": demo.group.pk,
            "name": "Value vs cost",
            "rule": "sum",
            "criteria": [
                {"name": "Value", "scale_min": 0, "scale_max": 5, "weight": 2, "axis": "impact"},
                {"name": "Cost", "scale_min": 0, "scale_max": 20, "weight": -0.5},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert [c["key"] for c in created.json()["criteria"]] == ["value", "cost"]
    activated = client.post(f"{FW}{pk}/activate/")
    assert activated.status_code == 200 and activated.json()["is_current"] is True
    frameworks = client.get(FW, {"working_group": demo.group.pk}).json()["results"]
    assert [f["name"] for f in frameworks if f["is_current"]] == ["Value vs cost"]


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ([], "criteria"),
        ([{"name": "A", "scale_min": 3, "scale_max": 1}], "criteria.0.scale_max"),
        ([{"name": "A", "scale_min": 0, "scale_max": 1, "weight": 0}], "criteria.0.weight"),
        ([{"name": "A", "scale_max": 1}], "criteria.0.scale_min"),
        ([{"name": "A", "scale_min": 0, "scale_max": 1, "axis": "up"}], "criteria.0.axis"),
    ],
)
def test_a_bad_framework_is_a_400_naming_the_criterion(api_as, demo, criteria, field):
    response = api_as("priya").post(
        FW,
        {"working_group": demo.group.pk, "name": "Broken", "criteria": criteria},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["fields"], response.json()
    assert not ScoringFramework.objects.filter(name="Broken").exists()


def test_deleting_a_framework_in_use_is_refused_with_a_message(api_as, demo, hypothesis):
    custom = services.framework_create(
        actor=demo.users["priya"],
        group=demo.group,
        name="Custom",
        criteria=[{"name": "Value", "scale_min": 0, "scale_max": 10}],
    )
    services.framework_choose(actor=demo.users["priya"], framework=custom)
    response = api_as("priya").delete(f"{FW}{custom.pk}/")
    assert response.status_code == 400
    assert "current framework" in response.json()["fields"]["framework"][0]
    assert ScoringFramework.objects.filter(pk=custom.pk).exists()


# --- portfolio ---------------------------------------------------------------------------


def test_the_portfolio_warns_when_product_share_drifts_from_target(api_as, demo, propose):
    priya = demo.users["priya"]
    for i, category in enumerate(["product", "foundational", "foundational", "product"]):
        h = propose("lena", title=f"H{i}", category=category, effort_weeks=2 + i)
        services.hypothesis_transition(actor=priya, hypothesis=h, to_status="accepted")
    propose("lena", title="Still proposed", category="product")
    body = api_as("sofia").get(f"/api/v1/working-groups/{demo.group.pk}/portfolio/").json()
    assert body["committed_count"] == 4
    assert body["share_by_count"] == pytest.approx(50.0)
    # product effort 2 + 5 = 7 of 14 person-weeks
    assert body["share_by_effort"] == pytest.approx(50.0)
    assert body["target"] == 70 and body["warning"] is True
    assert "more than 10 points from the 70 % target" in body["message"]


def test_the_portfolio_is_quiet_within_ten_points(api_as, demo, propose):
    priya = demo.users["priya"]
    for i, category in enumerate(["product"] * 3 + ["foundational"]):
        h = propose("lena", title=f"H{i}", category=category)
        services.hypothesis_transition(actor=priya, hypothesis=h, to_status="accepted")
    body = api_as("sofia").get(f"/api/v1/working-groups/{demo.group.pk}/portfolio/").json()
    assert body["share_by_count"] == pytest.approx(75.0)
    assert body["share_by_effort"] is None
    assert body["warning"] is False and body["message"] == ""


# --- query counts ------------------------------------------------------------------------


def _backlog_of(demo, n: int) -> None:
    """n scored hypotheses with tags, straight to the tables (the services are tested above)."""
    from apps.backlog.models import ScoreSummary, Tag

    tag = Tag.objects.create(working_group=demo.group, name="checkout", slug="checkout")
    ice = ScoringFramework.objects.get(working_group=demo.group, name="ICE")
    for i in range(n):
        h = HypothesisFactory(
            working_group=demo.group,
            proposer=demo.users["lena"],
            business_unit=demo.units["commerce"],
        )
        h.tags.add(tag)
        ScoreSummary.objects.create(
            hypothesis=h, framework=ice, scorer_count=3, mean=i, median=i, spread=0.1,
            impact=0.5, effort=0.5,
        )  # fmt: skip


@pytest.mark.parametrize("n", [5, 50])
def test_the_ranked_list_costs_the_same_queries_for_5_and_50_rows(
    api_as, demo, n, django_assert_num_queries
):
    _backlog_of(demo, n)
    client = api_as("lena")
    # current frameworks, the groups' ranking priors, count, the page, its tags
    with django_assert_num_queries(5):
        response = client.get(H, {"ordering": "-score", "page_size": 50})
    assert len(response.json()["results"]) == n
