"""Markdown to safe HTML: rendered once on write with markdown-it-py, then sanitised by nh3.

Raw HTML in the source is not rendered (it shows as text); the sanitiser is the second
wall: no script, no event handlers, no `javascript:` URLs; links get rel="nofollow ugc
noopener".
"""

import html

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)
# Headings start at h2: the page's own title is the only h1.


def _heading_level(token):
    return max(2, int(token.tag[1]))


_markdown.add_render_rule(
    "heading_open", lambda self, tokens, idx, options, env: f"<h{_heading_level(tokens[idx])}>"
)
_markdown.add_render_rule(
    "heading_close", lambda self, tokens, idx, options, env: f"</h{_heading_level(tokens[idx])}>"
)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Return sanitised HTML for the markdown TEXT (store it; mark it safe when shown)."""
    return sanitise_html(_markdown.render(text or ""))


def markdown_to_text(text: str) -> str:
    """Plain text of the markdown TEXT, for search indexing and notifications."""
    return html.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()
