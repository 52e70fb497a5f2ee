"""Seconds render_markdown takes on hostile bracket texts (Python-Markdown's link pattern is
quadratic on unmatched brackets; claims.text escapes them past a bound).

DEBUG=1 python -m bench.markdown  ->  prints JSON {case: seconds}
"""

import json
import os
import time

CASES = {
    "open_brackets": "[" * 4999,
    "nested_brackets": "[[" * 1250 + "]]" * 1249,
    "brackets_at_the_bound_then_text": "[" * 50 + "a" * 4950,
    "links": "See [a study](https://example.org/a) and 10.1000/xyz. " * 90,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from claims.text import render_markdown

    timings = {}
    for name, text in CASES.items():
        start = time.perf_counter()
        render_markdown(text)
        timings[name] = round(time.perf_counter() - start, 3)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
