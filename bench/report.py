"""The bench's tables beside the main one: every page's latency, and each figure's growth
from the default size to a scale run (`python -m bench --scale 100000`)."""

import math

# Issue 20's targets at scale, on PostgreSQL.
PAGE_MEDIAN_MS = 25.0
SEARCH_P95_MS = 50.0
GROWTH = 1.5


def _line(cells, widths) -> str:
    return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"


def render(header: list[str], rows: list[list[str]], title: str) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([title, _line(header, widths), rule, *(_line(r, widths) for r in rows)])


def pages_table(results: dict, options: dict) -> str:
    """Median / p95 ms and queries of every list-like page, per backend."""
    names = [name for name in results if "pages" in results[name]]
    if not names:
        return ""
    pages = list(results[names[0]]["pages"]["pages"])
    rows = []
    for page in pages:
        cells = [page]
        for name in names:
            m = results[name]["pages"]["pages"][page]
            cells.append(f"{m['median_ms']:.1f} / {m['p95_ms']:.1f} ({m['queries']} q)")
        rows.append(cells)
    rows.append(
        ["search ?q=… (new each time)"]
        + [
            f"{results[n]['search']['median_ms']:.1f} / {results[n]['search']['p95_ms']:.1f}"
            for n in names
        ]
    )
    title = f"Pages: median / p95 ms (queries), warm, n={options['page_requests']} each"
    return render(["page", *names], rows, title)


def growth(small: float, large: float) -> str:
    return f"{large / small:.2f}×" if small else "-"


def exponent(small_n: int, large_n: int, small: float, large: float) -> str:
    """b in time ∝ claims^b between the two sizes: 0 is flat, 1 linear."""
    if small <= 0 or large <= 0 or small_n == large_n:
        return "-"
    return f"{math.log(large / small) / math.log(large_n / small_n):.2f}"


def growth_table(small_params: dict, large_params: dict, small: dict, large: dict) -> str:
    """Each page's median at the default size and at scale, the ratio and the fit."""
    n1, n2 = small_params["claims"], large_params["claims"]
    rows = []
    for page, m1 in small["pages"]["pages"].items():
        m2 = large["pages"]["pages"][page]
        ok = m2["median_ms"] <= max(PAGE_MEDIAN_MS, GROWTH * m1["median_ms"])
        rows.append(
            [
                page,
                f"{m1['median_ms']:.1f}",
                f"{m2['median_ms']:.1f}",
                growth(m1["median_ms"], m2["median_ms"]),
                exponent(n1, n2, m1["median_ms"], m2["median_ms"]),
                "ok" if ok else "MISSED",
            ]
        )
    s1, s2 = small["search"]["p95_ms"], large["search"]["p95_ms"]
    rows.append(
        [
            "search p95",
            f"{s1:.1f}",
            f"{s2:.1f}",
            growth(s1, s2),
            exponent(n1, n2, s1, s2),
            "ok" if s2 <= SEARCH_P95_MS else "MISSED",
        ]
    )
    seed = large["seed_s"]
    title = (
        f"PostgreSQL growth: {n1} → {n2} claims ({large_params['studies']} studies, "
        f"{large_params['links']} links; seeding {'reused' if seed is None else f'{seed:.0f} s'})"
        f"; target ≤ {PAGE_MEDIAN_MS:g} ms median or ≤ {GROWTH:g}× the smaller size's"
    )
    header = ["page", f"{n1} ms", f"{n2} ms", "growth", "exponent b (t ∝ n^b)", "target"]
    return render(header, rows, title)
