"""A confidential plan is hidden from stakeholders outside its sponsor's business unit."""

import pytest
from django.core import mail

from apps.roadmap.models import ResearchPlan

from .factories import milestones_of, plan_with, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(demo):
    plan = plan_with(demo, title="Pricing secret", sponsor="sofia", confidential=True)
    from apps.roadmap import services

    services.milestone_decide(
        actor=demo.users["priya"],
        milestone=milestones_of(plan)[0],
        outcome="continue",
        rationale="Secret lift.",
    )
    return plan


def test_only_the_sponsors_unit_and_insiders_see_it(demo, secret):
    def sees(name):
        return ResearchPlan.objects.visible_to(demo.users[name]).filter(pk=secret.pk).exists()

    assert sees("sofia")  # Commerce, the sponsor's unit
    assert not sees("james")  # Platform Engineering stakeholder
    assert all(sees(n) for n in ("priya", "lena", "tomas", "marco", "dana"))


def test_it_is_absent_from_the_api_lists_and_a_404_in_detail(demo, secret, api_as):
    james = api_as("james")

    assert secret.pk not in [p["id"] for p in james.get("/api/v1/plans/").json()["results"]]
    assert secret.pk not in [p["id"] for p in james.get("/api/v1/roadmap/").json()["plans"]]
    assert james.get("/api/v1/plans/", {"q": "Pricing"}).json()["count"] == 0
    assert james.get(f"/api/v1/plans/{secret.pk}/").status_code == 404
    assert james.get("/api/v1/roadmap/decisions/").json()["count"] == 0
    milestone = milestones_of(secret)[1]
    assert james.get(f"/api/v1/milestones/{milestone.pk}/").status_code == 404


def test_it_is_absent_from_the_roadmap_page_and_a_404_as_a_page(demo, secret, web_as):
    assert "Pricing secret" not in web_as("james").get("/roadmap/").content.decode()
    assert web_as("james").get(f"/roadmap/plans/{secret.pk}/").status_code == 404
    assert "Pricing secret" in web_as("sofia").get("/roadmap/").content.decode()


def test_searching_the_roadmap_for_it_finds_nothing_for_other_stakeholders(demo, secret, web_as):
    found = web_as("james").get("/roadmap/", {"q": "Pricing"}).content.decode()
    assert "Pricing secret" not in found and "No research plans match" in found
    assert "Pricing secret" in web_as("sofia").get("/roadmap/", {"q": "pricing"}).content.decode()


def test_each_stakeholder_gets_an_update_built_for_them(
    demo, secret, api_as, django_capture_on_commit_callbacks
):
    since, until = str(today().replace(day=1)), str(today())
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("priya").post(
            "/api/v1/stakeholder-updates/send/",
            {"working_group": demo.group.pk, "since": since, "until": until},
            format="json",
        )

    assert response.status_code == 202, response.json()
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "Pricing secret" in by_person["sofia@example.com"]
    assert "Pricing secret" not in by_person["james@example.com"]
