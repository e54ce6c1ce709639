"""API tokens: named, expiring, stored as a hash, listed and revoked by owner or admin,
ended when their owner is deactivated."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts import tokens
from apps.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db

TOKENS_URL = "/api/v1/auth/tokens/"


def _with_key(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _make(demo, username: str, **kwargs) -> tuple[ApiToken, str]:
    return tokens.api_token_create(actor=demo.users[username], name=f"{username}'s", **kwargs)


# --- obtaining ---------------------------------------------------------------------------


def test_the_token_endpoint_returns_a_named_expiring_token_and_stores_only_its_hash(
    client, demo, demo_password
):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "lena", "password": demo_password, "name": "BI export", "expires_in_days": 7},
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"token", "id", "name", "expires_at"}
    stored = ApiToken.objects.get(pk=body["id"])
    assert stored.name == "BI export"
    assert stored.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"].startswith(stored.prefix)
    assert body["token"] not in {stored.key_hash, stored.prefix, stored.name}
    assert abs(stored.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    assert _with_key(body["token"]).get("/api/v1/users/me/").json()["username"] == "lena"


def test_each_request_for_a_token_makes_a_new_one_that_lives_90_days(client, demo, demo_password):
    keys = [
        client.post(
            "/api/v1/auth/token/",
            {"username": "lena", "password": demo_password},
            content_type="application/json",
        ).json()["token"]
        for _ in range(2)
    ]

    assert keys[0] != keys[1]
    expiries = ApiToken.objects.filter(user=demo.users["lena"]).values_list("expires_at", flat=True)
    for expiry in expiries:
        assert abs(expiry - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"expires_in_days": 366}, "expires_in_days"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 7, "expires_at": "2099-01-01T00:00:00Z"}, "expires_at"),
    ],
)
def test_it_rejects_an_impossible_expiry_naming_the_field(
    client, demo, demo_password, extra, field
):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "lena", "password": demo_password, **extra},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]
    assert not ApiToken.objects.exists()


# --- authenticating ----------------------------------------------------------------------


def test_a_token_records_its_last_use_at_most_once_a_minute(demo):
    token, key = _make(demo, "lena")
    api = _with_key(key)

    api.get("/api/v1/users/me/")
    token.refresh_from_db()
    first_use = token.last_used_at
    api.get("/api/v1/users/me/")
    token.refresh_from_db()

    assert first_use is not None
    assert token.last_used_at == first_use


def test_a_token_used_again_after_a_minute_records_the_new_use(demo):
    token, key = _make(demo, "lena")
    long_ago = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)

    _with_key(key).get("/api/v1/users/me/")
    token.refresh_from_db()

    assert token.last_used_at > long_ago


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"revoked_at": timezone.now()}, "This token is revoked."),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "This token is expired."),
    ],
)
def test_a_revoked_or_expired_token_is_refused(demo, change, detail):
    token, key = _make(demo, "lena")
    ApiToken.objects.filter(pk=token.pk).update(**change)

    response = _with_key(key).get("/api/v1/users/me/")

    assert response.status_code == 401
    assert response.json()["detail"] == detail


def test_an_unknown_key_is_refused(demo):
    response = _with_key("expr_not-a-real-key").get("/api/v1/users/me/")

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_a_token_of_a_deactivated_person_is_refused_even_if_not_revoked(demo):
    _, key = _make(demo, "lena")
    # A bulk update skips the save signal: the authentication check still holds.
    User.objects.filter(username="lena").update(is_active=False)

    assert _with_key(key).get("/api/v1/users/me/").status_code == 401


# --- deactivation ------------------------------------------------------------------------


def test_deactivating_a_person_revokes_every_token_and_records_the_admin(demo):
    _, key = _make(demo, "lena")
    _make(demo, "lena")
    others, _ = _make(demo, "sofia")

    tokens.user_deactivate(actor=demo.users["dana"], user=demo.users["lena"])

    lena = User.objects.get(username="lena")
    assert not lena.is_active
    revoked = ApiToken.objects.filter(user=lena)
    assert [t.revoked_by_id for t in revoked] == [demo.users["dana"].pk] * 2
    assert ApiToken.objects.get(pk=others.pk).revoked_at is None
    assert _with_key(key).get("/api/v1/users/me/").status_code == 401


def test_deactivating_a_person_by_saving_them_revokes_their_tokens(demo):
    # The Django admin's user form saves the user; the signal ends the tokens.
    token, _ = _make(demo, "lena")
    lena = demo.users["lena"]

    lena.is_active = False
    lena.save()

    token.refresh_from_db()
    assert token.revoked_at is not None


def test_only_an_admin_may_deactivate_a_person(demo):
    with pytest.raises(PermissionDenied):
        tokens.user_deactivate(actor=demo.users["priya"], user=demo.users["lena"])

    assert User.objects.get(username="lena").is_active


# --- listing and revoking ----------------------------------------------------------------


def test_the_list_shows_the_callers_tokens_never_a_key(api_as, demo):
    _make(demo, "lena")
    _make(demo, "lena")
    _make(demo, "sofia")

    response = api_as("lena").get(TOKENS_URL)

    results = response.json()["results"]
    assert response.status_code == 200
    assert len(results) == 2
    assert {r["user"] for r in results} == {demo.users["lena"].pk}
    assert not {"key", "key_hash", "token"} & set(results[0])
    assert results[0]["state"] == "active"


def test_the_list_costs_the_same_queries_for_many_tokens(api_as, demo, django_assert_num_queries):
    api = api_as("lena")
    _make(demo, "lena")
    with django_assert_num_queries(2):  # count, page
        api.get(TOKENS_URL)
    for _ in range(20):
        _make(demo, "lena")

    with django_assert_num_queries(2):
        response = api.get(TOKENS_URL)

    assert response.json()["count"] == 21


def test_a_person_revokes_their_own_token(api_as, demo):
    token, key = _make(demo, "lena")

    response = api_as("lena").delete(f"{TOKENS_URL}{token.pk}/")

    token.refresh_from_db()
    assert response.status_code == 204
    assert token.revoked_by == demo.users["lena"]
    assert _with_key(key).get("/api/v1/users/me/").status_code == 401
    listed = api_as("lena").get(TOKENS_URL).json()["results"]
    assert [r["state"] for r in listed] == ["revoked"]


def test_revoking_twice_keeps_the_first_revocation(api_as, demo):
    token, _ = _make(demo, "lena")
    api_as("lena").delete(f"{TOKENS_URL}{token.pk}/")
    token.refresh_from_db()
    first = token.revoked_at

    response = api_as("dana").delete(f"{TOKENS_URL}{token.pk}/")

    token.refresh_from_db()
    assert response.status_code == 204
    assert (token.revoked_at, token.revoked_by) == (first, demo.users["lena"])


def test_another_persons_token_is_not_found(api_as, demo):
    token, _ = _make(demo, "lena")

    response = api_as("priya").delete(f"{TOKENS_URL}{token.pk}/")

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None


def test_an_admin_lists_and_revokes_anyones_token(api_as, demo):
    token, _ = _make(demo, "lena")
    api = api_as("dana")

    listed = api.get(TOKENS_URL, {"user": demo.users["lena"].pk})
    revoked = api.delete(f"{TOKENS_URL}{token.pk}/")

    token.refresh_from_db()
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [token.pk]
    assert revoked.status_code == 204
    assert token.revoked_by == demo.users["dana"]


def test_only_an_admin_may_list_another_persons_tokens(api_as, demo):
    _make(demo, "lena")

    response = api_as("priya").get(TOKENS_URL, {"user": demo.users["lena"].pk})

    assert response.status_code == 403
    assert response.json()["detail"] == "Only an admin may see another person's tokens."


def test_asking_for_an_unknown_persons_tokens_is_forbidden_not_revealed(api_as, demo):
    response = api_as("priya").get(TOKENS_URL, {"user": 987654})

    assert response.status_code == 403


@pytest.mark.parametrize("user", ["lena", "²", "99999999999999999999", "0"])
def test_it_names_the_user_parameter_when_it_is_not_an_id(api_as, demo, user):
    response = api_as("dana").get(TOKENS_URL, {"user": user})

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["user"]


# --- the page ----------------------------------------------------------------------------


def test_the_tokens_page_shows_a_new_key_once(web_as, demo):
    client = web_as("lena")

    created = client.post("/accounts/tokens/", {"name": "Notebook", "expires_in_days": "30"})
    key = created.context["new_key"]
    later = client.get("/accounts/tokens/")

    token = ApiToken.objects.get(user=demo.users["lena"])
    assert created.status_code == 200
    assert key in created.content.decode()
    assert created["Cache-Control"] == "no-store"
    assert token.name == "Notebook"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in later.content.decode()
    assert "Notebook" in later.content.decode()


def test_the_tokens_page_refuses_an_unlisted_lifetime_naming_the_field(web_as, demo):
    response = web_as("lena").post("/accounts/tokens/", {"name": "x", "expires_in_days": "9999"})

    assert response.status_code == 400
    assert "expires_in_days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_tokens_page_revokes_only_your_own_token(web_as, demo):
    lenas, _ = _make(demo, "lena")

    others = web_as("sofia").post(f"/accounts/tokens/{lenas.pk}/revoke/")
    own = web_as("lena").post(f"/accounts/tokens/{lenas.pk}/revoke/")

    lenas.refresh_from_db()
    assert others.status_code == 404
    assert own.status_code == 302
    assert lenas.revoked_by == demo.users["lena"]


def test_the_tokens_page_lists_only_your_tokens_in_constant_queries(web_as, demo):
    client = web_as("lena")
    _make(demo, "lena")
    _make(demo, "sofia")
    with CaptureQueriesContext(connection) as one:
        client.get("/accounts/tokens/")
    for _ in range(9):
        _make(demo, "lena")

    with CaptureQueriesContext(connection) as ten:
        response = client.get("/accounts/tokens/")

    assert response.content.decode().count('data-testid="token-row"') == 10
    assert len(ten) == len(one)


# --- the Django admin --------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "root-pass-2026")


def test_the_admin_action_deactivates_people_and_ends_their_tokens(client, demo, superuser):
    token, _ = _make(demo, "lena")
    client.force_login(superuser)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "deactivate", "_selected_action": [demo.users["lena"].pk, superuser.pk]},
        follow=True,
    )

    token.refresh_from_db()
    html = response.content.decode()
    assert not User.objects.get(username="lena").is_active
    assert token.revoked_by == superuser
    # The admin running the action is refused, by name, and stays active.
    assert "You cannot deactivate yourself." in html
    assert User.objects.get(username="root").is_active


def test_the_admin_lists_tokens_and_revokes_the_selected_ones(client, demo, superuser):
    lenas, _ = _make(demo, "lena")
    sofias, _ = _make(demo, "sofia")
    client.force_login(superuser)

    listing = client.get("/admin/accounts/apitoken/")
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [lenas.pk]})

    lenas.refresh_from_db()
    sofias.refresh_from_db()
    assert listing.status_code == 200
    assert lenas.prefix in listing.content.decode()
    assert lenas.revoked_by == superuser
    assert sofias.revoked_at is None
