"""A warm anonymous claim page in one process: its version from the database or the cache.

    DATABASE_URL=postgres://… [CACHE_URL=redis://127.0.0.1:6379/11] \
    python -m bench.warm_hit [--slug reach-000007] [--rounds 6] [--requests 500]

Serves the claim page through Django's test client (no server, no load generator: the view's
own cost), alternating rounds with CLAIM_VERSION_IN_CACHE off (the version read with one
query) and on (claims/page_version.py: no query), and prints each mode's median ms a request.
The claim must exist (python -m bench.study_reach seeds `reach-NNNNNN` claims).
"""

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="reach-000007")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["FULL_VERDICT_REQUIRES_LOGIN"] = "0"  # the anonymous page is the whole page
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    client, url = Client(), f"/claims/{args.slug}/"
    assert client.get(url).status_code == 200, f"no published claim {args.slug!r}"
    rounds = {False: [], True: []}
    for _ in range(args.rounds):
        for in_cache in rounds:
            settings.CLAIM_VERSION_IN_CACHE = in_cache
            client.get(url)  # warm in this mode
            started = time.perf_counter()
            for _ in range(args.requests):
                client.get(url)
            rounds[in_cache].append(1000 * (time.perf_counter() - started) / args.requests)
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]
    for in_cache, times in rounds.items():
        source = "cache (0 queries)" if in_cache else "database (1 query)"
        print(f"{backend}: version from the {source}: {statistics.median(times):.3f} ms median")


if __name__ == "__main__":
    main()
