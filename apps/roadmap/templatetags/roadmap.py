"""Template filters the roadmap's Markdown and pages need."""

from django import template

register = template.Library()


@register.filter
def md_indent(text: str, spaces: int = 2) -> str:
    """Indent continuation lines so a multi-line text stays inside its Markdown list item."""
    pad = " " * int(spaces)
    lines = [line.rstrip() for line in str(text).strip().splitlines() if line.strip()]
    return f"\n{pad}".join(lines)
