"""In real Chromium: a member starts proposing "show delivery cost earlier in checkout" and,
before saving, sees the past shipping-cost experiment with its outcome; they open it and
read its learning. And the search page filters by outcome and surface with facet counts
that match the index."""

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@pytest.fixture
def past(demo, settings):
    """The demo's first past experiments (the shipping-cost one first), concluded with
    published learnings, indexed on commit as the services save them."""
    from apps.knowledge.demo import seed_knowledge

    settings.KNOWLEDGE_SEMANTIC = False  # lexical: the same answer with or without the extra
    seed_knowledge(demo)
    return demo


def test_a_member_sees_what_was_tried_before_saving_and_reads_its_learning(
    live_server, page, past, demo_password, tmp_path
):
    from apps.experiments.models import Experiment
    from apps.knowledge.models import Learning

    shipping = Experiment.objects.get(key="pdp-delivery-cost")
    learning = Learning.objects.filter(links__experiment=shipping).order_by("pk").first()
    _login(page, f"{live_server.url}/backlog/groups/{past.group.slug}/propose/", "lena",
           demo_password)  # fmt: skip
    page.locator("#id_title").press_sequentially("show delivery cost earlier in checkout")
    item = page.locator('[data-testid="similar-item"][data-kind="experiment"]').filter(
        has_text=shipping.title
    )
    item.wait_for(timeout=10_000)
    assert item.get_by_test_id("outcome").inner_text() == "Won"
    assert page.locator("#id_title").input_value()  # still drafting: nothing saved
    shots = Path("/tmp/shots/ksearch")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "propose-panel.png"), full_page=True)

    page.goto(live_server.url + item.locator("a").first.get_attribute("href"))
    page.get_by_test_id("learning-prompt").get_by_role("link", name=learning.title).click()
    assert page.get_by_test_id("learning-title").inner_text() == learning.title
    assert learning.happened[:40] in page.content()


def test_a_member_ticks_a_past_experiment_as_a_duplicate_before_saving(
    live_server, page, past, demo_password
):
    from apps.backlog.models import Hypothesis
    from apps.experiments.models import Experiment
    from apps.knowledge.models.search import DuplicateLink

    shipping = Experiment.objects.get(key="pdp-delivery-cost")
    _login(page, f"{live_server.url}/backlog/groups/{past.group.slug}/propose/", "lena",
           demo_password)  # fmt: skip
    page.locator("#id_title").press_sequentially("show delivery cost earlier in checkout")
    item = page.locator('[data-testid="similar-item"][data-kind="experiment"]').filter(
        has_text=shipping.title
    )
    item.get_by_test_id("draft-duplicate").check(timeout=10_000)
    # Typing on refreshes the panel, which is sent the tick and keeps it.
    with page.expect_response(
        lambda r: "/knowledge/similar/" in r.url and "duplicate_of=" in r.url
    ) as refreshed:
        page.locator("#id_change").press_sequentially("show the delivery fee on the product page")
    assert refreshed.value.ok
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="draft-duplicate"]:checked').count() == 1
    page.fill("#id_metric", "checkout conversion")
    page.fill("#id_rationale", "surprise costs at the last step make people leave")
    page.click("[data-testid=hypothesis-form] button[type=submit]")
    assert page.locator("h1").inner_text() == "show delivery cost earlier in checkout"

    link = DuplicateLink.objects.get()
    assert link.hypothesis == Hypothesis.objects.get(title__startswith="show delivery cost")
    assert (link.item.kind, link.item.object_id) == ("experiment", shipping.pk)
    marked = page.locator('[data-testid="similar-item"]').filter(has_text=shipping.title)
    marked.get_by_test_id("marked-duplicate").wait_for(timeout=10_000)
    page.screenshot(path="/tmp/shots/ksearch/duplicate-marked.png", full_page=True)


def test_the_search_page_filters_by_outcome_and_surface_with_true_counts(
    live_server, page, past, demo_password
):
    from apps.knowledge.models.search import SearchItem

    visible = SearchItem.objects.visible_to(past.users["sofia"])
    won = visible.filter(outcome="won")
    surface = next(s for row in won for s in row.surfaces)
    _login(page, f"{live_server.url}/knowledge/", "sofia", demo_password)
    facet = page.get_by_test_id("facet-outcome-won")
    assert int(facet.get_by_test_id("count").inner_text()) == won.count()
    facet.click()
    page.wait_for_url(re.compile(r"outcome=won"))
    both = [row for row in won if surface in row.surfaces]
    slug = re.sub(r"[^a-z0-9]+", "-", surface.lower()).strip("-")
    surface_facet = page.get_by_test_id(f"facet-surface-{slug}")
    assert int(surface_facet.get_by_test_id("count").inner_text()) == len(both)
    surface_facet.click()
    page.wait_for_url(re.compile(r"surface="))
    assert page.get_by_test_id("total").inner_text().startswith(f"{len(both)} item")
    assert page.get_by_test_id("hit").count() == len(both)
    for outcome in page.get_by_test_id("hit").get_by_test_id("outcome").all():
        assert outcome.inner_text() == "Won"
    page.screenshot(path="/tmp/shots/ksearch/search-filtered.png", full_page=True)
