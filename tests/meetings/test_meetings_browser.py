"""In real Chromium: the program manager drafts the agenda, reorders it, records a note and
a decision that accepts a hypothesis (the backlog shows it accepted), creates an action item
and a working session about it, shares the notes and downloads the Markdown and the .ics."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from apps.backlog import services as backlog_services
from apps.meetings import services
from apps.meetings.models import ActionItem, Kind, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def agenda_titles(page) -> list[str]:
    return page.locator("[data-testid=agenda-title]").all_inner_texts()


def test_the_pm_runs_a_meeting_end_to_end(live_server, page, demo, demo_password):
    users, group = demo.users, demo.group
    hypothesis = backlog_services.hypothesis_propose(
        actor=users["lena"], group=group, title="Guest checkout by default",
        change="preselect guest checkout", metric="checkout conversion",
        rationale="the sign-in wall is the most-clicked back button",
    )  # fmt: skip
    meeting = services.meeting_create(
        actor=users["priya"], group=group, kind=Kind.WORKING_GROUP, title="Growth working group",
        starts_at=timezone.now() + timedelta(days=5), timezone_name="Europe/Berlin",
    )  # fmt: skip

    log_in(page, live_server, "priya", demo_password)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.click("[data-testid=draft-agenda]")
    page.wait_for_selector("[data-testid=agenda-item]")
    titles = agenda_titles(page)
    assert titles[0] == "New: Guest checkout by default" and titles[-1] == "Any other business"

    # Reorder with htmx: any other business moves up one place, without a page load.
    page.locator("[data-testid=agenda-item]").last.locator("[data-testid=move-up]").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=agenda-title]')].slice(-1)[0]"
        ".innerText !== 'Any other business'"
    )
    assert agenda_titles(page)[-2] == "Any other business"

    # A note on the first item, saved in place.
    first = page.locator("[data-testid=agenda-item]").first
    first.locator("summary").click()
    first.locator("[data-testid=notes-input]").fill("Lena: **ship it** behind a flag")
    first.locator("[data-testid=save-notes]").click()
    first.locator("[data-testid=notes-rendered] strong").wait_for()
    assert first.locator("[data-testid=notes-rendered]").inner_text().startswith("Lena: ship it")

    # A decision that accepts the hypothesis, from its agenda item: the backlog's own form
    # opens with the hypothesis chosen.
    page.locator(
        f"[data-key='hypothesis:{hypothesis.pk}:proposed'] [data-testid=decide-link]"
    ).click()
    form = page.locator("[data-testid=hypothesis-transition]")
    assert form.locator("select[name=hypothesis-transition-hypothesis]").input_value() == str(
        hypothesis.pk
    )
    form.locator("select[name=hypothesis-transition-to_status]").select_option("accepted")
    form.locator("textarea[name=hypothesis-transition-text]").fill(
        "Accept guest checkout by default"
    )
    form.locator("button[type=submit]").click()
    page.locator("[data-testid=decisions]").get_by_text("Accept guest checkout").wait_for()
    page.goto(f"{live_server.url}/backlog/{hypothesis.pk}/")
    assert page.locator("[data-testid=status]").inner_text() == "Accepted"

    # An action item with an owner, then a working session about it.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    form = page.locator("[data-testid=action-form]")
    form.locator("input[name=title]").fill("Write the experiment design")
    form.locator("select[name=owner]").select_option(str(users["lena"].pk))
    form.locator("select[name=assignee]").select_option(str(users["aisha"].pk))
    form.locator("input[name=due_on]").fill((timezone.localdate() + timedelta(days=4)).isoformat())
    form.locator("button[type=submit]").click()
    row = page.locator("[data-testid=action-row]").filter(has_text="Write the experiment design")
    row.wait_for()
    item = ActionItem.objects.get(title="Write the experiment design")
    assert (item.owner, item.assignee, item.meeting_id) == (
        users["lena"],
        users["aisha"],
        meeting.pk,
    )

    row.get_by_text("Working session").click()
    session_form = page.locator("[data-testid=session-form]")
    session_form.locator("input[name=starts_at]").fill(
        (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    )
    session_form.locator("select[name=attendees]").select_option(
        [str(users["lena"].pk), str(users["aisha"].pk)]
    )
    session_form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/meetings/*/")
    session = Meeting.objects.get(kind=Kind.WORKING_SESSION)
    assert session.subject == item
    assert {a.user.username for a in session.attendees.all()} == {"lena", "aisha", "priya"}

    # Share, then download the Markdown and the calendar file.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.click("[data-testid=share-notes]")
    # The preview names the recipients and warns that the meeting is still ahead.
    assert page.locator("[data-testid=recipients] li").count() == 8
    page.locator("[data-testid=not-held]").wait_for()
    page.check("[data-testid=confirm-not-held]")
    page.click("[data-testid=confirm-share]")
    page.locator("[data-testid=notes-dispatch][data-status=sent]").wait_for()
    copies = {m.to[0]: m for m in mail.outbox}  # one copy per recipient
    assert len(copies) == len(mail.outbox) == 8
    assert "Accept guest checkout by default" in copies["sofia@example.com"].body

    with page.expect_download() as md:
        page.click("[data-testid=download-md]")
    text = Path(md.value.path()).read_text(encoding="utf-8")
    assert "**ship it**" in text and "Write the experiment design" in text
    with page.expect_download() as ics:
        page.click("[data-testid=download-ics]")
    assert b"BEGIN:VEVENT" in Path(ics.value.path()).read_bytes()


def test_the_pm_drags_an_agenda_item_to_the_top(live_server, page, demo, demo_password):
    pm = demo.users["priya"]
    meeting = services.meeting_create(
        actor=pm, group=demo.group, kind=Kind.WORKING_GROUP, title="Growth working group",
        starts_at=timezone.now() + timedelta(days=5),
    )  # fmt: skip
    for title in ("Checkout", "Search", "Pricing"):
        services.agenda_item_add(actor=pm, meeting=meeting, title=title)
    log_in(page, live_server, "priya", demo_password)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")

    items = page.locator("[data-testid=agenda-item]")
    with page.expect_response(lambda r: r.url.endswith("/agenda/order/")) as answer:
        items.nth(2).drag_to(items.nth(0), target_position={"x": 20, "y": 5})

    assert answer.value.status == 200
    page.wait_for_selector("[data-testid=agenda] >> text=drag an item")  # the server's agenda
    assert agenda_titles(page) == ["Pricing", "Checkout", "Search"]
    saved = meeting.agenda_items.order_by("position").values_list("title", flat=True)
    assert list(saved) == ["Pricing", "Checkout", "Search"]


def _three_item_agenda(live_server, page, demo, demo_password):
    pm = demo.users["priya"]
    meeting = services.meeting_create(
        actor=pm, group=demo.group, kind=Kind.WORKING_GROUP, title="Growth working group",
        starts_at=timezone.now() + timedelta(days=5),
    )  # fmt: skip
    for title in ("Checkout", "Search", "Pricing"):
        services.agenda_item_add(actor=pm, meeting=meeting, title=title)
    log_in(page, live_server, "priya", demo_password)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    return meeting


def test_a_refused_reorder_says_so_and_swaps_nothing_into_the_agenda(
    live_server, page, demo, demo_password
):
    meeting = _three_item_agenda(live_server, page, demo, demo_password)
    page.route(
        "**/agenda/order/",
        lambda route: route.fulfill(
            status=403, body="<h1>Forbidden</h1>", content_type="text/html"
        ),
    )

    items = page.locator("[data-testid=agenda-item]")
    items.nth(2).drag_to(items.nth(0), target_position={"x": 20, "y": 5})

    page.locator("[data-testid=agenda-order-error]").wait_for()
    assert "not saved" in page.locator("[data-testid=agenda-order-error]").inner_text()
    assert page.locator("text=Forbidden").count() == 0
    assert page.locator("[data-testid=agenda-item]").count() == 3
    saved = meeting.agenda_items.order_by("position").values_list("title", flat=True)
    assert list(saved) == ["Checkout", "Search", "Pricing"]


def test_a_reorder_after_the_session_ended_goes_to_the_login_page_not_into_the_agenda(
    live_server, page, demo, demo_password
):
    _three_item_agenda(live_server, page, demo, demo_password)
    page.context.clear_cookies(name="sessionid")

    items = page.locator("[data-testid=agenda-item]")
    with page.expect_navigation():
        items.nth(2).drag_to(items.nth(0), target_position={"x": 20, "y": 5})

    page.locator("#id_username").wait_for()
    assert page.locator("[data-testid=agenda]").count() == 0
