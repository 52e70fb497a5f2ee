"""Every page type's latency on a seeded database: home, the list with each filter and sort,
page numbers, the API's list and detail, the feed, the sitemap, the claim JSON and page.

    DATABASE_URL=postgres://…/db python -m bench.pages [--requests 50] [--searches 100]

Run by bench/run.py (one JSON object under "pages"), or alone on a database seeded by
bench/seed.py: prints one JSON object. In-process (django.test.Client), sequential: a latency,
not a throughput (bench/wrk.py measures that with a real load tool). Each page is asked once
first (caches warm, as in production), then `requests` times; the median, p95, queries.
"""

import argparse
import json
import os
import random
import statistics
import time
import urllib.parse

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.seed import LARGE_SLUGS, SMALL_SLUG  # noqa: E402
from bench.vocabulary import INTERVENTIONS, OUTCOMES, TOPICS  # noqa: E402
from claims.models import Claim  # noqa: E402

# A page in the middle of the list: OFFSET costs grow with it.
MIDDLE = "middle"


def page_paths() -> dict[str, str]:
    """Name → path of every list-like page the bench measures, read off the seeded data."""
    published = Claim.objects.published()
    total = published.count()
    middle = max(1, total // settings.CLAIMS_PER_PAGE // 2)
    topic = TOPICS[0]
    verdict = published.order_by().values_list("verdict", flat=True).first() or ""
    quoted = urllib.parse.quote
    return {
        "home": "/",
        "list": "/claims/",
        "list ?page=2": "/claims/?page=2",
        f"list ?page={MIDDLE}": f"/claims/?page={middle}",
        "list ?topic": f"/claims/?topic={quoted(topic)}",
        "list ?type": "/claims/?type=causal",
        "list ?verdict": f"/claims/?verdict={quoted(verdict)}",
        "list ?sort=strongest": "/claims/?sort=strongest",
        "list ?topic&sort=strongest": f"/claims/?topic={quoted(topic)}&sort=strongest",
        "api list": "/api/claims/",
        "api list ?topic": f"/api/claims/?topic={quoted(topic)}",
        "feed": "/feeds/claims.atom",
        "sitemap index": "/sitemap.xml",
        "sitemap claims": "/sitemap-claims.xml",
        "sitemap studies": "/sitemap-studies.xml",
        "claim page": f"/claims/{SMALL_SLUG}/",
        "claim page, large": f"/claims/{LARGE_SLUGS[0]}/",
        "claim json": f"/claims/{SMALL_SLUG}.json",
        "api detail": f"/api/claims/{SMALL_SLUG}/",
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(client: Client, path: str, requests: int) -> dict:
    times, counts, size = [], [], 0
    for attempt in range(requests + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        if attempt:  # the first warms the caches
            times.append(elapsed)
            counts.append(len(queries))
            size = len(response.content)
    return {
        "path": path,
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "queries": max(counts),
        "bytes": size,
    }


def search(requests: int, seed: int = 1) -> dict:
    """Searches of one to three words (some cut short, as typed): each is new to the cache."""
    rng = random.Random(seed)
    vocabulary = [w for phrase in INTERVENTIONS + OUTCOMES + TOPICS for w in phrase.split()]
    vocabulary = [w for w in vocabulary if len(w) > 3]
    client = Client()
    client.get("/claims/?q=warmup")
    times = []
    for _ in range(requests):
        words = rng.sample(vocabulary, rng.choice((1, 1, 2, 2, 3)))
        query = " ".join(w if rng.random() < 0.7 else w[: max(4, len(w) - 3)] for w in words)
        started = time.perf_counter()
        response = client.get("/claims/?" + urllib.parse.urlencode({"q": query}))
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (query, response.status_code)
    return {"median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)}


def vacuum_analyze() -> None:
    """Planner statistics and a visibility map, as autovacuum leaves them: measuring right
    after a bulk load or a rewriting rescore otherwise reads dead rows (issue 20)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def measure_pages(requests: int, searches: int) -> dict:
    vacuum_analyze()
    client = Client()
    pages = {name: measure(client, path, requests) for name, path in page_paths().items()}
    return {"pages": pages, "search": search(searches)}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--searches", type=int, default=100)
    args = parser.parse_args(argv)
    result = measure_pages(args.requests, args.searches)
    result["claims"] = Claim.objects.count()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
