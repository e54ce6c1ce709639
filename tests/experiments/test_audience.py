"""The audience catalogue: which conditions an experiment may target, and the rule each breaks."""

import pytest

from apps.experiments.audience import (
    ATTRIBUTES,
    AudienceError,
    Condition,
    allowed,
    catalogue_help,
    conditions_as_json,
    parse_conditions,
    read_stored,
)


def test_it_normalises_values_and_keeps_the_operator():
    conditions = parse_conditions([
        {"attribute": "Country", "operator": "in", "values": ["de", " AT", "DE"]},
        {"attribute": "platform", "operator": "eq", "values": ["IOS"]},
        {"attribute": "visitor_type", "values": ["new"]},
    ])  # fmt: skip

    assert conditions == (
        Condition("country", "in", ("DE", "AT")),
        Condition("platform", "eq", ("ios",)),
        Condition("visitor_type", "in", ("new",)),
    )
    assert conditions_as_json(conditions)[0] == {
        "attribute": "country", "operator": "in", "values": ["DE", "AT"]}  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([{"attribute": "colour", "values": ["red"]}],
         "Unknown attribute 'colour': use one of country, language, platform, device, "
         "visitor_type, plan, channel."),
        ([{"attribute": "country", "operator": "gt", "values": ["DE"]}],
         "Unknown operator 'gt' on country: use one of in, not_in, eq, neq."),
        ([{"attribute": "platform", "values": ["windows"]}],
         "platform: 'windows' is not a value; use one of web, ios, android."),
        ([{"attribute": "country", "values": ["Germany"]}],
         "country: 'Germany' is not a value; use two-letter ISO 3166 codes such as DE or US."),
        ([{"attribute": "country", "values": []}], "country: list between 1 and 200 values as text."),
        ([{"attribute": "country", "values": [3]}], "country: list between 1 and 200 values as text."),
        ([{"attribute": "device", "operator": "eq", "values": ["mobile", "tablet"]}],
         "device eq: give exactly one value, or use in / not_in."),
        ([{"attribute": "platform", "values": ["ios"]},
          {"attribute": "platform", "operator": "not_in", "values": ["ios"]}],
         "The conditions on platform leave no one in the audience."),
        ([{"attribute": "country", "values": ["DE"]}, {"attribute": "country", "values": ["FR"]}],
         "The conditions on country leave no one in the audience."),
        (["country in DE"], "Condition 1: write each condition as {attribute, operator, values}."),
        ({"attribute": "country"}, "Give the audience as a list of conditions."),
        ([{"attribute": "plan", "values": ["free"]}] * 21, "Give at most 20 conditions."),
        ([{"operator": "in", "values": ["DE"]}], "Condition 1: name an attribute (country, "
         "language, platform, device, visitor_type, plan, channel)."),
    ],
)  # fmt: skip
def test_it_refuses_a_condition_naming_the_rule(raw, message):
    with pytest.raises(AudienceError) as refused:
        parse_conditions(raw)

    assert refused.value.field == "audience"
    assert str(refused.value) == message
    assert isinstance(refused.value, ValueError)


def test_no_conditions_is_everyone():
    assert parse_conditions([]) == () == parse_conditions(None)


def test_a_closed_attribute_resolves_exclusions_to_what_is_left():
    conditions = parse_conditions(
        [{"attribute": "platform", "operator": "not_in", "values": ["ios"]}]
    )

    assert allowed(conditions, "platform").only == frozenset({"web", "android"})
    assert allowed(conditions, "country").only is None


def test_stored_conditions_are_read_even_when_the_catalogue_does_not_know_them():
    stored = read_stored([{"attribute": "colour", "operator": "like", "values": ["red"]},
                          {"attribute": "country", "values": ["de"]}, "junk"])  # fmt: skip

    assert [(c.attribute, c.known) for c in stored] == [("colour", False), ("country", True)]
    assert stored[1].values == ("DE",)


def test_the_help_lists_every_attribute():
    text = catalogue_help()

    assert all(name in text for name in ATTRIBUTES)
    assert "platform: web, ios, android" in text
