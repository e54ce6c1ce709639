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


def test_the_pm_records_a_pivot_in_a_meeting_and_the_roadmap_and_update_show_it(
    live_server, page, demo, demo_password
):
    import datetime

    from django.utils import timezone

    from apps.meetings import services as meeting_services
    from apps.meetings.models import Kind
    from apps.roadmap.demo import seed_roadmap
    from apps.roadmap.models import ResearchPlan

    seed_roadmap(demo)
    plan = ResearchPlan.objects.get(title="Learning-to-rank for search")
    current = plan.current_milestone()
    meeting = meeting_services.meeting_create(
        actor=demo.users["priya"],
        group=demo.group,
        title="Working group",
        kind=Kind.WORKING_GROUP,
        starts_at=timezone.now() + datetime.timedelta(hours=2),
    )
    pivots = f"[data-testid=timeline-svg] g[data-plan='{plan.pk}'] polygon[data-state=pivot]"

    page.goto(f"{live_server.url}/roadmap/")
    page.fill("#id_username", "priya")
    page.fill("#id_password", demo_password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=timeline-svg]")
    before = page.locator(pivots).count()

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    form = page.locator("[data-testid=milestone-decide]")
    form.locator("select[name=milestone-decide-milestone]").select_option(str(current.pk))
    form.locator("select[name=milestone-decide-outcome]").select_option("pivot")
    form.locator("textarea[name=milestone-decide-rationale]").fill(
        "The re-ranker misses the latency budget: distil it first."
    )
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=decisions]")
    assert (
        "Pivot at “Learning-to-rank for search"
        in page.locator("[data-testid=decisions]").inner_text()
    )

    page.goto(f"{live_server.url}/roadmap/")
    page.wait_for_selector("[data-testid=timeline-svg]")
    assert page.locator(pivots).count() == before + 1

    page.goto(f"{live_server.url}/roadmap/updates/?group={demo.group.slug}")
    update = page.locator("[data-testid=update]").inner_text()
    assert "distil it first" in update and "Learning-to-rank for search" in update


def test_a_decision_without_rationale_shows_the_rule_in_place_then_records(
    live_server, page, demo, demo_password
):
    """The form's errors come back as a 422, which htmx swaps in only because base.html's
    htmx-config lets 422 through; by default htmx 2 drops every 4xx."""
    from apps.roadmap.models import Decision

    from .factories import plan_with

    plan = plan_with(demo)
    page.goto(f"{live_server.url}/roadmap/plans/{plan.pk}/")
    page.fill("#id_username", "aisha")
    page.fill("#id_password", demo_password)
    page.click("button[type=submit]")

    page.click("[data-testid=decide]")
    form = page.locator("[data-testid=decide-form]")
    form.locator("input[name=outcome][value=continue]").check()
    with page.expect_response(lambda r: "/decide/" in r.url and r.request.method == "POST") as sent:
        form.locator("button[type=submit]").click()
    assert sent.value.status == 422
    page.wait_for_selector("[data-testid=decide-form] .error[role=alert]")
    assert "rationale" in form.locator(".error[role=alert]").inner_text()
    assert not Decision.objects.exists()

    form.locator("textarea[name=rationale]").fill("Conversion held above the threshold.")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=latest-decision]")
    assert Decision.objects.get().rationale == "Conversion held above the threshold."
