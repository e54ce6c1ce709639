"""In real Chromium: a member never sees a control their role cannot use, a POST forced past
a hidden control gets the styled 403 with the policy's reason, and a new action item's error
shows beside its field without the page reloading.

Controls checked as Tomás (a member who owns none of these): the status form on other
people's action items, the meeting's "Move a hypothesis" form and its "Record the decision"
links, the agenda's management (draft, share, reorder, edit, remove, add, attendance), and
the experiment's review buttons. The program manager, the statistics lead and the owner see
theirs, so the same selectors would catch a control that vanished for everyone.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from .program import build, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MANAGEMENT = [
    "[data-testid=draft-agenda]",
    "[data-testid=share-notes]",
    "[data-testid=move-up]",
    "[data-testid=move-down]",
    "[data-testid=agenda-add]",
    "form[action$='/attendance/']",
    "[data-testid=hypothesis-transition]",
]


def _force_post(page, url: str, fields: dict) -> None:
    """Submit a form the page does not offer, as someone editing the HTML would."""
    with page.expect_navigation():
        _submit(page, url, fields)


def _submit(page, url: str, fields: dict) -> None:
    page.evaluate(
        """([url, fields]) => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const form = document.createElement('form');
            form.method = 'post';
            form.action = url;
            for (const [name, value] of Object.entries({...fields, csrfmiddlewaretoken: token})) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [url, fields],
    )


def test_a_member_sees_no_control_they_cannot_use_and_a_forced_post_says_why(
    live_server, page, demo, demo_password
):
    program = build(demo)
    meeting_url = live_server.url + reverse("meetings:detail", args=[program.meeting.pk])
    actions_url = live_server.url + reverse("meetings:action-items", args=[demo.group.slug])
    experiment_url = live_server.url + reverse("experiments:detail", args=[program.experiment.pk])
    priyas = program.action_items["priya"]

    # The program manager and the statistics lead see their controls.
    login(page, live_server.url, "priya", demo_password)
    page.goto(meeting_url)
    for selector in MANAGEMENT:
        assert page.locator(selector).count() > 0, selector
    assert page.locator("[data-testid=decide-link]").count() > 0
    page.goto(actions_url)
    assert page.locator("[data-testid=status-form]").count() == 2
    login(page, live_server.url, "marco", demo_password)
    page.goto(experiment_url)
    assert page.locator("[data-testid=action-approve]").count() == 1

    # A member: none of them.
    login(page, live_server.url, "tomas", demo_password)
    page.goto(meeting_url)
    for selector in MANAGEMENT:
        assert page.locator(selector).count() == 0, selector
    assert page.locator("[data-testid=decide-link]").count() == 0
    page.goto(actions_url)
    assert page.locator("[data-testid=status-form]").count() == 0
    assert page.locator("[data-testid=action-row] [data-testid=status]").count() == 2
    assert "done by" not in page.inner_text("main")
    page.goto(experiment_url)
    for action in ("approve", "request_changes", "submit", "start"):
        assert page.locator(f"[data-testid=action-{action}]").count() == 0, action

    # The assignee of the program manager's item may move it along: the form is there.
    login(page, live_server.url, "aisha", demo_password)
    page.goto(actions_url)
    row = page.locator(f"#action-{priyas.pk}")
    assert row.locator("[data-testid=status-form]").count() == 1
    assert "assigned to Aisha Khan" in row.inner_text()

    # Forcing the hidden control anyway: the styled 403, with the navigation and the reason.
    login(page, live_server.url, "tomas", demo_password)
    page.goto(actions_url)
    status_url = reverse("meetings:action-status", args=[priyas.pk])
    _force_post(page, status_url, {"status": "done", "blocked_reason": ""})
    assert page.locator("[data-testid=error-page]").is_visible()
    assert "Only the owner, their delegate or the program manager may change this." in (
        page.inner_text("[data-testid=error-reason]")
    )
    assert page.locator("header.topbar").is_visible()
    page.goto(meeting_url)
    hypothesis = program.hypotheses[0]
    _force_post(
        page,
        reverse("meetings:decision-add", args=[program.meeting.pk]),
        {
            "kind": "hypothesis.transition",
            "hypothesis-transition-hypothesis": str(hypothesis.pk),
            "hypothesis-transition-to_status": "accepted",
            "hypothesis-transition-text": "Accept it",
        },
    )
    assert "Only the program manager accepts, parks, rejects or revives hypotheses." in (
        page.inner_text("[data-testid=error-reason]")
    )
    priyas.refresh_from_db()
    hypothesis.refresh_from_db()
    assert (priyas.status, hypothesis.status) == ("open", "proposed")

    # A refused htmx request swaps nothing: the reason shows at the top of the page instead.
    page.goto(meeting_url)
    item = program.meeting.agenda_items.order_by("position").last()
    page.evaluate(
        "url => htmx.ajax('POST', url, {target: '#agenda', swap: 'outerHTML'})",
        reverse("meetings:agenda-move", args=[item.pk, "up"]),
    )
    banner = page.locator("[data-testid=request-error]")
    banner.wait_for()
    assert banner.inner_text() == (
        "Only the program manager or an admin of this working group may do this."
    )


def test_a_past_due_date_shows_its_error_beside_the_field_without_a_reload(
    live_server, page, demo, demo_password
):
    program = build(demo)
    login(page, live_server.url, "lena", demo_password)
    page.goto(live_server.url + reverse("meetings:detail", args=[program.meeting.pk]))
    form = page.locator("[data-testid=action-form]")
    form.scroll_into_view_if_needed()
    page.evaluate("window.stillThisPage = true")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    form.locator("input[name=title]").fill("Book the pricing-page surface")
    form.locator("select[name=owner]").select_option(label="Lena Hoffmann")
    form.locator("input[name=due_on]").fill(yesterday.isoformat())
    form.locator("button[type=submit]").click()

    error = page.locator("[data-testid=action-form] label:has(input[name=due_on]) .error")
    error.wait_for()
    assert "The due date is in the past" in error.inner_text()
    assert page.evaluate("window.stillThisPage") is True  # swapped in place, not reloaded
    assert page.evaluate("window.scrollY") > 0
    assert page.locator("[data-testid=action-form] input[name=title]").input_value() == (
        "Book the pricing-page surface"
    )

    # Fixed in place, it is added and the row appears above a fresh form.
    today = timezone.localdate()
    page.locator("[data-testid=action-form] input[name=due_on]").fill(today.isoformat())
    page.locator("[data-testid=action-form] button[type=submit]").click()
    page.locator("[data-testid=action-added]").wait_for()
    rows = page.locator("[data-testid=action-items] [data-testid=action-row]")
    assert any("Book the pricing-page surface" in text for text in rows.all_inner_texts())
    assert page.locator("[data-testid=action-form] .error").count() == 0
    assert page.evaluate("window.stillThisPage") is True
