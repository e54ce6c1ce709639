"""`{{ item.url|safe_link }}`: the link if it may be followed, else "" (render it as text).

Rows stored before links were validated may still hold a javascript: URL.
"""

from django import template

from apps.core.links import is_safe_link

register = template.Library()


@register.filter
def safe_link(value) -> str:
    value = str(value or "")
    return value if is_safe_link(value) else ""
