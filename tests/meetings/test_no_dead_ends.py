"""Meeting pages offer only the controls a person's role allows, name what decisions
changed instead of their internal kind, and keep a new action item's errors in place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.meetings import services
from apps.meetings.services.action_items import action_items_updatable_by

pytestmark = pytest.mark.django_db


def _item(demo, owner: str, assignee: str | None = None, title: str = "Write the design"):
    return services.action_item_create(
        actor=demo.users["priya"],
        group=demo.group,
        title=title,
        owner=demo.users[owner],
        assignee=demo.users[assignee] if assignee else None,
        due_on=timezone.localdate() + timedelta(days=5),
    )


def test_status_controls_go_to_the_owner_their_delegate_the_assignee_and_the_pm(demo):
    lenas = _item(demo, "lena")
    priyas = _item(demo, "priya", assignee="tomas")
    items = [lenas, priyas]

    def who(username):
        return action_items_updatable_by(demo.users[username], items)

    assert who("lena") == {lenas.pk}
    assert who("aisha") == {lenas.pk}  # Lena's delegate
    assert who("tomas") == {priyas.pk}  # the assignee moves it along
    assert who("priya") == {lenas.pk, priyas.pk}
    assert who("marco") == set()
    assert who("sofia") == set()


def test_asking_about_many_items_costs_one_question_per_owner(demo, django_assert_max_num_queries):
    items = [_item(demo, "lena", title=f"Item {i}") for i in range(12)]
    user = demo.users["marco"]

    with django_assert_max_num_queries(2):  # memberships once, Lena's delegate once
        assert action_items_updatable_by(user, items) == set()


def test_the_action_items_page_shows_others_their_status_not_a_form(web_as, demo):
    lenas = _item(demo, "lena", assignee="aisha")

    html = web_as("tomas").get(f"/meetings/groups/{demo.group.slug}/action-items/").content
    page = html.decode()

    assert 'data-testid="status-form"' not in page
    assert 'data-testid="status"' in page
    assert "assigned to Aisha Khan" in page and "done by" not in page

    mine = web_as("lena").get(f"/meetings/groups/{demo.group.slug}/action-items/")
    assert f'action="/meetings/action-items/{lenas.pk}/status/"' in mine.content.decode()


def test_a_stakeholder_is_offered_no_working_session(web_as, demo):
    _item(demo, "lena")

    page = web_as("sofia").get(f"/meetings/groups/{demo.group.slug}/action-items/")

    assert "Working session" not in page.content.decode()


def test_moving_a_hypothesis_is_offered_to_the_program_manager_only(web_as, meeting, propose):
    propose("lena")

    member = web_as("lena").get(f"/meetings/{meeting.pk}/").content.decode()
    manager = web_as("priya").get(f"/meetings/{meeting.pk}/").content.decode()

    assert 'data-testid="hypothesis-transition"' not in member
    assert 'data-testid="hypothesis-transition"' in manager


def test_an_applied_decision_says_what_it_changed_with_a_link(web_as, demo, meeting, propose):
    hypothesis = propose("lena", title="Guest checkout by default")
    services.decision_record(
        actor=demo.users["priya"],
        meeting=meeting,
        text="Accept: worth a test this quarter",
        kind="hypothesis.transition",
        payload={"hypothesis": hypothesis.pk, "to_status": "accepted"},
    )

    page = web_as("sofia").get(f"/meetings/{meeting.pk}/").content.decode()

    assert "hypothesis.transition" not in page
    assert (
        f'<a class="badge status-accepted" href="/backlog/{hypothesis.pk}/" '
        'data-testid="decision-outcome">Guest checkout by default → Accepted</a>'
    ) in page


def test_a_past_due_date_from_htmx_comes_back_in_place_as_a_422(web_as, demo, meeting):
    response = web_as("lena").post(
        f"/meetings/{meeting.pk}/action-items/",
        {
            "title": "",
            "owner": demo.users["lena"].pk,
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="action-items-body"' in html and "<header" not in html
    assert "This field is required." in html


def test_a_service_refusal_lands_on_its_field_in_the_swapped_block(web_as, demo, meeting):
    response = web_as("lena").post(
        f"/meetings/{meeting.pk}/action-items/",
        {
            "title": "Book the surface",
            "owner": demo.users["lena"].pk,
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    html = response.content.decode()
    due_label = html[html.index('name="due_on"') - 200 : html.index('name="due_on"') + 400]
    assert "The due date is in the past" in due_label
    assert not meeting.action_items.exists()


def test_an_added_action_item_comes_back_in_place(web_as, demo, meeting):
    response = web_as("lena").post(
        f"/meetings/{meeting.pk}/action-items/",
        {
            "title": "Book the surface",
            "owner": demo.users["lena"].pk,
            "due_on": timezone.localdate().isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="action-added"' in html and "Book the surface" in html
    assert meeting.action_items.count() == 1


def test_without_htmx_a_refused_action_item_still_renders_the_page(web_as, demo, meeting):
    response = web_as("lena").post(
        f"/meetings/{meeting.pk}/action-items/",
        {"title": "x", "owner": demo.users["lena"].pk, "due_on": "2000-01-01"},
    )

    assert response.status_code == 400
    assert "<header" in response.content.decode()


def test_a_withheld_decision_names_nothing_it_changed():
    from types import SimpleNamespace

    from apps.meetings import hooks

    withheld = SimpleNamespace(pk=1, kind="milestone.decide", withheld=True, payload={})
    plain = SimpleNamespace(pk=2, kind="", withheld=False, payload={})
    undescribed = SimpleNamespace(pk=3, kind="experiment.conclude", withheld=False, payload={})

    rows = hooks.describe_decisions([withheld, plain, undescribed])

    assert [outcome for _, outcome in rows] == [None, None, hooks.DecisionOutcome("applied")]
