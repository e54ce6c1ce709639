"""The roadmap API: shapes, and 400 with the field and the rule for bad input."""

import pytest

from .factories import D, milestones_of, plan_with, today

pytestmark = pytest.mark.django_db


def test_it_creates_a_plan_and_its_milestones(demo, api_as):
    client = api_as("lena")
    response = client.post(
        "/api/v1/plans/",
        {
            "working_group": demo.group.pk,
            "title": "Search suggestions",
            "goal": "Learn whether thumbnails help.",
            "kill_criteria": "Stop if search-to-purchase does not move.",
            "sponsor": demo.users["james"].pk,
            "category": "foundational",
            "feature_teams": ["Search", " Search ", "Design"],
            "start_date": str(today()),
            "end_date": str(today() + D(days=120)),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert plan["owner"] == demo.users["lena"].pk
    assert plan["business_unit"] == demo.units["platform-engineering"].pk
    assert plan["feature_teams"] == ["Search", "Design"]
    assert plan["status"] == "draft" and plan["milestones"] == []

    response = client.post(
        "/api/v1/milestones/",
        {
            "plan": plan["id"],
            "title": "Offline check",
            "question": "Do thumbnails raise click-through offline?",
            "target_date": str(today() + D(days=30)),
            "decision_criteria": "Continue if CTR rises 2 %.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    milestone = response.json()
    assert milestone["position"] == 1 and milestone["state"] == "upcoming"
    assert len(milestone["criteria_history"]) == 1


def test_a_milestone_after_the_plans_end_is_a_400_naming_the_rule(demo, api_as):
    plan = plan_with(demo, end=100)

    response = api_as("priya").post(
        "/api/v1/milestones/",
        {
            "plan": plan.pk,
            "title": "Late",
            "question": "?",
            "target_date": str(today() + D(days=150)),
            "decision_criteria": "c",
        },
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert "after the plan's end" in body["fields"]["target_date"][0]


def test_a_decision_without_rationale_is_a_400(demo, api_as):
    first, _ = milestones_of(plan_with(demo))

    for payload in ({"outcome": "continue"}, {"outcome": "continue", "rationale": " "}):
        response = api_as("priya").post(
            f"/api/v1/milestones/{first.pk}/decide/", payload, format="json"
        )
        assert response.status_code == 400
        assert "rationale" in response.json()["fields"]


def test_a_decision_on_a_later_milestone_is_a_400(demo, api_as):
    _, second = milestones_of(plan_with(demo))

    response = api_as("priya").post(
        f"/api/v1/milestones/{second.pk}/decide/",
        {"outcome": "continue", "rationale": "r"},
        format="json",
    )

    assert response.status_code == 400
    assert "current decision point" in response.json()["fields"]["milestone"][0]


def test_editing_the_criteria_of_a_decided_milestone_is_a_400(demo, api_as):
    first, _ = milestones_of(plan_with(demo))
    client = api_as("priya")
    client.post(
        f"/api/v1/milestones/{first.pk}/decide/",
        {"outcome": "pivot", "rationale": "Latency."},
        format="json",
    )

    response = client.patch(
        f"/api/v1/milestones/{first.pk}/",
        {"decision_criteria": "Different", "reason": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert "decision_criteria" in response.json()["fields"]


def test_the_plan_shows_its_latest_decision_and_current_milestone(demo, api_as):
    plan = plan_with(demo)
    first, second = milestones_of(plan)
    api_as("priya").post(
        f"/api/v1/milestones/{first.pk}/decide/",
        {"outcome": "continue", "rationale": "Lift of 2 %.", "learned": "Mobile drives it."},
        format="json",
    )

    body = api_as("sofia").get(f"/api/v1/plans/{plan.pk}/").json()

    assert body["current_milestone"] == second.pk
    assert body["latest_decision"]["outcome"] == "continue"
    assert body["latest_decision"]["rationale"] == "Lift of 2 %."
    assert [m["state"] for m in body["milestones"]] == ["continue", "upcoming"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start_date": "1900-01-01"}, "start_date"),
        ({"end_date": "9999-12-31"}, "end_date"),
        ({"category": "moonshot"}, "category"),
        ({"sponsor": 999999}, "sponsor"),
        ({"feature_teams": ["x"] * 21}, "feature_teams"),
        ({"title": ""}, "title"),
        ({"hypotheses": [10**12]}, "hypotheses"),
    ],
)
def test_bad_plan_input_is_a_400_naming_the_field(demo, api_as, payload, field):
    base = {
        "working_group": demo.group.pk,
        "title": "T",
        "goal": "G",
        "kill_criteria": "K",
        "sponsor": demo.users["sofia"].pk,
        "start_date": str(today()),
        "end_date": str(today() + D(days=10)),
    }

    response = api_as("priya").post("/api/v1/plans/", {**base, **payload}, format="json")

    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()["fields"]), response.json()


def test_a_plan_ending_before_it_starts_is_a_400(demo, api_as):
    response = api_as("priya").post(
        "/api/v1/plans/",
        {
            "working_group": demo.group.pk,
            "title": "T",
            "goal": "G",
            "kill_criteria": "K",
            "sponsor": demo.users["sofia"].pk,
            "start_date": str(today()),
            "end_date": str(today() - D(days=1)),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["fields"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/roadmap/", {"category": "x"}),
        ("/api/v1/roadmap/", {"working_group": "abc"}),
        ("/api/v1/roadmap/", {"status": "gone"}),
        ("/api/v1/plans/", {"status": "gone"}),
        ("/api/v1/milestones/", {"plan": "-3"}),
        ("/api/v1/roadmap/decisions/", {"outcome": "maybe"}),
        ("/api/v1/stakeholder-updates/", {"working_group": 1}),
    ],
)
def test_bad_query_parameters_are_a_400(demo, api_as, path, params):
    assert api_as("sofia").get(path, params).status_code == 400


def test_an_update_range_ending_before_it_starts_is_a_400(demo, api_as):
    response = api_as("sofia").get(
        "/api/v1/stakeholder-updates/",
        {"working_group": demo.group.pk, "since": "2026-05-01", "until": "2026-04-01"},
    )
    assert response.status_code == 400
    assert "until" in response.json()["fields"]


def test_the_roadmap_json_has_quarters_share_and_milestone_states(demo, api_as):
    plan = plan_with(demo, milestones=(-5, 60))
    plan_with(demo, title="Ranking", category="foundational", milestones=(30,))

    body = api_as("sofia").get("/api/v1/roadmap/", {"working_group": demo.group.pk}).json()

    assert len(body["quarters"]) >= 4 and sum(q["current"] for q in body["quarters"]) == 1
    assert body["share"] == {"product": 1, "foundational": 1, "product_pct": 50, "target": 70}
    row = next(p for p in body["plans"] if p["id"] == plan.pk)
    assert [m["state"] for m in row["milestones"]] == ["overdue", "upcoming"]


def test_the_roadmap_json_gives_each_plan_and_milestone_field_by_field(demo, api_as):
    plan = plan_with(demo, milestones=(-5, 60))
    first, second = milestones_of(plan)
    sofia, aisha = demo.users["sofia"], demo.users["aisha"]

    body = api_as("sofia").get("/api/v1/roadmap/", {"working_group": demo.group.pk}).json()

    assert list(body) == ["today", "quarters", "share", "plans"]
    assert body["today"] == str(today())
    assert list(body["quarters"][0]) == ["label", "start", "end", "current"]
    assert body["plans"] == [
        {
            "id": plan.pk,
            "title": "Checkout path",
            "working_group": demo.group.pk,
            "category": "product",
            "status": "active",
            "business_unit": plan.business_unit_id,
            "owner": aisha.display_name,
            "sponsor": sofia.display_name,
            "start_date": str(plan.start_date),
            "end_date": str(plan.end_date),
            "target_quarter": plan.target_quarter,
            "confidential": False,
            "milestones": [
                {
                    "id": first.pk,
                    "title": "Decision point 1",
                    "target_date": str(first.target_date),
                    "state": "overdue",
                    "state_label": "Overdue",
                    "criteria_changed_after_start": False,
                },
                {
                    "id": second.pk,
                    "title": "Decision point 2",
                    "target_date": str(second.target_date),
                    "state": "upcoming",
                    "state_label": "Upcoming",
                    "criteria_changed_after_start": False,
                },
            ],
        }
    ]


def test_the_roadmap_json_and_page_name_the_same_quarters(demo, api_as, web_as):
    plan_with(demo)

    body = api_as("sofia").get("/api/v1/roadmap/").json()
    page = web_as("sofia").get("/roadmap/")

    drawn = [q.label for q in page.context["timeline"].quarters]
    assert drawn == [q["label"].replace("-", " ") for q in body["quarters"]]
    for quarter in body["quarters"]:
        year, q = quarter["label"].split("-Q")
        assert quarter["start"] == f"{year}-{3 * int(q) - 2:02d}-01"


def test_the_schema_documents_hypothesis_links_as_lists_of_ids():
    """Clients generated from the schema send and read `hypotheses` as a list of ids."""
    from drf_spectacular.generators import SchemaGenerator

    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    ids = {"type": "array", "items": {"type": "integer"}}
    for name in ("PlanInputRequest", "MilestoneInputRequest", "Plan", "Milestone"):
        field = {
            k: v for k, v in schemas[name]["properties"]["hypotheses"].items() if k != "readOnly"
        }
        assert field == ids, (name, field)


def test_the_plan_list_summarises_milestones_and_the_plan_gives_them_whole(demo, api_as):
    plan = plan_with(demo, milestones=(-3, 5, 60))
    client = api_as("sofia")

    listed = next(p for p in client.get("/api/v1/plans/").json()["results"] if p["id"] == plan.pk)
    whole = client.get(f"/api/v1/plans/{plan.pk}/").json()

    assert [m["state"] for m in listed["milestones"]] == ["overdue", "due", "upcoming"]
    assert set(listed["milestones"][0]) == {"id", "position", "title", "target_date", "state"}
    assert [m["id"] for m in listed["milestones"]] == [m["id"] for m in whole["milestones"]]
    assert "decision_criteria" in whole["milestones"][0]
    assert [m["state"] for m in whole["milestones"]] == ["overdue", "due", "upcoming"]
