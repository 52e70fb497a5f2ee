"""Issue 19 (left from round two): a long text is rendered once and its HTML kept in the
shared cache, so a page of hostile comments does not pay the parser on every view; what shapes
the HTML (the links its DOIs get, the lower-case flag, the rules' version) is in the key."""

import pytest
from django.core.cache import cache

from claims import text as claims_text
from claims.text import RENDERED_FROM, render_markdown, render_markdown_linking_dois
from tests.security.test_cache_outage import closed_port


@pytest.fixture
def parser_calls(monkeypatch):
    """How often markdown itself runs (the real parser, counted)."""
    calls = []
    real = claims_text.md.markdown

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(claims_text.md, "markdown", counted)
    cache.clear()
    return calls


HOSTILE = "[" * 2500 + "*a* " * 500


def test_a_long_text_is_parsed_once(parser_calls):
    first = render_markdown(HOSTILE)
    second = render_markdown(HOSTILE)
    assert str(first) == str(second) and len(parser_calls) == 1


def test_a_short_text_is_not_cached(parser_calls):
    short = "*hello*"
    assert len(short) < RENDERED_FROM
    render_markdown(short)
    render_markdown(short)
    assert len(parser_calls) == 2


def test_a_new_study_page_for_a_doi_is_a_new_rendering(parser_calls):
    body = "See 10.1000/abc for this. " + "x " * RENDERED_FROM
    to_doi_org = render_markdown_linking_dois(body, {})
    assert 'href="https://doi.org/10.1000/abc"' in to_doi_org
    to_ours = render_markdown_linking_dois(body, {"10.1000/abc": "/studies/7/"})
    assert 'href="/studies/7/"' in to_ours
    # An unrelated study in the mapping shapes nothing: the same rendering.
    again = render_markdown_linking_dois(body, {"10.1000/abc": "/studies/7/", "10.9/z": "/s/9/"})
    assert str(again) == str(to_ours)
    assert len(parser_calls) == 2


def test_the_rules_version_is_in_the_key(parser_calls, monkeypatch):
    render_markdown(HOSTILE)
    monkeypatch.setattr(claims_text, "RENDERING", "md-next")
    render_markdown(HOSTILE)
    assert len(parser_calls) == 2


def test_a_cache_outage_still_renders(settings, parser_calls):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.SoftFailingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",  # nothing listens there
        }
    }
    try:
        assert "<em>a</em>" in render_markdown(HOSTILE)
        assert "<em>a</em>" in render_markdown(HOSTILE)
        assert len(parser_calls) == 2  # nothing kept: rendered each time, never an error
    finally:
        cache.close()


def test_an_escaped_doi_gets_its_study_page_once_the_study_exists():
    """Review: the key read DOIs off the raw text, the linker off the HTML: "10.1000/a\\_b"
    stayed linked to doi.org after the study was added."""
    body = "See 10.1000/a\\_b here. " + "x " * RENDERED_FROM
    assert 'href="https://doi.org/10.1000/a_b"' in render_markdown_linking_dois(body, {})
    ours = render_markdown_linking_dois(body, {"10.1000/a_b": "/studies/9/"})
    assert 'href="/studies/9/"' in ours
