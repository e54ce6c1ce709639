"""The meetings API's schema says what each endpoint answers, and names its choice sets."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    "path, component",
    [
        ("/api/v1/meetings/{id}/reorder/", "AgendaItem"),
        ("/api/v1/agenda-items/{id}/move/", "AgendaItem"),
        ("/api/v1/meeting-series/{id}/generate/", "Meeting"),
    ],
)
def test_an_action_that_answers_a_list_declares_a_plain_list(schema, path, component):
    # These answer the whole list at once, never a page of it.
    answer = schema["paths"][path]["post"]["responses"]["200"]

    body = answer["content"]["application/json"]["schema"]
    assert body == {"type": "array", "items": {"$ref": f"#/components/schemas/{component}"}}


def test_the_meetings_choice_sets_are_named_enums(schema):
    components = schema["components"]["schemas"]

    assert components["MeetingKindEnum"]["enum"] == [
        "working_group",
        "working_session",
        "stakeholder_update",
    ]
    assert components["AgendaItemMoveDirectionEnum"]["enum"] == ["up", "down"]
    assert "pattern" not in components["ActionItem"]["properties"]["status"]
