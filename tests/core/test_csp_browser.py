"""In real Chromium, under the Content-Security-Policy: the main pages raise no violation,
htmx swaps and the bars are sized."""

import io

import pytest
from django.core.management import call_command

from apps.backlog.models import Hypothesis
from apps.meetings.models import Meeting
from apps.roadmap.models import ResearchPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """Console errors and page errors; Chromium reports each CSP violation as one."""
    seen = []
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    return seen


@pytest.fixture
def logged_in(live_server, page, demo_password):
    call_command("seed_demo", stdout=io.StringIO())
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "priya")
    page.fill("#id_password", demo_password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=group-card]")
    return page


def test_the_main_pages_run_under_the_policy_without_a_violation(
    live_server, logged_in, violations
):
    page = logged_in
    paths = [
        "/",
        "/backlog/",
        f"/backlog/{Hypothesis.objects.order_by('pk').first().pk}/",
        "/meetings/",
        f"/meetings/{Meeting.objects.order_by('pk').first().pk}/",
        "/roadmap/",
        f"/roadmap/plans/{ResearchPlan.objects.order_by('pk').first().pk}/",
        "/calculators/",
        "/api/docs/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert "content-security-policy" in response.headers, path
        assert violations == [], path

    # The Swagger UI built itself from its nonce'd start-up script.
    page.wait_for_selector(".swagger-ui .info")


def test_htmx_swaps_and_the_bars_are_sized_under_the_policy(live_server, logged_in, violations):
    page = logged_in
    page.goto(f"{live_server.url}/backlog/")

    share = page.locator(".portfolio .product-share")
    width = share.get_attribute("data-bar-width")
    assert share.evaluate("el => el.style.width") == f"{width}%"

    # hx-get swaps a score form in after the row; Cancel (a data attribute, not hx-on)
    # takes it out again.
    page.locator("[data-testid=score-button]").first.click()
    form = page.locator("[data-testid=score-form]")
    form.wait_for()
    form.locator("[data-removes-row]").click()
    form.wait_for(state="detached")

    assert violations == []
