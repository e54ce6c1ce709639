from zoneinfo import ZoneInfo

from django import template
from django.utils.safestring import mark_safe

from apps.meetings.markup import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    # Safe to mark safe: render_markdown sanitizes with an allow-list.
    return mark_safe(render_markdown(text))


@register.filter
def local_time(value, zone_name: str):
    """A UTC datetime as wall-clock time in the meeting's own zone.

    Naive on purpose: Django's date filters would convert an aware value back to the
    site's time zone."""
    if not value:
        return value
    return value.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
