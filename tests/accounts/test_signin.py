"""Signing in: lockout after wrong passwords, the token endpoint's throttle, password
change and reset by email."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

from apps.accounts.models import User

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOCKED = "Too many wrong passwords: sign-in is locked for 15 minutes."


def _token(client, username, password, **extra):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def _wrong(client, username="priya", times=1, **extra):
    return [_token(client, username, "not-the-password", **extra) for _ in range(times)]


# --- lockout -----------------------------------------------------------------------------


def test_the_token_endpoint_locks_out_at_the_fifth_wrong_password(client, demo, demo_password):
    first_four = _wrong(client, times=4)
    fifth = _wrong(client)[0]
    right_password = _token(client, "priya", demo_password)

    assert [r.status_code for r in first_four] == [401, 401, 401, 401]
    assert fifth.status_code == 429
    assert fifth.json() == {"status": 429, "code": "locked_out", "detail": LOCKED}
    # Locked means locked: the right password is refused too, without saying it was right.
    assert right_password.status_code == 429
    assert right_password.json()["code"] == "locked_out"


def test_the_lockout_is_for_one_username_from_one_address(client, demo, demo_password):
    _wrong(client, times=5)

    assert _token(client, "priya", demo_password).status_code == 429
    assert _token(client, "priya", demo_password, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert _token(client, "lena", demo_password).status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, demo, demo_password):
    for n in range(5):
        _wrong(client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    response = _token(client, "priya", demo_password, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert response.status_code == 429


def test_the_lockout_ends_after_fifteen_minutes(client, demo, demo_password):
    _wrong(client, times=5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert _token(client, "priya", demo_password).status_code == 200


def test_a_right_password_starts_the_count_again(client, demo, demo_password):
    _wrong(client, times=4)
    assert _token(client, "priya", demo_password).status_code == 200

    responses = _wrong(client, times=4)

    assert [r.status_code for r in responses] == [401, 401, 401, 401]


def test_the_login_page_explains_a_lockout_with_a_way_out(client, demo, demo_password):
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "priya", "password": "nope"})
        assert response.status_code == 200
    locked = client.post("/accounts/login/", {"username": "priya", "password": "nope"})
    still_locked = client.post("/accounts/login/", {"username": "priya", "password": demo_password})

    html = locked.content.decode()
    assert locked.status_code == 429
    assert LOCKED in html
    assert 'href="/accounts/password/reset/"' in html
    assert 'class="topbar"' in html  # the site's own page, not a bare error
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_login_page_links_to_password_reset(client, db):
    html = client.get("/accounts/login/").content.decode()

    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in html


# --- throttle ----------------------------------------------------------------------------


def test_the_token_endpoint_answers_the_eleventh_request_in_a_minute_with_429(
    client, demo, demo_password
):
    responses = [_token(client, "priya", demo_password) for _ in range(11)]

    assert [r.status_code for r in responses[:10]] == [200] * 10
    assert responses[10].status_code == 429
    assert responses[10].json()["code"] == "throttled"
    assert "Retry-After" in responses[10].headers


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(client, demo, demo_password):
    responses = [
        _token(client, "priya", demo_password, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        for n in range(11)
    ]

    assert responses[10].status_code == 429


# --- password reset ----------------------------------------------------------------------


def _reset_link() -> str:
    (message,) = mail.outbox
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)


def test_the_reset_link_sets_a_new_password_and_lifts_the_lockout(client, demo):
    _wrong(client, times=5)

    sent = client.post("/accounts/password/reset/", {"email": "priya@example.com"})
    assert sent.status_code == 302
    assert sent["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox[0].to == ["priya@example.com"]
    assert mail.outbox[0].subject == "Set a new ExPr password"

    form = client.get(_reset_link(), follow=True)
    assert form.status_code == 200
    assert "Set a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-fresh-pass-2026", "new_password2": "a-fresh-pass-2026"},
    )

    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert User.objects.get(username="priya").check_password("a-fresh-pass-2026")
    assert _token(client, "priya", "a-fresh-pass-2026").status_code == 200


def test_a_reset_link_works_only_once(client, demo):
    client.post("/accounts/password/reset/", {"email": "priya@example.com"})
    link = _reset_link()
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-fresh-pass-2026", "new_password2": "a-fresh-pass-2026"},
    )

    again = client.get(link, follow=True)

    assert "This link no longer works" in again.content.decode()


def test_a_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(client, demo):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_deactivated_person_gets_no_reset_email(client, demo):
    User.objects.filter(username="priya").update(is_active=False)

    client.post("/accounts/password/reset/", {"email": "priya@example.com"})

    assert mail.outbox == []


# --- password change ---------------------------------------------------------------------


def test_a_signed_in_person_changes_their_password(web_as, demo, demo_password):
    client = web_as("lena")

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": demo_password,
            "new_password1": "lenas-new-pass-2026",
            "new_password2": "lenas-new-pass-2026",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    assert User.objects.get(username="lena").check_password("lenas-new-pass-2026")
    # Still signed in: Django keeps this session and ends the others.
    assert client.get("/").status_code == 200


def test_a_wrong_current_password_changes_nothing(web_as, demo, demo_password):
    response = web_as("lena").post(
        "/accounts/password/change/",
        {
            "old_password": "not-it",
            "new_password1": "lenas-new-pass-2026",
            "new_password2": "lenas-new-pass-2026",
        },
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    assert User.objects.get(username="lena").check_password(demo_password)


def test_the_menu_links_to_password_change_and_api_tokens(web_as, demo):
    html = web_as("sofia").get("/").content.decode()

    assert 'href="/accounts/password/change/"' in html
    assert 'href="/accounts/tokens/"' in html
