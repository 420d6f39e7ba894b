"""Markdown to safe HTML: rendered once on write with markdown-it-py, then sanitised by nh3.

Raw HTML in the source is not rendered (it shows as text); the sanitiser is the second
wall: no script, no event handlers, no `javascript:` URLs; links get rel="nofollow ugc
noopener".

`@handle` mentions: outside code and links, a handle the resolver knows becomes a link to the
person's profile; any other stays plain text. The resolver is filled by a higher layer
(members) with `set_mention_resolver`, so core knows nothing of accounts.
"""

import html
import re
from collections.abc import Callable, Iterable

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


# A handle: letters and digits of any script with inner hyphens (members.handles makes them).
MENTION_PATTERN = r"[^\W_](?:[\w-]*[^\W_])?"
_mention_re = re.compile(MENTION_PATTERN)
_candidate_re = re.compile(rf"(?<![\w@])@({MENTION_PATTERN})")

# handles -> {handle: profile URL} for the handles that exist; None: no mentions resolved.
_mention_resolver: Callable[[set[str]], dict[str, str]] | None = None


def set_mention_resolver(resolver: Callable[[set[str]], dict[str, str]] | None) -> None:
    """Install RESOLVER(handles) -> {handle: url} for the handles that exist (one query)."""
    global _mention_resolver
    _mention_resolver = resolver


def _mention_rule(state, silent: bool) -> bool:
    pos = state.pos
    if state.src[pos] != "@" or state.linkLevel > 0:
        return False
    if pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_@-"):
        return False  # an email address or the like, not a mention
    match = _mention_re.match(state.src, pos + 1)
    if match is None:
        return False
    handle = match.group(0).lower()
    if not silent:  # silent runs are look-aheads (a link's label), not the text itself
        state.env.setdefault("mentions_found", []).append(handle)
    url = state.env.get("mention_urls", {}).get(handle)
    if url is None:
        return False  # the text rule shows it as written
    if not silent:
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": url, "class": "mention"}
        token = state.push("text", "", 0)
        token.content = "@" + match.group(0)
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


_markdown.inline.ruler.before("emphasis", "mention", _mention_rule)


def _candidates(text: str) -> set[str]:
    return {handle.lower() for handle in _candidate_re.findall(text or "")}


def mentioned_handles(text: str) -> list[str]:
    """The handles @mentioned in the markdown TEXT, in order, once each (not those in code)."""
    env: dict = {}
    _markdown.parse(text or "", env)
    return list(dict.fromkeys(env.get("mentions_found", [])))


def resolve_mentions(handles: Iterable[str]) -> dict[str, str]:
    """{handle: url} for those of HANDLES that exist (empty without a resolver)."""
    handles = set(handles)
    if not handles or _mention_resolver is None:
        return {}
    return _mention_resolver(handles)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        allowed_classes={"a": {"mention"}},
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Return sanitised HTML for the markdown TEXT (store it; mark it safe when shown)."""
    env = {"mention_urls": resolve_mentions(_candidates(text))}
    return sanitise_html(_markdown.render(text or "", env))


def markdown_to_text(text: str) -> str:
    """Plain text of the markdown TEXT, for search indexing and notifications."""
    return html.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()
