"""What one claim with 5,000 evidence links costs: the page cold, its bytes, and the JSON, the
API's claim and an export cold, warm and as a 304 (issue 20: 1.74 MB and ~500 ms each).

    python -m bench.big_claim [--links 5000] [--runs 5]           # SQLite, /tmp/bench_big.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_big python -m bench.big_claim

Seeds (once per database) one published claim linked to LINKS studies of mixed designs, sizes,
certainties and stances (a few retracted, some awaiting appraisal), scores it, then asks for
each address with Django's test client as a signed-in member (the full verdict): "cold" after
emptying the cache, "warm" again at once, "304" with the ETag it was given. Prints one JSON
line per figure (median of RUNS, in milliseconds) and the page's bytes, with the breakdown
and the forest plots shown whole (?breakdown=all, ?forest=all) beside it for comparison. For
the page cold it also prints how much of it was the scoring model (`scoring_ms`: score(),
score_checked(), as_items(), "what would change" and the sensitivity line; the rest is the
page's own work).
"""

import argparse
import json
import os
import statistics
import sys
import time

SLUG = "big-claim"
TARGETS = {"cold_ms": 300, "page_bytes": 200_000}


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_big.sqlite3")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    # Start up as the server does (config/wsgi.py): what start-up made frozen out of the GC.
    import config.wsgi  # noqa: F401


def seed(links: int):
    """The claim and its studies (bulk inserts, then one rescore); reused when it exists."""
    from claims.models import Claim, Evidence
    from claims.services import claims_rescore
    from studies.models import Study

    claim = Claim.objects.filter(slug=SLUG).first()
    if claim is not None:
        if Evidence.objects.filter(claim=claim).count() == links:
            return claim
        sys.exit(f"{SLUG} exists with another number of links: use an empty database.")
    started = time.perf_counter()
    designs = ("rct", "cohort", "case_control", "meta_analysis_rct", "cross_sectional")
    studies = Study.objects.bulk_create(
        Study(
            doi=f"10.5555/big.{i}",
            title=f"Study {i} of the big claim on training volume and strength",
            design=designs[i % len(designs)],
            sample_size=20 + (i * 37) % 900,
            year=1990 + i % 35,
            journal="Journal of Benchmarks",
            authors=f"Author{i}, A; Second{i}, B",
            retraction_status="retracted" if i % 251 == 0 else "none",
        )
        for i in range(links)
    )
    claim = Claim.objects.create(
        slug=SLUG,
        statement="Training volume increases strength in adults.",
        plain_statement="More training volume makes adults stronger.",
        claim_type="causal",
        status=Claim.Status.PUBLISHED,
    )
    certainties = ("high", "moderate", "low", "very_low", "")
    Evidence.objects.bulk_create(
        Evidence(
            claim=claim,
            study=study,
            stance="supports" if i % 3 else "contradicts",
            certainty=certainties[i % len(certainties)],
            **({"appraisal_status": "awaiting"} if i % 97 == 0 else {}),
        )
        for i, study in enumerate(studies)
    )
    claims_rescore(claims=Claim.objects.filter(pk=claim.pk))
    from bench.pages import vacuum_analyze

    vacuum_analyze()  # the new rows' statistics: a fresh seed read 640 ms cold without them
    print(json.dumps({"seeded_links": links, "seconds": round(time.perf_counter() - started, 1)}))
    return claim


def timed(client, url: str, **headers) -> tuple[float, object]:
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    return (time.perf_counter() - started) * 1000, response


def measure(client, url: str, runs: int) -> dict:
    """Cold (cache emptied), warm and 304 times of one address, medians in ms."""
    from django.core.cache import cache

    cold, warm, not_modified = [], [], []
    size = 0
    for _ in range(runs):
        cache.clear()
        ms, response = timed(client, url)
        assert response.status_code == 200, (url, response.status_code)
        cold.append(ms)
        size = len(response.content)
        ms, _ = timed(client, url)
        warm.append(ms)
        ms, again = timed(client, url, **{"If-None-Match": response["ETag"]})
        assert again.status_code == 304, (url, again.status_code)
        not_modified.append(ms)
    return {
        "url": url,
        "bytes": size,
        "cold_ms": round(statistics.median(cold), 1),
        "warm_ms": round(statistics.median(warm), 1),
        "304_ms": round(statistics.median(not_modified), 1),
    }


def scoring_share(client, url: str, runs: int) -> float:
    """The median ms of a cold page spent in the scoring model's functions the page calls."""
    from unittest import mock

    from django.core.cache import cache

    import scoring

    spent = []

    def timed(function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[-1] += time.perf_counter() - started

        return wrapper

    names = ("score", "score_checked", "as_items", "what_would_change", "sensitivity_sentence")
    patches = [mock.patch.object(scoring, n, timed(getattr(scoring, n))) for n in names]
    for patch in patches:
        patch.start()
    try:
        for _ in range(runs):
            cache.clear()
            spent.append(0.0)
            client.get(url)
    finally:
        for patch in patches:
            patch.stop()
    return round(statistics.median(spent) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    seed(args.links)
    member, _ = get_user_model().objects.get_or_create(username="bench-member")
    client = Client()
    client.force_login(member)
    client.get(f"/claims/{SLUG}/")  # sets the CSRF cookie, part of a member's page ETag
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    page = f"/claims/{SLUG}/"
    for url in (
        page,
        f"{page}?breakdown=all",
        f"{page}?forest=all",
        f"/claims/{SLUG}.json",
        f"/api/claims/{SLUG}/",
        f"{page}export.csv",
        f"{page}export.bib",
    ):
        figures = measure(client, url, args.runs)
        if url == page:
            figures["scoring_ms"] = scoring_share(client, url, args.runs)
            figures["targets"] = TARGETS
            figures["within"] = (
                figures["cold_ms"] <= TARGETS["cold_ms"]
                and figures["bytes"] <= TARGETS["page_bytes"]
            )
        print(json.dumps({"database": vendor, "links": args.links, **figures}))


if __name__ == "__main__":
    main()
