"""In real Chromium: the owner of a concluded experiment follows its "Write the learning"
prompt, the form opens prefilled from the design and results, a blank field's error shows
in place, the statistics lead publishes the learning, and the meta-analysis page reads at
desktop and phone widths without sideways scrolling."""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
        " && document.body.scrollWidth <= window.innerWidth"
    )


def test_a_learning_is_written_from_a_concluded_experiment_and_published(
    live_server, page, demo, demo_password
):
    from apps.knowledge.demo import seed_knowledge
    from apps.knowledge.models import Learning
    from tests.knowledge.learning_helpers import DELIVERY, past

    exp = past(demo, DELIVERY, write_learning=False)
    seed_knowledge(demo)  # the rest of the test catalogue, for the meta-analysis
    shots = Path(os.environ.get("EXPR_SHOTS", "/tmp/shots/klearn"))
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    _login(page, f"{base}/experiments/{exp.pk}/", "lena", demo_password)
    page.wait_for_selector("[data-testid=learning-prompt]")
    page.click("[data-testid=write-learning]")
    page.wait_for_selector("[data-testid=learning-form]")
    assert page.input_value("#id_title").startswith("Show delivery cost on the product page")
    assert "Decision: Ship." in page.input_value("#id_happened")
    page.screenshot(path=str(shots / "learning-form-1280.png"), full_page=True)

    page.fill("#id_changed", "")
    page.click("[data-testid=save-learning]")
    page.wait_for_selector("#learning-form .error")
    assert "Say what changed." in page.inner_text("#learning-form")
    assert not Learning.objects.filter(author=demo.users["lena"], links__experiment=exp,
                                       title__startswith="Show delivery").exclude(
        title__contains="(won)").exists()  # fmt: skip
    page.fill("#id_changed", "The delivery fee shown under the price on product pages.")
    page.click("[data-testid=save-learning]")
    page.wait_for_selector("[data-testid=learning-body]")
    page.click("[data-testid=step-submit]")
    page.wait_for_selector("text=In review")

    learning = Learning.objects.filter(links__experiment=exp, author=demo.users["lena"]).latest(
        "pk"
    )
    _login(page, f"{base}/knowledge/learnings/{learning.pk}/", "marco", demo_password)
    page.click("[data-testid=step-publish]")
    page.wait_for_selector("[data-testid=learning-status]:has-text('Published')")
    page.screenshot(path=str(shots / "learning-published-1280.png"), full_page=True)
    learning.refresh_from_db()
    assert learning.status == "published" and learning.published_by == demo.users["marco"]

    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/knowledge/meta-analysis/")
        page.wait_for_selector("[data-testid=meta-impact]")
        page.screenshot(path=str(shots / f"meta-analysis-{width}.png"), full_page=True)
        assert _no_sideways_scroll(page), width
        page.goto(f"{base}/experiments/{exp.pk}/")
        page.screenshot(path=str(shots / f"experiment-learning-{width}.png"))
        assert _no_sideways_scroll(page), width
