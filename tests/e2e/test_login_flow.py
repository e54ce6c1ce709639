"""In real Chromium: a person logs in, finds their working group, logs out."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_program_manager_logs_in_sees_the_group_and_logs_out(
    live_server, page, demo, demo_password
):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url

    page.fill("#id_username", "priya")
    page.fill("#id_password", demo_password)
    page.click("button[type=submit]")

    page.wait_for_selector("[data-testid=group-card]")
    card = page.locator("[data-testid=group-card]")
    assert card.count() == 1
    assert demo.group.name in card.inner_text()
    assert "Program manager" in card.inner_text()
    assert page.locator("h1").inner_text() == "Welcome, Priya Raman"

    page.click("text=Log out")
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url


def test_a_wrong_password_shows_a_message_not_a_stack_trace(live_server, page, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "priya")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")

    alert = page.locator("[role=alert]")
    assert alert.is_visible()
    assert "Traceback" not in page.content()
