"""In real Chromium: the calculators as the statistics lead uses them. The borderline case
reads one verdict with the other scale explained; the Bayesian mode speaks in chances and
risks with footnotes; a sample ratio mismatch is flagged; a shared link restores the
inputs; and the advanced inputs stay folded away until wanted."""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def fill_arms(page, arms: list[tuple[str, str, str]]) -> None:
    for row, (name, n, conversions) in enumerate(arms):
        page.fill(f"#id_analysis-name_{row}", name)
        page.fill(f"#id_analysis-n_{row}", n)
        page.fill(f"#id_analysis-sum_{row}", conversions)
    for row in range(len(arms), 5):
        page.fill(f"#id_analysis-n_{row}", "")


def analyse(page) -> None:
    """Submit, and wait for the new result rather than finding the previous one."""
    page.locator("[data-testid=analysis-result]").evaluate_all(
        "nodes => nodes.forEach(n => n.dataset.stale = 'yes')"
    )
    page.click("[data-testid=analysis-calculator] button[type=submit]")
    page.locator("[data-testid=analysis-result]:not([data-stale])").wait_for()


def test_the_statistics_lead_reads_verdicts_that_never_contradict(
    live_server, page, demo, demo_password, tmp_path
):
    shots = Path(os.environ.get("EXPR_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server, "marco", demo_password)
    page.goto(f"{live_server.url}/calculators/")
    page.evaluate("window.__same_page = true")
    advanced = page.locator("[data-testid=advanced]")
    assert advanced.get_attribute("open") is None
    assert not page.locator("#id_analysis-prior_sd").is_visible()

    # The borderline case: not significant on the lift, and the page says why the
    # difference's own interval excludes 0.
    fill_arms(page, [("control", "10000", "1000"), ("B", "12000", "1300")])
    analyse(page)
    assert page.evaluate("window.__same_page") is True  # htmx swapped it in place
    result = page.locator("[data-testid=analysis-result]")
    verdict = result.locator("[data-testid=verdict]").inner_text()
    assert "no clear effect yet" in verdict and "95 % CI -0.1 % to +16.8 %" in verdict
    assert result.locator("[data-testid=verdict-badge]").inner_text() == "not significant"
    assert result.locator("[data-testid=scales-disagree]").is_visible()
    result.screenshot(path=str(shots / "calculator-borderline.png"))

    # Bayesian: chances, a credible interval and the expected loss, each explained.
    page.select_option("#id_analysis-method", "bayesian")
    analyse(page)
    result = page.locator("[data-testid=analysis-result]")
    words = result.inner_text()
    assert "chance to beat control" in words and "credible interval" in words
    assert "α" not in words and "significant" not in words.lower()
    assert result.locator("[data-testid=bayesian-footnotes] li").count() == 3
    result.screenshot(path=str(shots / "calculator-bayesian.png"))

    # A sample ratio mismatch: 10,000 against 12,000 cannot come from a 50/50 split...
    assert "mismatch" in result.locator("[data-testid=srm]").inner_text()
    assert "Sample ratio mismatch" in result.inner_text()
    # ...and nearly equal arms pass the check.
    page.select_option("#id_analysis-method", "frequentist")
    fill_arms(page, [("control", "10000", "1000"), ("B", "10050", "1080")])
    analyse(page)
    assert "(no mismatch)" in page.locator("[data-testid=srm]").inner_text()

    # The link restores the inputs and the result in a fresh page.
    link = page.locator("[data-testid=share-link]").get_attribute("href")
    page.goto(f"{live_server.url}{link}")
    assert page.input_value("#id_analysis-n_1") == "10050"
    assert page.locator("[data-testid=analysis-result]").is_visible()
    page.screenshot(path=str(shots / "calculator-page-1280.png"), full_page=True)

    # Every id on the page is unique, and the method select shows its whole label.
    ids = page.locator("[id]").evaluate_all("nodes => nodes.map(n => n.id)")
    assert len(ids) == len(set(ids))
    method = page.locator("#id_analysis-method")
    assert method.evaluate("s => s.scrollWidth <= s.clientWidth + 1")
