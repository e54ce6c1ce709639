"""One error body for every API error, so clients parse a single shape.

    {"status": 400, "code": "invalid", "detail": "…", "fields": {"role": ["…"]}}

`fields` is present for validation errors and names each offending field. Services raise
Django's ValidationError and PermissionDenied; they are translated here so views stay thin.
The OpenAPI schema declares this body once, as the `Error` component, and which errors each
operation can meet (`declare_error_responses`), so no view repeats it.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from .middleware import RETRY_AFTER_SECONDS, database_busy_body, is_database_busy


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {"field.sub[0]": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    out.update(_flatten(item, f"{prefix}[{index}]"))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def _summary(fields: dict[str, list[str]]) -> str:
    field, messages = next(iter(fields.items()))
    text = messages[0] if messages else "Invalid input."
    return text if field == "non_field_errors" else f"{field}: {text}"


def exception_handler(exc, context):
    if is_database_busy(exc):
        return Response(
            database_busy_body(),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    body: dict = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        body.update(code="invalid", detail=_summary(fields), fields=fields)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        body.update(code=getattr(detail, "code", exc.default_code), detail=str(detail))
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "detail" not in body:
        body.update(
            code="not_authenticated", detail="Authentication credentials were not provided."
        )
    return Response(body, status=response.status_code, headers=dict(response.headers))


class _EnvelopeSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated in the body.")
    code = serializers.CharField(
        help_text="What went wrong, for programs: invalid, parse_error, not_found, "
        "permission_denied, not_authenticated, authentication_failed, throttled, conflict, "
        "database_busy…"
    )
    detail = serializers.CharField(
        help_text="What went wrong, for people; for invalid input, the first field's message."
    )


class ConflictSerializer(_EnvelopeSerializer):
    """A 409: someone saved since the version you sent, and nothing was saved.

    `current` is what is saved now, `yours` what you sent (each resource's conflict declares
    both): merge, and send again with the current version."""


class ErrorSerializer(_EnvelopeSerializer):
    """The body of every API error."""

    # DRF's metaclass takes declared fields off the class: this does not shadow `.fields`.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='Invalid input only: each offending field (nested ones as "plan.title" or '
        '"variants[1].n") and its messages.',
    )


# Why each error can happen, as the schema tells it; the conditions are in `_errors_of`.
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `fields` names each offending field. Also a request the current "
    "state does not allow, or a body that does not parse.",
    "401": "No credentials, or a token that is unknown, expired or revoked.",
    "403": "Your role does not allow this (or a session request without its CSRF token).",
    "404": "Not found, or not visible to you; also a page number past the last page.",
    "503": "The database is busy with other changes (SQLite only): nothing was saved; "
    "retry after the Retry-After header's seconds.",
}
RETRY_AFTER_HEADER = {
    "schema": {"type": "integer"},
    "description": "Seconds to wait before sending the same request again.",
}
# Query parameters that never fail validation: DRF ignores an unknown ordering or page size.
_LENIENT_QUERY = {"ordering", "page_size"}


def _errors_of(method: str, operation: dict) -> list[str]:
    """The error statuses an operation can answer, read from what it accepts."""
    parameters = operation.get("parameters", [])
    query = {p["name"] for p in parameters if p["in"] == "query"}
    codes = []
    if method != "get" or query - _LENIENT_QUERY - {"page"}:
        codes.append("400")
    security = operation.get("security", [])
    if security and {} not in security:
        codes += ["401", "403"]
    if "page" in query or any(p["in"] == "path" for p in parameters):
        codes.append("404")
    codes.append("503")
    return codes


def declare_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every error an operation can answer, in one shape.

    A view that declares an error itself (a description, or its own body such as a 409's)
    keeps it; the hook adds the `Error` body where it has none. It runs before the enum
    hook, which rebuilds the components from the registry this one registers `Error` in.
    """
    auto_schema = AutoSchema()
    auto_schema.registry = generator.registry
    # With a context given, the schema needs no view to build one from.
    error = auto_schema.resolve_serializer(ErrorSerializer(context={"hook": True}), "response")
    content = {"application/json": {"schema": error.ref}}
    for operations in result["paths"].values():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in _errors_of(method, operation):
                responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
            responses["503"].setdefault("headers", {"Retry-After": RETRY_AFTER_HEADER})
            for code, response in responses.items():
                if code.startswith(("4", "5")) and "content" not in response:
                    response["content"] = content
    return result
