"""The score form reports every bad value at once, and people are listed by full name in
every choice list (the owner filter, the propose form), as the tables name them."""

from types import SimpleNamespace

import pytest

from apps.backlog import scoring
from apps.backlog.models import Score

pytestmark = pytest.mark.django_db


def test_a_score_with_two_values_off_the_scale_flags_both(web_as, hypothesis):
    response = web_as("tomas").post(
        f"/backlog/{hypothesis.pk}/score/",
        {"impact": 12, "confidence": 0, "ease": 5},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "Impact must be within its scale 1–10; got 12." in html
    assert "Confidence must be within its scale 1–10; got 0." in html
    assert not Score.objects.exists()


def test_an_empty_value_does_not_hide_another_off_the_scale(web_as, hypothesis):
    response = web_as("tomas").post(
        f"/backlog/{hypothesis.pk}/score/",
        {"impact": "", "confidence": 11, "ease": 5},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in html
    assert "Confidence must be within its scale 1–10; got 11." in html


def test_the_score_service_names_every_value_at_fault(demo, hypothesis):
    from django.core.exceptions import ValidationError

    from apps.backlog import services

    with pytest.raises(ValidationError) as caught:
        services.score_submit(
            actor=demo.users["tomas"],
            hypothesis=hypothesis,
            values={"impact": 0, "confidence": 11, "ease": 5},
        )

    assert set(caught.value.message_dict) == {"values.impact", "values.confidence"}


def test_check_values_keeps_the_first_error_as_the_headline():
    criteria = [
        SimpleNamespace(key=key, name=key.upper(), scale_min=1, scale_max=10, weight=1, axis="")
        for key in ("a", "b")
    ]

    with pytest.raises(scoring.ScoreError) as caught:
        scoring.check_values("mean", criteria, {"a": 0})

    assert caught.value.field == "values.a"
    assert set(caught.value.errors) == {"values.a", "values.b"}


def test_the_owner_filter_and_the_propose_form_list_full_names(web_as, hypothesis):
    client = web_as("lena")

    backlog = client.get("/backlog/").content.decode()
    propose = client.get(f"/backlog/groups/{hypothesis.working_group.slug}/propose/")

    for html in (backlog, propose.content.decode()):
        assert ">Aisha Khan</option>" in html
        assert ">aisha</option>" not in html
