"""Every page is served under a Content-Security-Policy it does not need to break."""

import io
import re

import pytest
from django.core.management import call_command

from apps.backlog.models import Hypothesis
from apps.meetings.models import Meeting
from apps.roadmap.models import ResearchPlan

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
INLINE_CODE = re.compile(r"""\s(style|on[a-z]+|hx-on[:\w-]*)=["']""")


@pytest.fixture
def pages(demo):
    call_command("seed_demo", stdout=io.StringIO())
    return [
        "/",
        "/backlog/",
        f"/backlog/{Hypothesis.objects.order_by('pk').first().pk}/",
        "/meetings/",
        f"/meetings/{Meeting.objects.order_by('pk').first().pk}/",
        "/roadmap/",
        f"/roadmap/plans/{ResearchPlan.objects.order_by('pk').first().pk}/",
        "/calculators/",
        f"/groups/{demo.group.slug}/",
        f"/backlog/groups/{demo.group.slug}/propose/",
        f"/backlog/groups/{demo.group.slug}/frameworks/",
        f"/meetings/groups/{demo.group.slug}/series/new/",
        f"/meetings/groups/{demo.group.slug}/action-items/",
        "/roadmap/plans/new/",
        "/accounts/password/change/",
        "/accounts/tokens/",
    ]


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_pages_carry_a_policy_and_hold_no_inline_code(web_as, pages):
    client = web_as("priya")
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        directives = _directives(response)
        assert directives["script-src"] == ["'self'"], path
        assert directives["style-src"] == ["'self'"], path
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["form-action"] == ["'self'"]
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), path
        assert not INLINE_CODE.findall(html), path


def test_the_login_page_carries_the_policy_and_holds_no_inline_code(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert _directives(response)["script-src"] == ["'self'"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html)
    assert not INLINE_CODE.findall(html)


def test_the_api_docs_run_their_inline_start_up_code_by_nonce_only(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    directives = _directives(response)
    nonce = directives["script-src"][1]
    assert directives["script-src"] == ["'self'", nonce]
    assert nonce.startswith("'nonce-")
    html = response.content.decode()
    value = nonce.removeprefix("'nonce-").removesuffix("'")
    assert f'<script nonce="{value}">' in html
    assert f'<style nonce="{value}">' in html
