"""Milliseconds render_markdown takes on the worst 5,000-character texts the forms accept
(issue 19: each under 100 ms). Python-Markdown's link pattern is quadratic on unmatched brackets,
its block parser recurses once per nested list or quote, and bleach's URL pattern was quadratic
on a run of "("; claims.text bounds all three.

DEBUG=1 python -m bench.markdown  ->  one line per case, slowest first, then a JSON summary
"""

import json
import os
import time

LIMIT = 5000
TARGET_MS = 100
UNITS = {
    "open_brackets": "[", "close_brackets": "]", "nested_brackets": "[[", "bracket_pairs": "[]",
    "link_starts": "[a](", "images": "![", "open_parentheses": "(", "asterisks": "*",
    "underscores": "_", "emphasis": "**a", "code_ticks": "`a", "double_ticks": "``a`",
    "angles": "<", "tags": "<a",
    "ampersands": "&", "quotes": "> ", "nested_bullets": "- ", "nested_numbers": "1. ",
    "quote_bullets": "> - ", "backslashes": "\\", "headings": "#", "pipes": "|",
    "footnote_starts": "[^", "comments": "<!--", "autolinks": "<http://", "urls": "http://a.b/",
    "dois": "10.1234/", "references": "[x]: y\n", "lines": "a\n", "mixed": "[*_`<](",
}  # fmt: skip
CASES = {name: (unit * LIMIT)[:LIMIT] for name, unit in UNITS.items()}
CASES["links"] = ("See [a study](https://example.org/a) and 10.1000/xyz. " * 90)[:LIMIT]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    # The parser's own work, not the cache's: render_markdown keeps a long text's HTML
    # (claims.text._rendered_once), so a repeat would time a cache hit.
    from claims.text import _render_linking_dois, _render_markdown

    timings = {}
    for name, text in CASES.items():
        for label, render in (("", _render_markdown), (" +DOIs", _render_linking_dois)):
            best = None
            for _ in range(3):
                start = time.perf_counter()
                render(text) if not label else render(text, {}, False)
                elapsed = (time.perf_counter() - start) * 1000
                best = elapsed if best is None else min(best, elapsed)
            timings[name + label] = round(best, 1)
    for name, ms in sorted(timings.items(), key=lambda item: -item[1]):
        print(f"{ms:8.1f} ms  {name}{'  OVER TARGET' if ms > TARGET_MS else ''}")
    over = [name for name, ms in timings.items() if ms > TARGET_MS]
    print(json.dumps({"target_ms": TARGET_MS, "slowest_ms": max(timings.values()), "over": over}))


if __name__ == "__main__":
    main()
