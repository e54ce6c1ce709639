"""The dashboard and the working-group page as people see them."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_each_group_with_the_persons_role(web_as, demo):
    html = web_as("marco").get("/").content.decode()

    assert demo.group.name in html
    assert "Statistics lead" in html


def test_the_group_page_lists_members_program_manager_first(web_as, demo):
    html = web_as("sofia").get(f"/groups/{demo.group.slug}/").content.decode()

    handles = re.findall(r"@(\w+)</span>", html) or re.findall(r"@(\w+)", html)
    assert handles[0] == "priya"
    assert handles.index("marco") < handles.index("lena") < handles.index("sofia")
    assert "Your role</dt><dd>Stakeholder" in html


def test_only_the_program_manager_sees_the_add_member_form(web_as, demo):
    assert "Add a member" in web_as("priya").get(f"/groups/{demo.group.slug}/").content.decode()
    assert "Add a member" not in web_as("lena").get(f"/groups/{demo.group.slug}/").content.decode()
