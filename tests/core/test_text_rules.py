"""check_text: the one rule for a typed text, as the backlog, meetings and roadmap ask it."""

import pytest
from django.core.exceptions import ValidationError

from apps.core.text_rules import BLANK, check_text


def test_it_returns_the_text_stripped():
    assert check_text("title", "  Delivery date \n") == "Delivery date"


@pytest.mark.parametrize("value", ["", "   \t\n", None])
def test_it_rejects_a_blank_text_naming_the_field(value):
    with pytest.raises(ValidationError) as caught:
        check_text("title", value)
    assert caught.value.message_dict == {"title": [BLANK]}


def test_it_says_what_a_required_field_is_for():
    with pytest.raises(ValidationError) as caught:
        check_text("goal", " ", required="A plan needs a goal.")
    assert caught.value.message_dict == {"goal": ["A plan needs a goal."]}


def test_it_lets_an_optional_text_be_blank():
    assert check_text("value_path", "  ", required=None) == ""
    assert check_text("value_path", None, required=None) == ""


def test_it_rejects_a_text_over_the_limit():
    with pytest.raises(ValidationError) as caught:
        check_text("title", "x" * 161, max_length=160)
    assert caught.value.message_dict == {"title": ["At most 160 characters."]}


def test_it_counts_the_limit_after_stripping():
    assert check_text("title", " " + "x" * 160 + " ", max_length=160) == "x" * 160


def test_it_checks_an_optional_text_against_the_limit_too():
    with pytest.raises(ValidationError) as caught:
        check_text("value_path", "x" * 11, max_length=10, required=None)
    assert caught.value.message_dict == {"value_path": ["At most 10 characters."]}
