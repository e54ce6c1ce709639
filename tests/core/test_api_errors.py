"""Services raise Django's ValidationError; the API answers it in the one error envelope."""

from django.core.exceptions import ValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from apps.core.api_errors import exception_handler


def _answer(exc):
    request = APIRequestFactory().post("/")
    return exception_handler(exc, {"view": APIView(), "request": request})


def test_a_field_error_names_the_field_in_the_envelope():
    response = _answer(ValidationError({"title": "At most 160 characters."}))

    assert response.status_code == 400
    assert response.data == {
        "status": 400,
        "code": "invalid",
        "detail": "title: At most 160 characters.",
        "fields": {"title": ["At most 160 characters."]},
    }


def test_an_error_without_a_field_is_a_non_field_error():
    response = _answer(ValidationError("Nothing to share."))

    assert response.status_code == 400
    assert response.data["fields"] == {"non_field_errors": ["Nothing to share."]}
    assert response.data["detail"] == "Nothing to share."


def test_a_message_with_params_is_formatted():
    error = ValidationError({"minutes": ValidationError("At most %(n)s.", params={"n": 480})})

    response = _answer(error)

    assert response.data["fields"] == {"minutes": ["At most 480."]}
