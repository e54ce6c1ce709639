"""The stakeholder update: decided, learned, next and at-risk, as Markdown and by email."""

import pytest
from django.core import mail

from apps.roadmap import selectors, services
from apps.roadmap.models import UpdateDispatch

from .factories import D, milestones_of, plan_with, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(demo):
    """A plan that pivoted today, and one whose current milestone is 12 days overdue."""
    pivoted = plan_with(demo, title="Learning-to-rank", category="foundational")
    services.milestone_decide(
        actor=demo.users["priya"],
        milestone=milestones_of(pivoted)[0],
        outcome="pivot",
        rationale="Latency too high:\nre-rank the top 50 only.",
        learned="The gain sits at the top of the list.",
    )
    late = plan_with(demo, title="One-page checkout", milestones=(-12, 40))
    return pivoted, late


def test_it_lists_what_was_decided_learned_next_and_at_risk(demo, program):
    pivoted, late = program

    update = selectors.stakeholder_update(
        demo.users["sofia"], demo.group, today() - D(days=7), today()
    )

    assert [(e.plan, e.decision.outcome) for e in update.decided] == [(pivoted, "pivot")]
    assert [e.decision.learned for e in update.learned] == ["The gain sits at the top of the list."]
    # Each plan is listed once: the overdue one under "Plans at risk", not also as next.
    assert [s.plan for s in update.next] == [pivoted]
    assert [(r.plan, r.days_overdue) for r in update.at_risk] == [(late, 12)]


def test_a_decision_outside_the_range_is_not_listed(demo, program):
    update = selectors.stakeholder_update(
        demo.users["sofia"], demo.group, today() - D(days=30), today() - D(days=1)
    )
    assert update.decided == []


def test_it_downloads_as_markdown(demo, program, web_as):
    response = web_as("sofia").get(
        "/roadmap/updates/markdown/",
        {"group": demo.group.slug, "since": str(today() - D(days=7)), "until": str(today())},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment;" in response["Content-Disposition"]
    body = response.content.decode()
    assert "## What was decided" in body
    assert "**Learning-to-rank** — Decision point 1: **Pivot**" in body
    # A multi-line rationale stays inside its list item.
    assert "Latency too high:\n  re-rank the top 50 only." in body
    assert "**One-page checkout**: “Decision point 1” was due" in body
    assert "12 days overdue" in body


def test_the_program_manager_emails_it_to_the_groups_stakeholders(
    demo, program, web_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = web_as("priya").post(
            "/roadmap/updates/send/",
            {"group": demo.group.slug, "since": str(today() - D(days=7)), "until": str(today())},
        )

    dispatch = UpdateDispatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/roadmap/updates/dispatches/{dispatch.pk}/"
    assert (dispatch.status, dispatch.sent, dispatch.total) == ("sent", 2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["james@example.com", "sofia@example.com"]
    message = mail.outbox[0]
    assert demo.group.name in message.subject
    assert "Learning-to-rank" in message.body and "Pivot" in message.body
    assert message.attachments[0][0].endswith(".md")
    assert message.reply_to == ["priya@example.com"]


def test_a_member_cannot_email_it(demo, program, api_as):
    response = api_as("lena").post(
        "/api/v1/stakeholder-updates/send/",
        {"working_group": demo.group.pk, "since": str(today()), "until": str(today())},
        format="json",
    )
    assert response.status_code == 403
    assert mail.outbox == []


def test_the_update_page_previews_it(demo, program, web_as):
    html = web_as("sofia").get("/roadmap/updates/", {"group": demo.group.slug}).content.decode()

    assert "Learning-to-rank" in html and "12 days overdue" in html
    assert 'data-testid="send-update"' not in html  # stakeholders read, the PM sends
    assert 'data-testid="send-update"' in web_as("priya").get("/roadmap/updates/").content.decode()


def test_the_api_returns_sections_and_markdown(demo, program, api_as):
    body = (
        api_as("sofia")
        .get(
            "/api/v1/stakeholder-updates/",
            {
                "working_group": demo.group.pk,
                "since": str(today() - D(days=7)),
                "until": str(today()),
            },
        )
        .json()
    )

    assert [e["outcome"] for e in body["decided"]] == ["pivot"]
    assert body["at_risk"][0]["days_overdue"] == 12
    assert body["markdown"].startswith("# Growth Experimentation Working Group")
