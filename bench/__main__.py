"""make bench: seed bench databases, measure the site on SQLite and PostgreSQL, print one table.

    python -m bench [--claims N --studies M --links L --seed S] [--requests 200] [--searches 100]
                    [--load-requests 5000] [--load-seconds 3] [--concurrency 4]
                    [--page-requests 30] [--only sqlite|postgresql]
                    [--scale 100000 [--scale-studies M --scale-links L]]

Load is driven by wrk (installed with apt-get when missing; --load-seconds 0: the Python
client). Every list-like page is measured beside the claim page (bench/pages.py), on a
vacuumed database. --scale also seeds and measures PostgreSQL at that size (its own database,
`bench_<claims>`; the seeding time is printed) and prints each figure's growth to it.

Databases: bench.sqlite3 (in the project directory) and, when PostgreSQL answers on
127.0.0.1:5432, the database `bench` (BENCH_POSTGRES_URL overrides). Each is created, migrated
and seeded once; later runs with the same parameters reuse it.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

from bench.report import growth_table, pages_table

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench")
DEFAULT_CLAIMS, DEFAULT_STUDIES, DEFAULT_LINKS = 10_000, 50_000, 200_000
TARGETS = {
    "large_median": 25.0,
    "large_queries": 15,
    "ratio": 0.7,
    "search_p95_pg": 50.0,
    "rescore": 30.0,
}


def postgres_problem(url: str) -> str | None:
    """Why PostgreSQL cannot be benchmarked (no server, refused log-in), or None if it can."""
    admin = urlparse(url)._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, connect_timeout=2):
            return None
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]


def recreate_postgres(url: str) -> None:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def postgres_exists(url: str) -> bool:
    parts = urlparse(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")]
        ).fetchone()
    return row is not None


def sized(url: str, params: dict) -> str:
    """The default size's database is `bench`; another size has its own (`bench_100000`), so
    a scale run does not reseed the default one."""
    if params["claims"] == DEFAULT_CLAIMS:
        return url
    parts = urlparse(url)
    return parts._replace(path=f"{parts.path}_{params['claims']}").geturl()


def prepare(backend: str, params: dict) -> tuple[str, Path]:
    """The database URL and the file recording what it was seeded with; reset on a mismatch."""
    size = "" if params["claims"] == DEFAULT_CLAIMS else f"-{params['claims']}"
    state = ROOT / f".bench-{backend}{size}.json"
    same = state.exists() and json.loads(state.read_text()) == params
    if backend == "sqlite":
        path = ROOT / "bench.sqlite3"
        if not same:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            state.unlink(missing_ok=True)
        return f"sqlite:///{path}", state
    url = sized(POSTGRES_URL, params)
    if not same or not postgres_exists(url):
        recreate_postgres(url)
        state.unlink(missing_ok=True)
    return url, state


def run_backend(backend: str, params: dict, options: dict) -> dict:
    url, state = prepare(backend, params)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1",
        # Readers see the full page (mechanisms, evidence, breakdown): the heaviest variant.
        "FULL_VERDICT_REQUIRES_LOGIN": "0",
    }
    print(f"bench: {backend}: {url}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            json.dumps(params),
            json.dumps({**options, "state_file": str(state)}),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"bench: {backend} run failed")
    print(f"bench: {backend}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(params: dict, results: dict, options: dict) -> str:
    names = list(results)
    rows = []

    def row(label, fmt, target=""):
        rows.append([label, *[fmt(results[n]) for n in names], target])

    def ms(value):
        return f"{value:.1f}"

    for size in ("small", "large"):
        row(
            f"claim page, {size} ({results[names[0]][size]['bytes'] // 1000} kB): "
            f"median / p95 ms (n={options['requests']})",
            lambda r, s=size: f"{ms(r[s]['median_ms'])} / {ms(r[s]['p95_ms'])}",
            "≤ 25 median" if size == "large" else "",
        )
        row(
            f"claim page, {size}: queries (warm / first request)",
            lambda r, s=size: f"{r[s]['queries']} / {r[s]['cold_queries']}",
            "≤ 15" if size == "large" else "",
        )
        row(
            f"claim page, {size}: first request (cache empty) ms",
            lambda r, s=size: ms(r[s]["cold_ms"]),
        )
    row(
        "claim page, large, signed-in member (fragments cached): median / p95 ms",
        lambda r: f"{ms(r['large_member']['median_ms'])} / {ms(r['large_member']['p95_ms'])}",
    )
    row(
        "claim page, large, signed-in member: queries (warm / first request)",
        lambda r: f"{r['large_member']['queries']} / {r['large_member']['cold_queries']}",
        "≤ 15",
    )
    if all("throughput" in results[n] for n in names):
        n_req, conc = options["load_requests"], options["concurrency"]
        load = (
            f"{n_req} req" if not options["load_seconds"] else f"wrk {options['load_seconds']:g} s"
        )
        row(
            f"gunicorn 2 workers, {load} a round, {conc} conns: large page req/s",
            lambda r: f"{r['throughput']['page_rps']:.0f}",
        )
        row("  the server's cache", lambda r: r["throughput"].get("cache", "per-process"))
        row(
            "  same server: floor view (same size) req/s",
            lambda r: f"{r['throughput']['floor_rps']:.0f}",
        )
        row("  ratio (page / floor)", lambda r: f"{r['throughput']['ratio']:.2f}", "≥ 0.7")
        row(
            "  ratio in each round (page and floor alternate)",
            lambda r: " ".join(f"{x:.2f}" for x in r["throughput"]["round_ratios"]),
        )
        row("  failed or non-200 responses", lambda r: str(r["throughput"]["errors"]), "0")
        for page in results[names[0]]["throughput"].get("lists_rps", {}):
            row(
                f"  same server, wrk: {page} req/s",
                lambda r, p=page: f"{r['throughput']['lists_rps'].get(p, 0):.0f}",
            )
    row(
        f"search /claims/?q=…: median / p95 ms (n={options['searches']})",
        lambda r: f"{ms(r['search']['median_ms'])} / {ms(r['search']['p95_ms'])}",
        "p95 ≤ 50 (PostgreSQL)",
    )
    row("manage.py rescore, all claims, none changed: s", lambda r: f"{r['rescore_s']:.1f}")
    row(
        "manage.py rescore, all claims, every one rewritten: s",
        lambda r: f"{r['rescore_all_changed_s']:.1f}",
        "≤ 30",
    )
    row(
        "seed_bench this run: s",
        lambda r: "reused" if r["seed_s"] is None else f"{r['seed_s']:.0f}",
        "< 300",
    )
    header = ["measure", *names, "target"]
    widths = [max(len(str(x[i])) for x in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    title = (
        f"Data: {params['claims']} claims, {params['studies']} studies, {params['links']} links "
        f"(seed {params['seed']}); {os.cpu_count()} CPUs"
    )
    return "\n".join(
        [title, line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line(r) for r in rows]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--claims", type=int, default=DEFAULT_CLAIMS)
    parser.add_argument("--studies", type=int, default=DEFAULT_STUDIES)
    parser.add_argument("--links", type=int, default=DEFAULT_LINKS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--load-requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--page-requests", type=int, default=30, help="per list-like page")
    parser.add_argument(
        "--load-seconds", type=float, default=3, help="wrk, per round and side (0: Python client)"
    )
    parser.add_argument(
        "--scale",
        type=int,
        metavar="CLAIMS",
        help="also measure PostgreSQL at this many claims (e.g. 100000) and print each "
        "figure's growth from --claims to it",
    )
    parser.add_argument("--scale-studies", type=int, help="default: --studies in proportion")
    parser.add_argument("--scale-links", type=int, help="default: --links in proportion")
    args = parser.parse_args(argv)
    params = {k: getattr(args, k) for k in ("claims", "studies", "links", "seed")}
    options = {
        "requests": args.requests,
        "searches": args.searches,
        "load_requests": args.load_requests,
        "concurrency": args.concurrency,
        "page_requests": args.page_requests,
        "load_seconds": args.load_seconds,
    }
    backends = ["sqlite"]
    problem = postgres_problem(POSTGRES_URL)
    if problem is None:
        backends.append("postgresql")
    else:
        print(f"bench: PostgreSQL skipped, SQLite only ({problem})", file=sys.stderr)
    if args.only:
        backends = [b for b in backends if b == args.only]
    results = {}
    for backend in backends:
        results["SQLite" if backend == "sqlite" else "PostgreSQL"] = run_backend(
            backend, params, options
        )
    print(table(params, results, options))
    print()
    print(pages_table(results, options))
    if args.scale and "PostgreSQL" in results:
        factor = args.scale / args.claims
        scale = {
            **params,
            "claims": args.scale,
            "studies": args.scale_studies or round(args.studies * factor),
            "links": args.scale_links or round(args.links * factor),
        }
        large = run_backend("postgresql", scale, options)
        print()
        print(table(scale, {"PostgreSQL": large}, options))
        print()
        print(growth_table(params, scale, results["PostgreSQL"], large))


if __name__ == "__main__":
    main()
