"""The check every service makes of a text a person typed: stripped, present, not too long.

Errors name the field, as every user-caused error does (`{"title": ["…"]}` in the API).
"""

from django.core.exceptions import ValidationError

BLANK = "This field may not be blank."


def check_text(
    field: str, value: object, *, max_length: int | None = None, required: str | None = BLANK
) -> str:
    """The value stripped of surrounding white space, or a ValidationError naming `field`.

    `required` is the message for a blank value (say what the field is for: "A plan needs a
    goal."); None lets a blank value through as "". `max_length` counts the stripped text.
    """
    text = str(value or "").strip()
    if not text and required is not None:
        raise ValidationError({field: required})
    if max_length is not None and len(text) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    return text
