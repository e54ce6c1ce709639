"""The propose form feeding the ranking: a bounded expected effect, checked by one rule in
the form, the API and the service, and help texts that add to the labels."""

import pytest
from django.core.exceptions import ValidationError

from apps.backlog import services
from apps.backlog.forms import HypothesisForm
from apps.backlog.models import Hypothesis

pytestmark = pytest.mark.django_db

H = "/api/v1/hypotheses/"


def proposal(**fields) -> dict:
    return {
        "title": "Guest checkout",
        "change": "preselect guest checkout",
        "metric": "checkout conversion",
        "direction": "increase",
        "rationale": "the sign-in wall loses people",
        "category": "product",
        **fields,
    }


@pytest.mark.parametrize(
    ("direction", "effect", "words"),
    [
        ("increase", -1000, "above 0 %"),
        ("increase", 0, "above 0 %"),
        ("increase", 1500, "at most 1,000 %"),
        ("decrease", 150, "falls is expected to move by at most 100 %"),
    ],
)
def test_the_api_refuses_an_impossible_expected_effect_naming_the_field(
    api_as, demo, direction, effect, words
):
    response = api_as("lena").post(
        H,
        {**proposal(direction=direction, expected_effect=effect), "working_group": demo.group.pk},
        format="json",
    )
    assert response.status_code == 400
    assert words in " ".join(response.json()["fields"]["expected_effect"])
    assert not Hypothesis.objects.exists()


def test_the_form_shows_the_rule_beside_the_field(web_as, demo):
    response = web_as("lena").post(
        f"/backlog/groups/{demo.group.slug}/propose/", proposal(expected_effect="-1000")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["expected_effect"] == [
        "The expected effect is a size above 0 %: choose whether the metric rises or falls, "
        "then say by how much."
    ]
    assert not Hypothesis.objects.exists()


def test_the_service_holds_the_rule_for_edits_that_flip_the_direction(users, propose):
    h = propose("lena", expected_effect=300)
    with pytest.raises(ValidationError) as error:
        services.hypothesis_update(actor=users["lena"], hypothesis=h, direction="decrease")
    assert "expected_effect" in error.value.message_dict
    h.refresh_from_db()
    assert h.direction == "increase"


def test_sensible_effects_in_either_direction_are_accepted(users, propose):
    assert propose("lena", expected_effect=1000).expected_effect == 1000
    assert propose("lena", direction="decrease", expected_effect=100).expected_effect == 100


def test_help_texts_add_to_the_labels_instead_of_repeating_them(demo):
    form = HypothesisForm(group=demo.group)
    for name, field in form.fields.items():
        label = str(field.label or "").strip("…. ").lower()
        help_text = str(field.help_text or "").lower()
        assert not (label and help_text.startswith(label)), name
    assert form.fields["direction"].help_text == ""
    assert "2.5" in form.fields["expected_effect"].help_text
