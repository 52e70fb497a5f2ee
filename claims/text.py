"""The one way user- and editor-written text becomes HTML."""

import bleach
import markdown as md
from bleach.linkifier import DEFAULT_CALLBACKS
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = [
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "sup", "sub", "hr",
]  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = ["http", "https", "mailto"]


def _nofollow(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


def render_markdown(text: str) -> SafeString:
    """Markdown → HTML → bleach allow-list; links get rel="nofollow noopener"."""
    html = md.markdown(text or "", extensions=["sane_lists"], output_format="html")
    clean = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
    )
    linked = bleach.linkify(
        clean, callbacks=[*DEFAULT_CALLBACKS, _nofollow], skip_tags=["pre", "code"]
    )
    return mark_safe(linked)  # noqa: S308 - sanitised just above
