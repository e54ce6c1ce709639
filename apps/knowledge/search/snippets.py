"""Snippets: the item's text around what matched, escaped, with the matches in <mark>.

PostgreSQL's `ts_headline` marks matches with two control characters that no stored text
holds; the text is escaped first and only then are the markers turned into tags, so an item's
own "<script>" stays text.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, "
    "MaxFragments=2, FragmentDelimiter= … "
)
SNIPPET_CHARS = 240


def marked(text: str) -> SafeString:
    """Escape `text` and turn the headline markers into <mark> tags."""
    cleaned = escape(text.replace("\x00", ""))
    html = cleaned.replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)


def plain_snippet(text: str, words: list[str]) -> SafeString:
    """SQLite's snippet: the first sentence holding a query word, the words marked."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    start = 0
    for word in words:
        at = lowered.find(word)
        if at >= 0:
            start = max(0, lowered.rfind(". ", 0, at) + 2 if lowered.rfind(". ", 0, at) >= 0 else 0)
            break
    excerpt = text[start : start + SNIPPET_CHARS]
    if words:
        pattern = re.compile(
            "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I
        )
        excerpt = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", excerpt)
    return marked(excerpt + ("…" if start + SNIPPET_CHARS < len(text) else ""))
