"""Roadmap pages: the timeline, the plan page a stakeholder reads, and the htmx forms."""

import pytest

from apps.roadmap.models import Decision, ResearchPlan

from .factories import D, milestones_of, plan_with, today

pytestmark = pytest.mark.django_db


def test_the_timeline_draws_plans_as_bars_and_milestones_as_diamonds_by_state(demo, web_as):
    plan = plan_with(demo, milestones=(-3, 5, 60))
    from apps.roadmap import services

    services.milestone_decide(
        actor=demo.users["priya"],
        milestone=milestones_of(plan)[0],
        outcome="continue",
        rationale="ok",
    )

    html = web_as("sofia").get("/roadmap/").content.decode()

    assert '<svg class="timeline"' in html
    assert f'data-plan="{plan.pk}"' in html
    states = [s for s in ("continue", "due", "upcoming") if f'data-state="{s}"' in html]
    assert states == ["continue", "due", "upcoming"]


def test_filters_narrow_the_roadmap(demo, web_as):
    plan_with(demo, title="Product plan")
    plan_with(demo, title="Foundational plan", category="foundational")
    client = web_as("sofia")

    html = client.get("/roadmap/", {"category": "foundational"}).content.decode()
    assert "Foundational plan" in html and "Product plan" not in html
    html = client.get("/roadmap/", {"q": "foundational"}).content.decode()
    assert "Foundational plan" in html and "Product plan" not in html
    html = client.get("/roadmap/", {"status": "abandoned"}).content.decode()
    assert "Foundational plan" not in html
    html = client.get("/roadmap/", {"unit": demo.units["platform-engineering"].pk}).content
    assert b"Product plan" not in html  # sponsored by Sofia: Commerce
    # htmx swaps only the body; unknown filter values are ignored, not a 500
    partial = client.get(
        "/roadmap/", {"status": "zzz"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="roadmap-body"
    )
    assert partial.status_code == 200 and b"<h1>" not in partial.content


def test_a_stakeholder_reads_the_plan_page_without_edit_controls(demo, web_as):
    plan = plan_with(demo)
    from apps.roadmap import services

    services.milestone_decide(
        actor=demo.users["priya"],
        milestone=milestones_of(plan)[0],
        outcome="continue",
        rationale="Conversion rose 1.4 %.",
    )

    html = web_as("sofia").get(f"/roadmap/plans/{plan.pk}/").content.decode()

    assert "Conversion rose 1.4 %." in html
    assert "Decision point 2" in html and "The next decision" in html
    for control in ('data-testid="plan-actions"', "Record decision", "Add a decision point"):
        assert control not in html
    owner_html = web_as("aisha").get(f"/roadmap/plans/{plan.pk}/").content.decode()
    assert 'data-testid="plan-actions"' in owner_html and "Record decision" in owner_html


def test_the_owner_records_a_decision_through_htmx(demo, web_as):
    plan = plan_with(demo)
    first, _ = milestones_of(plan)
    client = web_as("aisha")
    url = f"/roadmap/milestones/{first.pk}/decide/"

    form = client.get(url, HTTP_HX_REQUEST="true")
    assert b'name="outcome"' in form.content and b'value="ship"' in form.content

    missing = client.post(url, {"outcome": "continue", "rationale": ""}, HTTP_HX_REQUEST="true")
    # 422: htmx swaps the form back in with its errors (base.html's htmx-config).
    assert missing.status_code == 422 and b"rationale" in missing.content
    assert not Decision.objects.exists()

    done = client.post(url, {"outcome": "pivot", "rationale": "Latency."}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    assert done["HX-Redirect"] == f"/roadmap/plans/{plan.pk}/"
    assert ResearchPlan.objects.get(pk=plan.pk).revision_open


def test_the_decide_form_records_the_sponsor_as_the_decider(demo, web_as):
    plan = plan_with(demo)
    first, _ = milestones_of(plan)
    url = f"/roadmap/milestones/{first.pk}/decide/"
    sofia = demo.users["sofia"]

    form = web_as("aisha").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'<option value="{sofia.pk}">Sofia Lindqvist</option>' in form

    web_as("aisha").post(url, {"outcome": "continue", "rationale": "Held.", "decided_by": sofia.pk})

    decision = Decision.objects.get(milestone=first)
    assert (decision.decided_by, decision.recorded_by) == (sofia, demo.users["aisha"])


def test_foundational_plans_offer_no_ship(demo, web_as):
    first, _ = milestones_of(plan_with(demo, category="foundational"))
    html = web_as("aisha").get(f"/roadmap/milestones/{first.pk}/decide/").content
    assert b'value="ship"' not in html


def test_adding_a_milestone_after_the_plans_end_shows_the_rule(demo, web_as):
    plan = plan_with(demo, end=100)
    response = web_as("aisha").post(
        f"/roadmap/plans/{plan.pk}/milestones/",
        {
            "title": "Late",
            "question": "?",
            "target_date": str(today() + D(days=150)),
            "decision_criteria": "c",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "after the plan&#x27;s end" in response.content.decode()


def test_a_member_creates_a_plan_through_the_form(demo, web_as):
    response = web_as("lena").post(
        f"/roadmap/plans/new/?group={demo.group.slug}",
        {
            "title": "Guest checkout",
            "goal": "Learn whether guest checkout lifts conversion.",
            "category": "product",
            "owner": demo.users["lena"].pk,
            "sponsor": demo.users["sofia"].pk,
            "start_date": str(today()),
            "end_date": str(today() + D(days=90)),
            "kill_criteria": "Stop if flat.",
            "feature_teams": "Checkout, Accounts",
        },
    )
    plan = ResearchPlan.objects.get(title="Guest checkout")
    assert response.status_code == 302 and response["Location"] == f"/roadmap/plans/{plan.pk}/"
    assert plan.feature_teams == ["Checkout", "Accounts"] and plan.status == "draft"


def test_the_update_page_rejects_a_reversed_range(demo, web_as):
    response = web_as("sofia").get(
        "/roadmap/updates/",
        {"group": demo.group.slug, "since": "2026-05-01", "until": "2026-04-01"},
    )
    assert response.status_code == 400
