"""Which links a person may give ExPr to show to others: one rule for every URL field.

Allowed: an absolute http(s) URL with a host, or a path on this site ("/backlog/12/",
"#agenda"). Everything else is refused, above all the schemes a browser runs or renders
(javascript:, data:, vbscript:) and protocol-relative "//host" or "/\\host", which leave the
site while looking like a path. Control characters are refused too: browsers drop them, so
"java\\tscript:" would otherwise slip past a scheme check.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models

UNSAFE_LINK = "Enter an http(s) address or a path on this site starting with /."

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_safe_link(value: str) -> bool:
    if not value:
        return True
    if _CONTROL.search(value) or value != value.strip():
        return False
    if value.startswith("#"):
        return True
    if value.startswith("/"):
        return not value.startswith(("//", "/\\"))
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def validate_safe_link(value: str) -> None:
    if not is_safe_link(value):
        raise ValidationError(UNSAFE_LINK, code="unsafe_link")


class SafeLinkField(models.CharField):
    """A link shown to others; validated on every write, not only by forms.

    Services create rows without full_clean and edit them with QuerySet.update(), so the
    check sits where both become SQL: no path (a service, the API, an agenda hook, the
    admin) can store a link the pages would follow.
    """

    default_validators = [validate_safe_link]

    def get_db_prep_save(self, value, connection):
        # bulk_update hands over a Case expression; its Value()s come back here one by one.
        if isinstance(value, str) and value and not is_safe_link(value):
            raise ValidationError({self.name: [UNSAFE_LINK]}, code="unsafe_link")
        return super().get_db_prep_save(value, connection)
