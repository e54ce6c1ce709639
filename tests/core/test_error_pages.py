"""The 403, 404 and 500 pages: styled, with the navigation, and saying why.

A refusal shows the role policy's reason (the words the service raised), so a member who
forces a POST past a hidden control reads what only the program manager may do, not a
bare "403 Forbidden".
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.utils import timezone

from apps.accounts.policy import Action, refusal
from apps.core import error_pages

pytestmark = pytest.mark.django_db


def _meeting(demo):
    from apps.meetings import services
    from apps.meetings.models import Kind

    return services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        kind=Kind.WORKING_GROUP,
        title="Growth working group",
        starts_at=timezone.now() + timedelta(days=7),
        timezone_name="Europe/Berlin",
    )


def _proposal(demo):
    from apps.backlog import services

    return services.hypothesis_propose(
        actor=demo.users["lena"],
        group=demo.group,
        title="Guest checkout by default",
        change="preselect guest checkout",
        metric="checkout conversion",
        rationale="the sign-in wall is the most-clicked back button target",
    )


def _assert_site_page(html: str) -> None:
    assert 'class="topbar"' in html
    assert 'aria-label="Sections"' in html
    assert "Log out" in html
    assert 'data-testid="error-page"' in html


def test_a_member_forcing_a_hypothesis_move_gets_the_styled_403_with_the_reason(web_as, demo):
    meeting = _meeting(demo)
    hypothesis = _proposal(demo)
    client = web_as("lena")

    response = client.post(
        f"/meetings/{meeting.pk}/decisions/",
        {
            "kind": "hypothesis.transition",
            "hypothesis-transition-hypothesis": hypothesis.pk,
            "hypothesis-transition-to_status": "accepted",
            "hypothesis-transition-text": "Accept it",
        },
    )

    assert response.status_code == 403
    html = response.content.decode()
    _assert_site_page(html)
    assert "Only the program manager accepts, parks, rejects or revives hypotheses." in html
    hypothesis.refresh_from_db()
    assert hypothesis.status == "proposed"
    assert not meeting.decisions.exists()


def test_a_member_forcing_a_status_on_anothers_action_item_reads_the_policy_reason(web_as, demo):
    from apps.meetings import services

    item = services.action_item_create(
        actor=demo.users["priya"],
        group=demo.group,
        title="Book the pricing-page surface",
        owner=demo.users["priya"],
        due_on=timezone.localdate() + timedelta(days=5),
    )

    response = web_as("tomas").post(
        f"/meetings/action-items/{item.pk}/status/", {"status": "done", "blocked_reason": ""}
    )

    assert response.status_code == 403
    html = response.content.decode()
    _assert_site_page(html)
    assert refusal(Action.EDIT) in html
    item.refresh_from_db()
    assert item.status == "open"


def test_a_page_refused_by_role_says_which_role_may(web_as, demo):
    meeting = _meeting(demo)

    response = web_as("sofia").post(f"/meetings/{meeting.pk}/draft/")

    assert response.status_code == 403
    assert refusal(Action.MANAGE) in response.content.decode()


def test_an_unknown_address_gets_the_styled_404_with_the_navigation(web_as):
    response = web_as("lena").get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    _assert_site_page(html)
    assert "/no-such-page/" in html
    assert error_pages.DEFAULT_MISSING in html


def test_an_item_in_another_group_says_what_was_not_found(web_as):
    from tests.meetings.factories import MeetingFactory

    elsewhere = MeetingFactory()

    response = web_as("lena").get(f"/meetings/{elsewhere.pk}/")

    assert response.status_code == 404
    assert "No such meeting." in response.content.decode()


def test_the_404_names_no_url_patterns(web_as):
    # Django's resolver 404 carries the patterns it tried; those are not for visitors.
    response = web_as(None).get("/api-nope/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "urlpatterns" not in html and "tried" not in html
    assert 'class="topbar"' in html  # the brand links home even for a visitor


def test_a_server_error_gets_the_styled_500_with_the_navigation(demo):
    request = RequestFactory().get("/backlog/")
    request.user = demo.users["lena"]

    response = error_pages.server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'aria-label="Sections"' in html


def test_the_500_page_still_renders_when_the_full_page_cannot(demo):
    # The error may be the database: the navigation needs it, the bare template does not.
    request = RequestFactory().get("/backlog/")
    request.user = demo.users["lena"]

    with mock.patch.object(error_pages, "render", side_effect=RuntimeError("database down")):
        response = error_pages.server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'aria-label="Sections"' not in html


def test_a_view_that_fails_answers_the_styled_500(client, demo):
    client.raise_request_exception = False
    client.force_login(demo.users["lena"])

    with mock.patch(
        "apps.accounts.views.DashboardView.get", side_effect=RuntimeError("boom"), create=True
    ):
        response = client.get("/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_every_page_links_the_favicon_and_the_ico_address_finds_it(web_as):
    html = web_as("lena").get("/backlog/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html

    response = web_as(None).get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")


def test_a_post_without_its_form_token_gets_the_styled_403_saying_what_to_do(demo):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.users["lena"])

    response = client.post("/calculators/", {})

    assert response.status_code == 403
    html = response.content.decode()
    assert error_pages.STALE_FORM in html
    assert 'aria-label="Sections"' in html
