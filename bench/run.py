"""One backend's measurements, in a process of its own (Django is configured once per process).

Run by bench/__main__.py with DATABASE_URL set; prints one JSON object on its last line.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import pages as bench_pages  # noqa: E402
from bench import wrk as bench_wrk  # noqa: E402
from bench.seed import LARGE_SLUGS, SMALL_SLUG, seed_bench  # noqa: E402
from claims.models import Claim, Evidence  # noqa: E402
from studies.models import Study  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed_get(client, url):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries), len(response.content)


def seed_if_needed(params, state_file: Path) -> float | None:
    call_command("migrate", verbosity=0)
    expected = (params["claims"], params["studies"], params["links"])
    state = json.loads(state_file.read_text()) if state_file.exists() else None
    actual = (Claim.objects.count(), Study.objects.count(), Evidence.objects.count())
    if state == params and actual == expected:
        return None
    if actual != (0, 0, 0):
        raise SystemExit(
            f"bench: {connection.settings_dict['NAME']} holds other data; the runner recreates it."
        )
    started = time.perf_counter()
    print(
        seed_bench(
            claims=params["claims"],
            studies=params["studies"],
            links=params["links"],
            seed=params["seed"],
        )
    )
    elapsed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: planner statistics and a visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    state_file.write_text(json.dumps(params))
    return elapsed


def member_client():
    """A signed-in reader: no whole-page cache, the page is built from cached fragments."""
    user, _ = get_user_model().objects.get_or_create(username="bench-member")
    client = Client()
    client.force_login(user)
    return client


def claim_page(slug, requests, client=None):
    client = client or Client()
    url = f"/claims/{slug}/"
    cold_ms, cold_queries, size = timed_get(client, url)
    times, counts = [], []
    for _ in range(requests):
        elapsed, count, _ = timed_get(client, url)
        times.append(elapsed)
        counts.append(count)
    return {
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "queries": max(counts),
        "cold_ms": cold_ms,
        "cold_queries": cold_queries,
        "bytes": size,
    }


def rescore(*, every_claim_changes=False):
    """Seconds for a full rescore. Right after seeding nothing changes and nothing is written;
    with every_claim_changes each claim counts as changed, so every row is written too."""
    if every_claim_changes:
        Claim.objects.update(scored_at=None)
    started = time.perf_counter()
    call_command("rescore", verbosity=0)
    return time.perf_counter() - started


ROUNDS = 5


def combined(runs: list[dict]) -> dict:
    seconds = sum(run["seconds"] for run in runs)
    return {
        "rps": sum(run["rps"] * run["seconds"] for run in runs) / seconds,
        "errors": sum(run["errors"] for run in runs),
        "bytes": max(run["bytes"] for run in runs),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Pages loaded with wrk beside the claim page (req/s), on the server the ratio is measured on.
LOADED_LISTS = {"home": "/", "list": "/claims/", "api list": "/api/claims/"}


# The shared cache the measured server uses, as in production with several processes
# (docs/performance.md, "Cache sizing"): its warm anonymous claim page then reads no database
# (claims.page_version). Empty BENCH_CACHE_URL, or no Redis answering: the per-process cache.
BENCH_CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/10")


def shared_cache_url() -> str:
    """BENCH_CACHE_URL when Redis answers there, else "" (the per-process cache)."""
    if not BENCH_CACHE_URL:
        return ""
    parts = urllib.parse.urlparse(BENCH_CACHE_URL)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), 0.5).close()
    except OSError:
        return ""
    return BENCH_CACHE_URL


def throughput(page_bytes: int, requests: int, concurrency: int, load_seconds: float = 0):
    """Requests per second of the large claim page and of the floor view on one gunicorn.
    With `load_seconds`, wrk drives each round for that long; else bench.throughput (Python)."""
    port = free_port()
    cache_url = shared_cache_url()
    env = {
        **os.environ,
        "BENCH_FLOOR_BYTES": str(page_bytes),
        "CACHE_URL": cache_url,
        "CACHE_KEY_PREFIX": f"bench-{port}",  # nothing from an earlier run is read
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        large = f"/claims/{LARGE_SLUGS[0]}/"

        def load(path, n):
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.throughput",
                    "127.0.0.1",
                    str(port),
                    path,
                    str(n),
                    str(concurrency),
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            return json.loads(out.stdout)

        if load_seconds:  # wrk: a C client, so the ratio is the server's, not the client's
            base = f"http://127.0.0.1:{port}"

            def load(path, n):  # noqa: F811 (the Python client's, above, is the fallback)
                seconds = load_seconds if n > 100 else 1
                result = bench_wrk.run(base + path, seconds=seconds, connections=concurrency)
                return {**result, "bytes": page_bytes}

        load(large, 100)  # warm both workers' caches and connections
        load("/bench/floor/", 100)
        # Page and floor in alternating rounds, so a slow spell of the (shared, virtual)
        # machine weighs on both alike; each side's rate is its requests over its time.
        pages, floors = [], []
        for _ in range(ROUNDS):
            pages.append(load(large, requests // ROUNDS))
            floors.append(load("/bench/floor/", requests // ROUNDS))
        # The list pages under the same load (one round each, after a warm-up).
        lists = {}
        if load_seconds:
            for name, path in LOADED_LISTS.items():
                load(path, 100)
                lists[name] = load(path, requests)["rps"]
    finally:
        server.terminate()
        server.wait(timeout=10)
    page, floor = combined(pages), combined(floors)
    return {
        "client": "wrk" if load_seconds else "python",
        "cache": "redis" if cache_url else "per-process",
        "lists_rps": lists,
        "page_rps": page["rps"],
        "floor_rps": floor["rps"],
        "ratio": page["rps"] / floor["rps"],
        "round_ratios": [p["rps"] / f["rps"] for p, f in zip(pages, floors, strict=True)],
        "errors": page["errors"] + floor["errors"],
        "page_bytes": page["bytes"],
        "floor_bytes": floor["bytes"],
    }


def main():
    params = json.loads(sys.argv[1])
    options = json.loads(sys.argv[2])
    state_file = Path(options["state_file"])
    result = {"vendor": connection.vendor}
    result["seed_s"] = seed_if_needed(params, state_file)
    # Measured on a vacuumed database: a reused one holds the dead rows of the last run's
    # rewriting rescore (search p95 80.9 ms before, 24.6-27 ms after; issue 20).
    bench_pages.vacuum_analyze()
    result["pages"] = bench_pages.measure_pages(options["page_requests"], options["searches"])
    result["small"] = claim_page(SMALL_SLUG, options["requests"])
    result["large"] = claim_page(LARGE_SLUGS[0], options["requests"])
    result["large_member"] = claim_page(LARGE_SLUGS[0], options["requests"], member_client())
    result["search"] = result["pages"]["search"]
    if options["load_requests"]:
        load_seconds = options.get("load_seconds", 0)
        if load_seconds:
            try:
                bench_wrk.ensure_wrk()
            except bench_wrk.WrkMissing as missing:
                print(f"bench: {missing} Falling back to the Python client.", file=sys.stderr)
                load_seconds = 0
        result["throughput"] = throughput(
            result["large"]["bytes"],
            options["load_requests"],
            options["concurrency"],
            load_seconds,
        )
    # Last: rewriting every claim leaves dead rows behind (until autovacuum), which would slow
    # the measures above on PostgreSQL.
    result["rescore_s"] = rescore()
    result["rescore_all_changed_s"] = rescore(every_claim_changes=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
