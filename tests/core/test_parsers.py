"""Every JSON endpoint refuses, as a 400 naming the field or the rule, bodies none can mean."""

import json

import pytest

from apps.core.parsers import MAX_DEPTH, NOT_UNICODE, TOO_DEEP

pytestmark = pytest.mark.django_db

LONE_SURROGATE = "\ud800"


def _post(client, path: str, body) -> object:
    # json.dumps escapes the surrogate as \\ud800, as a client would send it.
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/hypotheses/", "category"),
        ("/api/v1/meetings/", "kind"),
        ("/api/v1/plans/", "category"),
        ("/api/v1/stats/analyze/", "metric_type"),
        ("/api/v1/stats/sample-size/", "mde_type"),
    ],
)
def test_it_rejects_a_lone_surrogate_in_a_choice_field_naming_the_field(api_as, path, field):
    response = _post(api_as("priya"), path, {field: LONE_SURROGATE})

    assert response.status_code == 400
    assert response.json()["fields"] == {field: [NOT_UNICODE]}


def test_it_names_a_nested_field_holding_a_lone_surrogate(api_as):
    body = {"metric_type": "binomial", "variants": [{"name": "a"}, {"name": LONE_SURROGATE}]}

    response = _post(api_as("priya"), "/api/v1/stats/analyze/", body)

    assert response.status_code == 400
    assert response.json()["fields"] == {"variants[1].name": [NOT_UNICODE]}


def test_it_rejects_a_lone_surrogate_in_a_key(api_as):
    response = _post(api_as("priya"), "/api/v1/hypotheses/", {LONE_SURROGATE: "x"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"\\ud800": [NOT_UNICODE]}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 2, 5_000])
def test_it_rejects_json_nested_deeper_than_the_limit(api_as, depth):
    body = "[" * depth + "]" * depth

    response = api_as("priya").post(
        "/api/v1/stats/analyze/", data=body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"status": 400, "code": "parse_error", "detail": TOO_DEEP}


def test_it_still_parses_nesting_within_the_limit(api_as):
    body = {"metric_type": [[["x"]]]}

    response = _post(api_as("priya"), "/api/v1/stats/analyze/", body)

    assert response.status_code == 400
    assert "metric_type" in response.json()["fields"]
