"""What every app's pages share about forms."""

from django.core.exceptions import ValidationError


def add_service_errors(exc: ValidationError, form, *, prefix: str = "") -> None:
    """Put a service's field errors on the form, beside the field they name.

    Services name fields as the API does; `prefix` strips a nesting the form flattens
    (`values.impact` lands on field `impact`). An unknown field becomes a form-wide error.
    """
    for field, errors in exc.message_dict.items():
        name = field.removeprefix(prefix)
        form.add_error(name if name in form.fields else None, errors)
