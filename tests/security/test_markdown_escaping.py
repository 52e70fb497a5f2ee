"""render_markdown escapes exactly once (code spans and blocks showed `&amp;amp;` and a literal
`&lt;x&gt;`), renders fenced code blocks, and keeps its allow-list and nofollow links."""

import html

import pytest

from claims.text import render_markdown
from tests.security.test_hostile_input import PAYLOADS, assert_no_executable_markup


def shown(markup: str) -> str:
    """The text a browser shows for a fragment with no tags of interest: entities decoded."""
    return html.unescape(markup)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`a & b`", "<p><code>a &amp; b</code></p>"),
        ("`<x>`", "<p><code>&lt;x&gt;</code></p>"),
        ("`&lt;`", "<p><code>&amp;lt;</code></p>"),  # the user typed the entity itself
        ("a & b", "<p>a &amp; b</p>"),
        ("    indented <x> & y", "<pre><code>indented &lt;x&gt; &amp; y\n</code></pre>"),
    ],
)
def test_it_escapes_code_exactly_once(text, expected):
    assert str(render_markdown(text)) == expected


def test_it_renders_fenced_code_blocks_with_their_text_intact():
    out = str(render_markdown("Before\n\n```python\nif x < y && z:\n    print('<b>')\n```\n"))
    assert "<pre><code>if x &lt; y &amp;&amp; z:\n    print('&lt;b&gt;')\n</code></pre>" in out
    assert "class=" not in out  # the language class is not on the allow-list
    assert "<b>" not in out


def test_it_shows_in_code_what_the_user_typed():
    for text in ["`a & b`", "`<script>alert(1)</script>`", "`x &amp; y`", "`\"q\" 'r'`"]:
        out = str(render_markdown(text))
        inner = out.removeprefix("<p><code>").removesuffix("</code></p>")
        assert shown(inner) == text.strip("`"), out


def test_it_does_not_link_urls_in_code_but_links_them_in_text():
    out = str(render_markdown("see https://example.org/?a=1&b=2 and `https://example.com/?a&b`"))
    assert '<a href="https://example.org/?a=1&amp;b=2" rel="nofollow noopener">' in out
    assert "<code>https://example.com/?a&amp;b</code>" in out


def test_it_keeps_the_allow_list_and_nofollow_on_every_link():
    out = str(
        render_markdown(
            '[a](https://example.org) <a href="https://e.org" rel="me" onclick="x">b</a> '
            "[c](javascript:alert(1)) <img src=x onerror=alert(1)>"
        )
    )
    assert out.count('rel="nofollow noopener"') == 2
    assert "onclick" not in out and "javascript:" not in out and "<img" not in out
    assert 'rel="me"' not in out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_keeps_the_xss_corpus_inert_in_code_and_fences(payload):
    for text in (payload, f"`{payload}`", f"```\n{payload}\n```", f"> {payload}"):
        assert_no_executable_markup(str(render_markdown(text)), text)


# Python-Markdown's link pattern is quadratic on unmatched brackets: "[" * 4999 took 3.3 s.
# The bound is counted in the pattern's own work (how many times it runs), not in seconds.
BRACKET_BOMBS = ["[" * 4999, "[[" * 1250 + "]]" * 1249, "]" * 4999, "[a" * 2400]


@pytest.mark.parametrize("text", BRACKET_BOMBS, ids=["open", "nested", "close", "spaced"])
def test_it_bounds_the_work_on_unmatched_brackets(text, monkeypatch):
    from markdown.inlinepatterns import LinkInlineProcessor

    calls = []
    original = LinkInlineProcessor.getText

    def counting(self, data, index):
        calls.append(index)
        return original(self, data, index)

    monkeypatch.setattr(LinkInlineProcessor, "getText", counting)
    rendered = str(render_markdown(text))
    assert len(calls) <= 200
    assert shown(rendered).count("[") == text.count("[")  # shown as typed
    assert "\\" not in rendered


def test_it_keeps_links_working_among_many_brackets():
    text = "[" * 500 + " see [the trial](https://example.org/trial) and [x]"
    rendered = str(render_markdown(text))
    assert '<a href="https://example.org/trial" rel="nofollow noopener">the trial</a>' in rendered
    assert shown(rendered).count("[") == 501


def test_it_keeps_brackets_in_code_as_typed_among_many():
    text = "[" * 200 + "\n\n`a[0]` and\n\n```\nx = [[1]]\n```"
    rendered = str(render_markdown(text))
    assert "<code>a[0]</code>" in rendered and "x = [[1]]" in rendered


def test_it_renders_normal_links_and_references_as_before():
    assert str(render_markdown("[a](https://example.org)")) == (
        '<p><a href="https://example.org" rel="nofollow noopener">a</a></p>'
    )
    assert "<a " in str(render_markdown("[ref][1]\n\n[1]: https://example.org"))
