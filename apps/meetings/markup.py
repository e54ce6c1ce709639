"""Notes are Markdown, stored as typed and rendered through a sanitizer.

Markdown passes raw HTML through, so the rendered HTML goes through nh3 with a short list of
tags and only http(s)/mailto links: a `<script>` or a `javascript:` link in the notes comes
out inert text, whatever the note taker pasted.
"""

import markdown
import nh3

_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Markdown → sanitized HTML, safe to mark safe in a template or an email."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
