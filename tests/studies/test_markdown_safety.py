"""Issue 5 item 3: user and editor markdown goes through one allow-list."""

import pytest

from claims.text import render_markdown


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="data:text/html,hi">x</a>',
        '<iframe src="https://example.org"></iframe>',
        '<p style="x" onclick="alert(1)">hi</p>',
    ],
)
def test_it_drops_scripts_handlers_and_unsafe_urls(text):
    html = str(render_markdown(text))
    for bad in (
        "<script",
        "<img",
        "onerror",
        "onclick",
        "javascript:",
        "data:",
        "<iframe",
        "style=",
    ):
        assert bad not in html.lower()


def test_it_marks_every_link_nofollow_noopener():
    html = str(render_markdown('[a](https://example.org) <a href="https://e.org" rel="me">b</a>'))
    assert html.count('rel="nofollow noopener"') == 2
    assert 'rel="me"' not in html


def test_it_links_bare_urls_but_not_inside_code():
    html = str(render_markdown("see https://example.org and `https://example.com`"))
    assert '<a href="https://example.org" rel="nofollow noopener">' in html
    assert "<code>https://example.com</code>" in html


def test_it_keeps_basic_formatting():
    html = str(render_markdown("**b** _i_\n\n- one\n- two"))
    assert "<strong>b</strong>" in html and "<em>i</em>" in html and "<li>one</li>" in html
