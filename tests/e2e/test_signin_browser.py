"""In real Chromium: a lockout explained, a password reset by email, an API token made and
revoked."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_five_wrong_passwords_lock_sign_in_with_a_page_that_says_why(
    live_server, page, demo, demo_password
):
    for _ in range(4):
        _log_in(page, live_server, "priya", "wrong-password")
        assert page.locator("[role=alert]").is_visible()
        assert page.locator("[data-testid=locked-out]").count() == 0

    _log_in(page, live_server, "priya", "wrong-password")

    locked = page.locator("[data-testid=locked-out]")
    assert "Too many wrong passwords: sign-in is locked for 15 minutes." in locked.inner_text()
    # The right password does not get through while the lock holds.
    _log_in(page, live_server, "priya", demo_password)
    assert page.locator("[data-testid=locked-out]").is_visible()
    page.click("text=Reset your password")
    page.wait_for_url(f"{live_server.url}/accounts/password/reset/")


def test_a_person_sets_a_new_password_from_the_emailed_link(live_server, page, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("text=Forgot your password?")
    page.fill("#id_email", "lena@example.com")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=reset-sent]")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", "lenas-new-pass-2026")
    page.fill("#id_new_password2", "lenas-new-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=reset-complete]")
    page.click("[data-testid=reset-complete] a")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "lena")
    page.fill("#id_password", "lenas-new-pass-2026")
    page.click("button[type=submit]")

    page.wait_for_selector("[data-testid=current-user]")
    assert page.locator("[data-testid=current-user]").inner_text() == "Lena Hoffmann"


def test_a_person_creates_an_api_token_uses_it_and_revokes_it(
    live_server, page, demo, demo_password
):
    _log_in(page, live_server, "lena", demo_password)
    page.click("text=API tokens")
    page.fill("#id_name", "Notebook")
    page.select_option("#id_expires_in_days", "30")
    page.click("[data-testid=token-create] button[type=submit]")

    key = page.locator("[data-testid=new-token-key]").inner_text().strip()
    me = page.request.get(
        f"{live_server.url}/api/v1/users/me/", headers={"Authorization": f"Token {key}"}
    )
    assert me.status == 200
    assert me.json()["username"] == "lena"

    row = page.locator("[data-testid=token-row]", has_text="Notebook")
    assert row.locator("[data-testid=token-state]").inner_text() == "active"
    row.locator("button", has_text="Revoke").click()
    page.wait_for_selector("text=Token “Notebook” revoked.")

    row = page.locator("[data-testid=token-row]", has_text="Notebook")
    assert row.locator("[data-testid=token-state]").inner_text() == "revoked"
    assert page.locator("[data-testid=new-token-key]").count() == 0
    refused = page.request.get(
        f"{live_server.url}/api/v1/users/me/", headers={"Authorization": f"Token {key}"}
    )
    assert refused.status == 401
