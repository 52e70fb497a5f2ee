"""render_markdown on the worst inputs the forms accept (5,000 characters): nested list and
quote markers made Python-Markdown recurse until RecursionError (a 500 on every page showing the
text), and a run of "(" made bleach's URL pattern quadratic ("(" * 5000 took 0.3 s).

The growth test times the same input at two sizes and compares: linear work grows 4× for 4× the
text, quadratic 16×; the bound between them does not depend on the machine's speed.
Absolute figures per input are printed by `python -m bench.markdown`."""

import html
import time

import pytest
from django.urls import reverse

from claims.text import MAX_NESTING, _render_markdown, render_markdown
from tests.factories import make_claim, make_submission

LIMIT = 5000
NESTED_MARKERS = {
    "bullets": "- ",
    "bullets with tabs": "-\t",
    "plus bullets": "+ ",
    "numbers": "1. ",
    "parenthesised numbers": "1) ",
    "quotes and bullets": "> - ",
}


@pytest.mark.parametrize("marker", NESTED_MARKERS.values(), ids=NESTED_MARKERS.keys())
def test_it_renders_markers_nested_to_the_limit_without_recursing_forever(marker):
    text = (marker * LIMIT)[: LIMIT - 1] + "x"
    rendered = str(render_markdown(text))
    assert rendered.count("<ul>") + rendered.count("<ol>") <= MAX_NESTING + 1
    # The markers past the bound show as typed: no backslash, the text is all there.
    assert "\\" not in rendered
    assert html.unescape(rendered).count(marker.strip()[0]) >= text.count(marker.strip()[0]) - 10


def test_it_keeps_real_nesting_and_code_as_typed():
    assert str(render_markdown("- a\n    - b\n        - c")).count("<ul>") == 3
    code = "```\n" + "- " * 20 + "x\n```"
    assert "- " * 20 + "x" in str(render_markdown(code))


def test_a_deeply_nested_rationale_does_not_break_my_submissions(member_client, member):
    make_submission(make_claim(), member, rationale="- " * 2500)
    response = member_client.get(reverse("my-submissions"))
    assert response.status_code == 200


def fastest_of_three(text: str) -> float:
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        _render_markdown(text)  # the parser itself: render_markdown keeps a long text's HTML
        timings.append(time.perf_counter() - start)
    return min(timings)


GROWING = {
    "open parentheses": "(",
    "open brackets": "[",
    "nested bullets": "- ",
    "quotes": "> ",
    "emphasis": "**a",
    "code ticks": "`a",
    "unclosable double ticks": "``a`",
}


def test_many_code_spans_show_as_typed_and_fences_keep_theirs():
    text = "``a`" * 1250
    rendered = html.unescape(str(render_markdown(text)))
    assert "<code>" not in rendered and rendered.count("`") == text.count("`")
    fenced = "```\n" + "``a`" * 200 + "\n```\n" + "`x` " * 150
    out = str(render_markdown(fenced))
    assert "``a`" * 200 in html.unescape(out)  # inside the fence, as typed


@pytest.mark.parametrize("unit", GROWING.values(), ids=GROWING.keys())
def test_its_work_grows_linearly_with_the_text(unit):
    small, large = (unit * LIMIT)[: LIMIT // 4], (unit * LIMIT)[:LIMIT]
    fastest_of_three(small)  # warm the parser's caches
    assert fastest_of_three(large) < 8 * fastest_of_three(small) + 0.005
