"""The program manager's dashboard prepares the next meeting: new proposals, decision
points due, scores in disagreement and overdue action items, as its agenda would list them
if drafted now (without drafting it)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.backlog import services as backlog_services
from apps.meetings import selectors, services
from apps.meetings.models import ActionItem, AgendaItem

pytestmark = pytest.mark.django_db

ICE = ("impact", "confidence", "ease")


@pytest.fixture
def program(demo, meeting, propose):
    guest = propose(title="Guest checkout by default")
    search = propose("tomas", title="Typo-tolerant search")
    for scorer, values in (("priya", (10, 10, 10)), ("lena", (1, 1, 1))):
        backlog_services.score_submit(
            actor=demo.users[scorer], hypothesis=search,
            values=dict(zip(ICE, values, strict=True)),
        )  # fmt: skip
    today = timezone.localdate()
    ActionItem.objects.create(
        working_group=demo.group, title="Write the design", owner=demo.users["lena"],
        due_on=today - timedelta(days=4),
    )  # fmt: skip
    ActionItem.objects.create(
        working_group=demo.group, title="Not due yet", owner=demo.users["lena"],
        due_on=today + timedelta(days=4),
    )  # fmt: skip
    return guest, search


def test_the_prep_lists_what_the_next_agenda_would_cover(demo, meeting, program):
    prep = selectors.meeting_prep(demo.users["priya"])

    assert prep.meeting == meeting
    sections = {s.source: s.titles for s in prep.sections}
    assert sections["backlog.proposed"] == [
        "New: Guest checkout by default",
        "New: Typo-tolerant search",
    ]
    assert "aob" not in str(sections) and "Any other business" not in str(sections)
    assert [a.title for a in prep.overdue] == ["Write the design"] and prep.overdue_count == 1
    assert not AgendaItem.objects.exists()  # preparing drafts nothing


def test_the_panel_shows_on_the_program_managers_dashboard_only(demo, meeting, program, web_as):
    pm_page = web_as("priya").get("/").content.decode()
    member_page = web_as("lena").get("/").content.decode()
    stakeholder_page = web_as("sofia").get("/").content.decode()

    assert 'data-testid="meeting-prep"' in pm_page
    assert "New: Guest checkout by default" in pm_page
    assert "Write the design" in pm_page and "Overdue action items" in pm_page
    assert 'data-testid="meeting-prep"' not in member_page
    assert 'data-testid="meeting-prep"' not in stakeholder_page


def test_scores_in_disagreement_and_decision_points_due_have_their_sections(
    demo, meeting, propose, monkeypatch
):
    from apps.meetings import hooks
    from apps.meetings.hooks import AgendaCandidate

    monkeypatch.setattr(hooks, "_SOURCES", dict(hooks._SOURCES))

    @hooks.agenda_source("tests.due", order=40, heading="Decision points due")
    def due(ctx):
        yield AgendaCandidate(key="milestone:1:due", title="Decide: ranking model", minutes=10)

    express = propose("aisha", title="Express pay above the fold")
    backlog_services.hypothesis_transition(
        actor=demo.users["priya"], hypothesis=express, to_status="accepted"
    )
    for scorer, values in (("priya", (10, 10, 10)), ("lena", (1, 1, 1))):
        backlog_services.score_submit(
            actor=demo.users[scorer], hypothesis=express,
            values=dict(zip(ICE, values, strict=True)),
        )  # fmt: skip

    prep = selectors.meeting_prep(demo.users["priya"])

    headings = {s.heading: s.titles for s in prep.sections}
    assert headings["Scores disagree: discuss"] == ["Discuss scores: Express pay above the fold"]
    assert headings["Decision points due"] == ["Decide: ranking model"]


def test_no_prep_without_a_meeting_to_run(demo):
    assert selectors.meeting_prep(demo.users["priya"]) is None


def test_a_cancelled_meeting_is_not_prepared(demo, meeting):
    services.meeting_cancel(actor=demo.users["priya"], meeting=meeting, reason="Holiday")
    assert selectors.meeting_prep(demo.users["priya"]) is None
