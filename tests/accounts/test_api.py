"""The accounts API: tokens, bad input with the field named, nothing half-saved."""

import pytest

from apps.accounts.models import Membership, User

pytestmark = pytest.mark.django_db


def test_it_exchanges_username_and_password_for_a_token_that_authenticates(
    client, demo, demo_password
):
    from rest_framework.test import APIClient

    response = client.post(
        "/api/v1/auth/token/",
        {"username": "priya", "password": demo_password},
        content_type="application/json",
    )
    assert response.status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/users/me/").json()["username"] == "priya"


def test_it_answers_wrong_credentials_with_401_and_a_message(client, demo):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "priya", "password": "not-her-password"},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert response.json() == {
        "status": 401,
        "code": "authentication_failed",
        "detail": "Wrong username or password.",
    }


def test_it_names_the_missing_field_when_asking_for_a_token(client, demo):
    response = client.post(
        "/api/v1/auth/token/", {"username": "priya"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "password" in response.json()["fields"]


def _add(api, group, **data):
    return api.post("/api/v1/memberships/", {"working_group": group.pk, **data}, format="json")


def test_it_rejects_an_unknown_role_naming_the_field(api_as, demo):
    newcomer = User.objects.create_user("newcomer")

    response = _add(api_as("priya"), demo.group, user=newcomer.pk, role="overlord")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["role"]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_it_rejects_a_duplicate_membership_naming_the_user(api_as, demo):
    response = _add(api_as("priya"), demo.group, user=demo.users["lena"].pk, role="member")

    assert response.status_code == 400
    assert "user" in response.json()["fields"]
    assert "already a member" in response.json()["fields"]["user"][0]
    assert Membership.objects.filter(user=demo.users["lena"]).count() == 1


def test_it_rejects_a_delegate_outside_the_group_and_saves_nothing(api_as, demo):
    newcomer = User.objects.create_user("newcomer")
    outsider = User.objects.create_user("outsider")

    response = _add(
        api_as("priya"), demo.group, user=newcomer.pk, role="member", delegate=outsider.pk
    )

    assert response.status_code == 400
    assert "delegate" in response.json()["fields"]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_it_rejects_changing_a_delegate_to_someone_outside_the_group(api_as, demo):
    outsider = User.objects.create_user("outsider")
    membership = Membership.objects.get(user=demo.users["lena"], working_group=demo.group)

    response = api_as("lena").patch(
        f"/api/v1/memberships/{membership.pk}/", {"delegate": outsider.pk}, format="json"
    )

    assert response.status_code == 400
    assert "delegate" in response.json()["fields"]
    membership.refresh_from_db()
    assert membership.delegate == demo.users["aisha"]


def test_it_lists_only_the_groups_a_person_belongs_to(api_as, demo):
    outsider = User.objects.create_user("outsider")

    assert api_as("sofia").get("/api/v1/working-groups/").json()["count"] == 1
    api = api_as(None)
    api.force_authenticate(outsider)
    assert api.get("/api/v1/working-groups/").json()["count"] == 0


def test_me_reports_each_group_with_the_persons_role(api_as, demo):
    body = api_as("marco").get("/api/v1/working-groups/").json()

    assert body["results"][0]["my_role"] == "statistics_lead"
