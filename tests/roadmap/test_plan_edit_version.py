"""A plan edit carries the version it was opened at: a form opened before someone else's
save shows their values beside yours instead of writing the old ones back."""

import re

import pytest

from apps.roadmap import services
from apps.roadmap.models import ResearchPlan

from .factories import D, plan_with, today

pytestmark = pytest.mark.django_db


def _edit_form(plan: ResearchPlan, version: int, **changes) -> dict:
    data = {
        "title": plan.title,
        "goal": plan.goal,
        "value_path": plan.value_path,
        "feature_teams": ", ".join(plan.feature_teams),
        "category": plan.category,
        "owner": plan.owner_id,
        "sponsor": plan.sponsor_id,
        "start_date": str(plan.start_date),
        "end_date": str(plan.end_date),
        "kill_criteria": plan.kill_criteria,
        "version": str(version),
    }
    data.update(changes)
    return data


def test_each_save_raises_the_version(demo):
    plan = plan_with(demo)
    before = plan.version

    saved = services.plan_update(
        actor=demo.users["aisha"], plan=plan, title="Shorter checkout", version=before
    )

    assert saved.version == before + 1
    assert ResearchPlan.objects.get(pk=plan.pk).version == before + 1


def test_a_stale_version_raises_a_conflict_and_saves_nothing(demo):
    plan = plan_with(demo)
    opened = plan.version
    services.plan_update(actor=demo.users["priya"], plan=plan, goal="Theirs", version=opened)

    with pytest.raises(services.PlanConflict) as exc:
        services.plan_update(actor=demo.users["aisha"], plan=plan, title="Mine", version=opened)

    assert exc.value.plan.goal == "Theirs" and exc.value.plan.version == opened + 1
    fresh = ResearchPlan.objects.get(pk=plan.pk)
    assert (fresh.title, fresh.goal) == ("Checkout path", "Theirs")


def test_the_edit_page_carries_the_plans_version(demo, web_as):
    plan = plan_with(demo)

    html = web_as("aisha").get(f"/roadmap/plans/{plan.pk}/edit/").content.decode()

    assert re.search(rf'name="version" value="{plan.version}"', html)


def test_a_form_opened_before_another_save_shows_both_and_overwrites_nothing(demo, web_as):
    plan = plan_with(demo)
    opened = plan.version
    # While Aisha has the form open, the program manager moves the end date.
    new_end = today() + D(days=250)
    services.plan_update(actor=demo.users["priya"], plan=plan, end_date=new_end, version=opened)

    response = web_as("aisha").post(
        f"/roadmap/plans/{plan.pk}/edit/", _edit_form(plan, opened, title="Shorter checkout")
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="plan-conflict"' in html
    rows = {r["label"]: (r["saved"], r["yours"]) for r in response.context["conflict_rows"]}
    assert rows == {
        "Title": ("Checkout path", "Shorter checkout"),
        "End date": (str(new_end), str(plan.end_date)),
    }
    assert f'name="version" value="{opened + 1}"' in html
    fresh = ResearchPlan.objects.get(pk=plan.pk)
    assert (fresh.title, fresh.end_date) == ("Checkout path", new_end)


def test_saving_again_from_the_conflict_applies_yours(demo, web_as):
    plan = plan_with(demo)
    opened = plan.version
    services.plan_update(actor=demo.users["priya"], plan=plan, goal="Theirs", version=opened)
    client = web_as("aisha")
    client.post(f"/roadmap/plans/{plan.pk}/edit/", _edit_form(plan, opened, title="Mine"))

    response = client.post(
        f"/roadmap/plans/{plan.pk}/edit/", _edit_form(plan, opened + 1, title="Mine")
    )

    assert response.status_code == 302
    fresh = ResearchPlan.objects.get(pk=plan.pk)
    assert (fresh.title, fresh.version) == ("Mine", opened + 2)


def test_the_edit_page_refuses_a_form_without_a_version(demo, web_as):
    plan = plan_with(demo)
    form = _edit_form(plan, 0, title="Mine")
    del form["version"]

    response = web_as("aisha").post(f"/roadmap/plans/{plan.pk}/edit/", form)

    assert response.status_code == 400
    assert ResearchPlan.objects.get(pk=plan.pk).title == "Checkout path"


def test_the_edit_page_refuses_a_date_beyond_the_roadmaps_range(demo, web_as):
    plan = plan_with(demo)

    response = web_as("aisha").post(
        f"/roadmap/plans/{plan.pk}/edit/",
        _edit_form(plan, plan.version, end_date="9999-12-31"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["end_date"] == [
        "Pick a date between 2000-01-01 and 2100-12-31."
    ]


def test_the_api_answers_a_stale_version_with_409(demo, api_as):
    plan = plan_with(demo)
    opened = plan.version
    services.plan_update(actor=demo.users["priya"], plan=plan, goal="Theirs", version=opened)

    response = api_as("aisha").patch(
        f"/api/v1/plans/{plan.pk}/", {"title": "Mine", "version": opened}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["current"]["goal"] == "Theirs" and body["current"]["version"] == opened + 1
    assert body["yours"]["title"] == "Mine"
    assert ResearchPlan.objects.get(pk=plan.pk).title == "Checkout path"
