"""The roadmap's words read naturally, the stakeholder update lists a plan once, and the
program manager's introduction is previewed, stored and sent."""

import pytest
from django.core import mail

from apps.roadmap import selectors, services
from apps.roadmap.models import INTRODUCTION_MAX_CHARS, UpdateDispatch

from .factories import D, plan_with, today

pytestmark = pytest.mark.django_db

INTRO = "Two plans moved this month.\nPlease bring questions to Thursday's review."


@pytest.fixture
def program(demo):
    """One product-focused plan overdue at its decision point, one foundational on time."""
    late = plan_with(demo, title="One-page checkout", milestones=(-4, 40))
    on_time = plan_with(demo, title="Learning-to-rank", category="foundational")
    return late, on_time


def _range():
    return {"since": (today() - D(days=28)).isoformat(), "until": today().isoformat()}


def test_the_share_line_reads_as_a_sentence(demo, program, web_as):
    html = web_as("sofia").get("/roadmap/").content.decode()

    assert (
        "Product-focused: <strong>1 of 2 plans</strong> (50 %) · "
        "Foundational: <strong>1 of 2</strong> (50 %)"
    ) in html


def test_the_stakeholder_update_button_does_not_break_between_its_words(demo, web_as):
    html = web_as("priya").get("/roadmap/").content.decode()
    assert "Stakeholder&nbsp;update</a>" in html
    assert "css/roadmap.css" in html


def test_an_overdue_plan_is_listed_once_under_plans_at_risk(demo, program, web_as):
    late, on_time = program
    update = selectors.stakeholder_update(demo.users["sofia"], demo.group, today(), today())
    assert [s.plan for s in update.next] == [on_time]
    assert [r.plan for r in update.at_risk] == [late]

    response = web_as("sofia").get("/roadmap/updates/", {"group": demo.group.slug, **_range()})
    assert response.content.decode().count("One-page checkout") == 1


def test_the_introduction_is_previewed_above_the_update(demo, program, web_as):
    response = web_as("priya").get(
        "/roadmap/updates/", {"group": demo.group.slug, "introduction": INTRO, **_range()}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert 'data-testid="update-introduction"' in html
    assert "Two plans moved this month.<br>Please bring questions" in html
    # The send form carries the introduction as previewed.
    assert 'name="introduction" value="Two plans moved this month.' in html
    assert html.index("update-introduction") < html.index('data-testid="update"')


def test_a_stakeholder_cannot_put_words_in_the_pms_mouth(demo, program, web_as):
    html = (
        web_as("sofia")
        .get("/roadmap/updates/", {"group": demo.group.slug, "introduction": INTRO, **_range()})
        .content.decode()
    )
    assert "Two plans moved" not in html and "introduction-form" not in html


def test_the_introduction_is_stored_and_opens_every_copy(
    demo, program, web_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = web_as("priya").post(
            "/roadmap/updates/send/",
            {"group": demo.group.slug, "introduction": INTRO, **_range()},
        )

    assert response.status_code == 302
    dispatch = UpdateDispatch.objects.get()
    assert dispatch.introduction == INTRO
    assert mail.outbox and all(INTRO in m.body for m in mail.outbox)
    body = mail.outbox[0].body
    assert body.index(INTRO) < body.index("## What was decided")


def test_the_api_sends_an_introduction_and_refuses_a_long_one(demo, program, api_as):
    client = api_as("priya")
    base = {"working_group": demo.group.pk, **_range()}

    too_long = client.post(
        "/api/v1/stakeholder-updates/send/",
        {**base, "introduction": "x" * (INTRODUCTION_MAX_CHARS + 1)},
        format="json",
    )
    sent = client.post(
        "/api/v1/stakeholder-updates/send/", {**base, "introduction": INTRO}, format="json"
    )

    assert too_long.status_code == 400 and "introduction" in too_long.json()["fields"]
    assert sent.status_code == 202 and sent.json()["introduction"] == INTRO
    assert UpdateDispatch.objects.get().introduction == INTRO


def test_the_service_refuses_an_introduction_past_the_limit(demo, program):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.stakeholder_update_send(
            actor=demo.users["priya"], group=demo.group, since=today() - D(days=7),
            until=today(), introduction="x" * (INTRODUCTION_MAX_CHARS + 1),
        )  # fmt: skip
    assert "introduction" in refused.value.message_dict
    assert not UpdateDispatch.objects.exists()
