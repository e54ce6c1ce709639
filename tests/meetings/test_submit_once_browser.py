"""In real Chromium: a double-clicked decision is recorded once and its button is disabled
while it posts; an agenda item or plan form opened before someone else's save shows the
conflict and saves only when asked again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.meetings import services
from apps.meetings.models import AgendaItem, Decision, Kind
from apps.roadmap import services as roadmap_services
from apps.roadmap.models import ResearchPlan
from tests.roadmap.factories import plan_with

from .test_meetings_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(demo):
    return services.meeting_create(
        actor=demo.users["priya"], group=demo.group, kind=Kind.WORKING_GROUP,
        title="Growth working group", starts_at=timezone.now() + timedelta(days=5),
    )  # fmt: skip


def test_a_double_clicked_decision_is_recorded_once(
    live_server, page, demo, demo_password, meeting
):
    log_in(page, live_server, "priya", demo_password)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    form = page.locator("[data-testid=decision-form]")
    form.locator("textarea[name=text]").fill("One experiment per page at a time")

    form.locator("button[type=submit]").dblclick()

    page.locator("[data-testid=decisions]").get_by_text("One experiment per page").wait_for()
    assert list(Decision.objects.values_list("text", flat=True)) == [
        "One experiment per page at a time"
    ]


def test_a_posting_form_disables_its_button_and_sends_once(
    live_server, page, demo, demo_password, meeting
):
    log_in(page, live_server, "priya", demo_password)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    # The answer loads in a frame, so this page (and its button) stays to be looked at.
    page.evaluate(
        """() => {
            const sink = document.createElement("iframe");
            sink.name = "sink";
            document.body.append(sink);
            document.querySelector("[data-testid=decision-form]").target = "sink";
        }"""
    )
    form = page.locator("[data-testid=decision-form]")
    form.locator("textarea[name=text]").fill("Ship it")
    button = form.locator("button[type=submit]")

    button.click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=decision-form] button').disabled"
    )
    page.evaluate("() => document.querySelector('[data-testid=decision-form]').requestSubmit()")
    page.wait_for_timeout(500)

    assert posts == [f"{live_server.url}/meetings/{meeting.pk}/decisions/"]
    assert Decision.objects.filter(meeting=meeting).count() == 1


def test_a_stale_agenda_item_form_shows_the_conflict(
    live_server, page, demo, demo_password, meeting
):
    pm = demo.users["priya"]
    item = services.agenda_item_add(actor=pm, meeting=meeting, title="Pricing", minutes=10)
    log_in(page, live_server, "priya", demo_password)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    card = page.locator(f"#item-{item.pk}")
    card.get_by_role("button", name="Edit").click()
    page.locator(f"#item-{item.pk} input[name=title]").wait_for()
    # Someone else saves the item while this form is open.
    services.agenda_item_update(actor=pm, item=item, title="Pricing tiers", version=0)

    page.locator(f"#item-{item.pk} input[name=title]").fill("Pricing, the long version")
    page.locator(f"#item-{item.pk} [data-testid=save-item]").click()

    conflict = page.locator("[data-testid=agenda-item-conflict]")
    conflict.wait_for()
    assert "Pricing tiers" in conflict.inner_text()
    assert AgendaItem.objects.get(pk=item.pk).title == "Pricing tiers"

    page.locator(f"#item-{item.pk} [data-testid=save-item]").click()  # save mine over theirs
    page.locator("[data-testid=agenda-title]", has_text="Pricing, the long version").wait_for()
    assert AgendaItem.objects.get(pk=item.pk).title == "Pricing, the long version"


def test_a_stale_plan_form_shows_the_conflict(live_server, page, demo, demo_password):
    plan = plan_with(demo)
    log_in(page, live_server, "aisha", demo_password)
    page.goto(f"{live_server.url}/roadmap/plans/{plan.pk}/edit/")
    roadmap_services.plan_update(
        actor=demo.users["priya"], plan=plan, goal="Their goal", version=plan.version
    )

    page.fill("input[name=title]", "Shorter checkout")
    page.click("[data-testid=save-plan]")

    conflict = page.locator("[data-testid=plan-conflict]")
    conflict.wait_for()
    assert "Their goal" in conflict.inner_text()
    assert ResearchPlan.objects.get(pk=plan.pk).title == "Checkout path"

    page.click("[data-testid=save-plan]")
    page.wait_for_url(f"{live_server.url}/roadmap/plans/{plan.pk}/")
    assert ResearchPlan.objects.get(pk=plan.pk).title == "Shorter checkout"
