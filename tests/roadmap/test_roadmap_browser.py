"""In real Chromium: a stakeholder reads the roadmap and a plan's latest decision, and
finds nothing to edit."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stakeholder_reads_the_roadmap_and_a_plan_and_cannot_edit(
    live_server, page, demo, demo_password
):
    from apps.roadmap.demo import seed_roadmap

    seed_roadmap(demo)
    page.goto(f"{live_server.url}/roadmap/")
    page.fill("#id_username", "james")
    page.fill("#id_password", demo_password)
    page.click("button[type=submit]")

    page.wait_for_selector("[data-testid=timeline-svg]")
    timeline = page.locator("[data-testid=timeline-svg]")
    assert timeline.locator("rect.bar").count() == 3  # the confidential Commerce plan is hidden
    assert timeline.locator("polygon[data-state=pivot]").count() == 1
    assert timeline.locator("polygon[data-state=ship]").count() == 1
    assert "Decoy tier" not in page.content()
    assert page.locator("[data-testid=new-plan]").count() == 0

    page.click("text=Learning-to-rank for search >> nth=-1")
    page.wait_for_selector("[data-testid=latest-decision]")
    latest = page.locator("[data-testid=latest-decision]").inner_text()
    assert "Pivot" in latest and "re-rank" in latest
    assert "re-ranker" in page.locator("[data-testid=next-step]").inner_text().lower()
    assert page.locator("[data-testid=plan-actions]").count() == 0
    assert page.locator("[data-testid=decide]").count() == 0
    assert page.locator("form.milestone-form").count() == 0
    assert page.locator("button:has-text('Edit')").count() == 0
