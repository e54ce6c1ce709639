"""The fields the role policy and confidentiality trust: who may set them, and the record kept.

A stakeholder's business unit decides which confidential plans they read, a role decides
what anyone may do, so neither is self-service, and every change names who made it.
"""

import pytest

from apps.accounts.models import (
    DESCRIPTION_MAX_LENGTH,
    GOAL_MAX_LENGTH,
    Membership,
    MembershipChange,
    Role,
    User,
)
from tests.roadmap.factories import plan_with

pytestmark = pytest.mark.django_db


def _m(demo, username: str) -> Membership:
    return Membership.objects.get(user=demo.users[username], working_group=demo.group)


def _edit_url(demo, username: str) -> str:
    return f"/groups/{demo.group.slug}/members/{_m(demo, username).pk}/"


@pytest.fixture
def secret(demo):
    """A confidential plan sponsored by Commerce; James speaks for Platform Engineering."""
    return plan_with(demo, title="Pricing secret", sponsor="sofia", confidential=True)


# --- the business unit is not self-service -----------------------------------------------


def test_it_refuses_a_stakeholder_setting_their_own_business_unit(api_as, demo, secret):
    james = api_as("james")

    response = james.patch(
        f"/api/v1/memberships/{_m(demo, 'james').pk}/",
        {"business_unit": demo.units["commerce"].pk},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Only the program manager or an admin of this working group may do this."
    )
    assert _m(demo, "james").business_unit == demo.units["platform-engineering"]
    assert james.get(f"/api/v1/plans/{secret.pk}/").status_code == 404
    assert secret.pk not in [p["id"] for p in james.get("/api/v1/roadmap/").json()["plans"]]
    assert not MembershipChange.objects.filter(field="business_unit").exists()


def test_it_refuses_a_member_setting_their_own_business_unit(api_as, demo):
    response = api_as("tomas").patch(
        f"/api/v1/memberships/{_m(demo, 'tomas').pk}/",
        {"business_unit": demo.units["commerce"].pk},
        format="json",
    )

    assert response.status_code == 403
    assert _m(demo, "tomas").business_unit == demo.units["platform-engineering"]


def test_the_member_form_offers_a_stakeholder_only_their_delegate(web_as, demo):
    html = web_as("james").get(_edit_url(demo, "james")).content.decode()

    assert 'name="delegate"' in html
    assert 'name="business_unit"' not in html
    assert 'name="role"' not in html


def test_the_member_form_ignores_a_business_unit_posted_by_a_stakeholder(web_as, demo, secret):
    client = web_as("james")

    response = client.post(
        _edit_url(demo, "james"),
        {"business_unit": demo.units["commerce"].pk, "role": Role.ADMIN, "delegate": ""},
    )

    assert response.status_code == 302
    membership = _m(demo, "james")
    assert membership.business_unit == demo.units["platform-engineering"]
    assert membership.role == Role.STAKEHOLDER
    assert "Pricing secret" not in client.get("/roadmap/").content.decode()
    assert client.get(f"/roadmap/plans/{secret.pk}/").status_code == 404


def test_a_member_cannot_open_the_edit_form_of_someone_elses_membership(web_as, demo):
    assert web_as("lena").get(_edit_url(demo, "aisha")).status_code == 403


def test_the_program_manager_sets_a_business_unit_and_it_is_recorded(api_as, demo, secret):
    response = api_as("priya").patch(
        f"/api/v1/memberships/{_m(demo, 'james').pk}/",
        {"business_unit": demo.units["commerce"].pk},
        format="json",
    )

    assert response.status_code == 200
    change = MembershipChange.objects.get(field="business_unit")
    assert (change.user, change.changed_by) == (demo.users["james"], demo.users["priya"])
    assert (change.old_value, change.new_value) == ("Platform Engineering", "Commerce")
    assert change.working_group == demo.group
    assert change.changed_at is not None
    # Now speaking for Commerce, James reads Commerce's confidential plan.
    assert api_as("james").get(f"/api/v1/plans/{secret.pk}/").status_code == 200


def test_a_role_change_from_the_page_is_recorded(web_as, demo):
    response = web_as("priya").post(
        _edit_url(demo, "tomas"),
        {"role": Role.STAKEHOLDER, "business_unit": demo.units["platform-engineering"].pk},
    )

    assert response.status_code == 302
    change = MembershipChange.objects.get()
    assert (change.field, change.old_value, change.new_value) == ("role", "member", "stakeholder")
    assert change.changed_by == demo.users["priya"]


def test_a_delegate_named_by_the_person_themselves_is_recorded(api_as, demo):
    response = api_as("tomas").patch(
        f"/api/v1/memberships/{_m(demo, 'tomas').pk}/",
        {"delegate": demo.users["lena"].pk},
        format="json",
    )

    assert response.status_code == 200
    change = MembershipChange.objects.get()
    assert (change.field, change.new_value, change.changed_by) == (
        "delegate",
        "lena",
        demo.users["tomas"],
    )


def test_adding_and_removing_a_member_is_recorded(api_as, demo):
    newcomer = User.objects.create_user("newcomer")
    api = api_as("priya")

    added = api.post(
        "/api/v1/memberships/",
        {
            "user": newcomer.pk,
            "working_group": demo.group.pk,
            "role": Role.STAKEHOLDER,
            "business_unit": demo.units["commerce"].pk,
        },
        format="json",
    )
    assert added.status_code == 201
    assert api.delete(f"/api/v1/memberships/{added.json()['id']}/").status_code == 204

    rows = MembershipChange.objects.filter(user=newcomer).order_by("pk")
    assert [(c.field, c.old_value, c.new_value) for c in rows] == [
        ("role", "", "stakeholder"),
        ("business_unit", "", "Commerce"),
        ("role", "stakeholder", ""),
    ]
    assert {c.changed_by for c in rows} == {demo.users["priya"]}


def test_handing_the_group_to_a_new_program_manager_is_recorded(api_as, demo):
    response = api_as("dana").patch(
        f"/api/v1/working-groups/{demo.group.pk}/",
        {"program_manager": demo.users["lena"].pk},
        format="json",
    )

    assert response.status_code == 200
    changes = {c.field: c for c in MembershipChange.objects.filter(user=demo.users["lena"])}
    assert (changes["program_manager"].old_value, changes["program_manager"].new_value) == (
        "priya",
        "lena",
    )
    assert (changes["role"].old_value, changes["role"].new_value) == ("member", "program_manager")
    assert changes["role"].changed_by == demo.users["dana"]


def test_the_group_page_shows_recent_changes_to_those_who_run_it_only(api_as, web_as, demo):
    api_as("priya").patch(
        f"/api/v1/memberships/{_m(demo, 'james').pk}/",
        {"business_unit": demo.units["commerce"].pk},
        format="json",
    )

    for_pm = web_as("priya").get(f"/groups/{demo.group.slug}/").content.decode()
    assert 'id="membership-changes"' in for_pm
    assert "<td>Business unit</td>" in for_pm
    assert "<td>Platform Engineering</td>" in for_pm
    assert (
        'id="membership-changes"'
        in web_as("dana").get(f"/groups/{demo.group.slug}/").content.decode()
    )
    for_stakeholder = web_as("sofia").get(f"/groups/{demo.group.slug}/").content.decode()
    assert 'id="membership-changes"' not in for_stakeholder


def test_the_admin_shows_membership_changes_and_changes_none(client, demo):
    root = User.objects.create_superuser("root", password="pw-root-1")
    client.force_login(root)
    MembershipChange.objects.create(
        working_group=demo.group, user=demo.users["tomas"], field="role", changed_by=root
    )
    change = MembershipChange.objects.get()

    assert client.get("/admin/accounts/membershipchange/").status_code == 200
    assert client.get("/admin/accounts/membershipchange/add/").status_code == 403
    assert client.post(f"/admin/accounts/membershipchange/{change.pk}/delete/").status_code == 403
    page = client.get(f"/admin/accounts/membershipchange/{change.pk}/change/")
    assert page.status_code == 200
    assert 'name="field"' not in page.content.decode()


# --- admins are removed or demoted only by admins, and never the last one -----------------


def test_a_program_manager_cannot_remove_an_admin(api_as, demo):
    response = api_as("priya").delete(f"/api/v1/memberships/{_m(demo, 'dana').pk}/")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only an admin may change this configuration."
    assert _m(demo, "dana").role == Role.ADMIN


def test_a_program_manager_cannot_demote_an_admin(api_as, demo):
    response = api_as("priya").patch(
        f"/api/v1/memberships/{_m(demo, 'dana').pk}/", {"role": Role.MEMBER}, format="json"
    )

    assert response.status_code == 403
    assert _m(demo, "dana").role == Role.ADMIN


def test_the_last_admin_cannot_remove_themselves(api_as, demo):
    response = api_as("dana").delete(f"/api/v1/memberships/{_m(demo, 'dana').pk}/")

    assert response.status_code == 400
    assert "last admin" in response.json()["fields"]["user"][0]
    assert _m(demo, "dana").role == Role.ADMIN


def test_the_last_admin_cannot_demote_themselves(api_as, demo):
    response = api_as("dana").patch(
        f"/api/v1/memberships/{_m(demo, 'dana').pk}/", {"role": Role.MEMBER}, format="json"
    )

    assert response.status_code == 400
    assert "last admin" in response.json()["fields"]["role"][0]
    assert not MembershipChange.objects.exists()


def test_a_superuser_cannot_remove_the_last_admin_either(demo):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("root", password="pw-root-1"))

    response = api.delete(f"/api/v1/memberships/{_m(demo, 'dana').pk}/")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["user"]


def test_an_admin_removes_another_admin_while_one_remains(api_as, demo):
    api = api_as("dana")
    tomas = _m(demo, "tomas")
    assert (
        api.patch(
            f"/api/v1/memberships/{tomas.pk}/", {"role": Role.ADMIN}, format="json"
        ).status_code
        == 200
    )

    assert api.delete(f"/api/v1/memberships/{tomas.pk}/").status_code == 204
    assert api.delete(f"/api/v1/memberships/{_m(demo, 'dana').pk}/").status_code == 400


def test_the_program_manager_is_never_removed(api_as, demo):
    response = api_as("dana").delete(f"/api/v1/memberships/{_m(demo, 'priya').pk}/")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["user"]
    assert _m(demo, "priya").role == Role.PROGRAM_MANAGER


def test_naming_the_last_admin_program_manager_keeps_them_admin(api_as, demo):
    response = api_as("dana").patch(
        f"/api/v1/working-groups/{demo.group.pk}/",
        {"program_manager": demo.users["dana"].pk},
        format="json",
    )

    assert response.status_code == 200
    assert _m(demo, "dana").role == Role.ADMIN
    assert MembershipChange.objects.get().field == "program_manager"


def test_the_member_form_offers_a_program_manager_no_admin_role(web_as, demo):
    client = web_as("priya")

    admins_form = client.get(_edit_url(demo, "dana")).content.decode()
    members_form = client.get(_edit_url(demo, "tomas")).content.decode()

    assert 'name="role"' not in admins_form
    assert 'name="business_unit"' in admins_form
    assert 'name="role"' in members_form
    assert 'value="admin"' not in members_form


def test_the_member_form_refuses_a_program_manager_granting_admin(web_as, demo):
    response = web_as("priya").post(_edit_url(demo, "tomas"), {"role": Role.ADMIN})

    assert response.status_code == 400
    assert "role" in response.context["form"].errors
    assert _m(demo, "tomas").role == Role.MEMBER


def test_the_add_member_form_offers_the_admin_role_to_admins_only(web_as, demo):
    newcomer = User.objects.create_user("newcomer")
    page = f"/groups/{demo.group.slug}/"

    assert 'value="admin"' not in web_as("priya").get(page).content.decode()
    assert 'value="admin"' in web_as("dana").get(page).content.decode()
    response = web_as("priya").post(f"{page}members/", {"user": newcomer.pk, "role": Role.ADMIN})
    assert response.status_code == 400
    assert "role" in response.context["add_form"].errors
    assert not Membership.objects.filter(user=newcomer).exists()


# --- text limits --------------------------------------------------------------------------


def test_it_rejects_an_over_long_business_unit_description_naming_the_field(api_as, demo):
    unit = demo.units["commerce"]

    response = api_as("dana").patch(
        f"/api/v1/business-units/{unit.pk}/",
        {"description": "x" * (DESCRIPTION_MAX_LENGTH + 1)},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["description"]
    unit.refresh_from_db()
    assert len(unit.description) < DESCRIPTION_MAX_LENGTH


def test_it_accepts_a_description_at_the_limit(api_as, demo):
    response = api_as("dana").post(
        "/api/v1/business-units/",
        {"name": "Marketing", "description": "x" * DESCRIPTION_MAX_LENGTH},
        format="json",
    )

    assert response.status_code == 201


def test_it_rejects_an_over_long_group_goal_naming_the_field(api_as, demo):
    response = api_as("priya").patch(
        f"/api/v1/working-groups/{demo.group.pk}/",
        {"goal": "x" * (GOAL_MAX_LENGTH + 1)},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["goal"]


def test_it_rejects_a_new_group_with_an_over_long_goal(api_as, demo):
    response = api_as("dana").post(
        "/api/v1/working-groups/",
        {
            "name": "New",
            "goal": "x" * (GOAL_MAX_LENGTH + 1),
            "program_manager": demo.users["lena"].pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["goal"]


def test_the_admin_form_shows_the_limit_beside_the_description(client, demo):
    client.force_login(User.objects.create_superuser("root", password="pw-root-1"))
    unit = demo.units["commerce"]

    response = client.post(
        f"/admin/accounts/businessunit/{unit.pk}/change/",
        {
            "name": unit.name,
            "slug": unit.slug,
            "kind": unit.kind,
            "description": "x" * (DESCRIPTION_MAX_LENGTH + 1),
        },
    )

    assert response.status_code == 200
    assert "description" in response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert len(unit.description) < DESCRIPTION_MAX_LENGTH
