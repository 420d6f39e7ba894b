import pytest

from core.markdown import markdown_to_text, render_markdown
from tests.security import XSS_PAYLOADS, assert_inert, inert_problems


def test_renders_common_markdown():
    html = render_markdown(
        "# Title\n\nSome **bold** and a [link](https://example.org).\n\n- a\n- b"
    )
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">link</a>' in html
    assert "<ul>" in html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_every_xss_payload_renders_inert(payload):
    assert_inert(render_markdown(payload))
    assert_inert(render_markdown(f"Some text {payload} more text"))


def test_the_inertness_check_itself_catches_active_content():
    assert inert_problems('<img src="x" onerror="alert(1)">')
    assert inert_problems('<a href=" javascript:alert(1)">x</a>')
    assert inert_problems("<script>alert(1)</script>")
    assert not inert_problems('<p><a href="https://example.org">ok</a></p>')


def test_plain_text_for_indexing():
    assert markdown_to_text("Some **bold** <b>x</b>") == "Some bold <b>x</b>"
