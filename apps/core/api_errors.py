"""One error body for every API error, so clients parse a single shape.

    {"status": 400, "code": "invalid", "detail": "…", "fields": {"role": ["…"]}}

`fields` is present for validation errors and names each offending field. Services raise
Django's ValidationError and PermissionDenied; they are translated here so views stay thin.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
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
