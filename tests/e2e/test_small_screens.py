"""In real Chromium at a phone's width (390 px): every main page, reached from the
navigation as the program manager, fits the screen without sideways scrolling; the
navigation folds behind a Menu button (and, without JavaScript, wraps instead); wide tables
scroll inside their own box; a long unbroken URL in a note or in evidence wraps."""

import pytest
from django.urls import reverse

from .program import LONG_URL, build, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WIDE_SCRIPT = (
    "Array.from(document.querySelectorAll('body *'))"
    ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
    ".filter(e => !e.closest('.table-scroll, .calc-scroll, .timeline-card, main table'))"
    ".slice(0, 6).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '')"
    ".trim().slice(0, 40))"
)


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _main_pages(page, live_server, program, group_slug) -> list[str]:
    """Every section the navigation links, then the main detail pages."""
    sections = page.eval_on_selector_all(
        "nav.sections a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(sections) >= 5, sections
    return [
        reverse("dashboard"),
        *sections,
        reverse("backlog:hypothesis", args=[program.hypotheses[1].pk]),
        reverse("meetings:detail", args=[program.meeting.pk]),
        reverse("meetings:action-items", args=[group_slug]),
        reverse("roadmap:plan", args=[program.plan.pk]),
        reverse("experiments:detail", args=[program.experiment.pk]),
    ]


def test_no_main_page_scrolls_sideways_on_a_phone(
    live_server, browser, demo, demo_password, tmp_path
):
    program = build(demo)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    login(page, live_server.url, "priya", demo_password)

    # The menu: folded behind its button, which opens it and says so.
    toggle = page.locator("[data-menu-toggle]")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("nav.sections").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Calculators").is_visible()
    log_out = page.get_by_role("button", name="Log out")
    assert log_out.is_visible()
    assert log_out.bounding_box()["x"] + log_out.bounding_box()["width"] <= PHONE["width"]

    widths = {}
    for path in _main_pages(page, live_server, program, demo.group.slug):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        widths[path] = (_page_width(page), page.evaluate(WIDE_SCRIPT))
        page.screenshot(path=str(tmp_path / f"{path.strip('/').replace('/', '_') or 'home'}.png"))
    too_wide = {path: found for path, found in widths.items() if found[0] > PHONE["width"]}
    assert not too_wide, too_wide

    # The backlog's score columns are in reach: its table scrolls inside its own box.
    page.goto(live_server.url + reverse("backlog:index"))
    table = page.locator("main table").first
    box = table.evaluate(
        "t => { const s = t.closest('.table-scroll') || t;"
        " return [s.scrollWidth, s.clientWidth, getComputedStyle(s).overflowX]; }"
    )
    assert box[2] == "auto"

    # A long unbroken URL in a meeting note wraps inside the screen.
    page.goto(live_server.url + reverse("meetings:detail", args=[program.meeting.pk]))
    note = page.locator(".notes-rendered", has_text=LONG_URL[:40]).first
    right = note.evaluate("e => e.getBoundingClientRect().right")
    assert right <= PHONE["width"]
    assert _page_width(page) <= PHONE["width"]
    context.close()


def test_without_javascript_the_menu_is_a_wrapped_list(live_server, browser, demo, demo_password):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    login(page, live_server.url, "priya", demo_password)

    assert not page.locator("[data-menu-toggle]").is_visible()
    assert page.get_by_role("link", name="Calculators").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    assert _page_width(page) <= PHONE["width"]
    context.close()
