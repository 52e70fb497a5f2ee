"""Steady-rate load test: gunicorn (2 workers, DEBUG=0) on a demo-data SQLite database, a fixed
request rate for a fixed time across claim, list, search and JSON pages, 127.0.0.1 only.

    .venv/bin/python bench/load.py [--rate 50] [--duration 60] [--workers 2] [--threads 32]

Open loop: request i is due at start + i/rate whatever happened to earlier ones, so a slow
server shows up as latency and a missed rate, not as politely fewer requests. Latency is
measured from the moment a request was due. Prints a report and exits 1 on any error.
"""

import argparse
import itertools
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
SLUGS = [
    "near-failure-training-motor-unit-firing-rate",
    "near-failure-training-vastus-lateralis-csa",
    "rir-training-matches-failure-volume-and-growth",
    "failure-fatigue-adds-no-hypertrophy",
    "quadriceps-regional-hypertrophy-failure-vs-rir",
]
PATHS = [
    *(f"/claims/{slug}/" for slug in SLUGS),
    "/claims/",
    "/claims/?q=failure",
    "/claims/?q=muscle+growth&sort=strongest",
    *(f"/claims/{slug}.json" for slug in SLUGS[:3]),
    "/",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(workdir: Path) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'load.sqlite3'}",
        "STATIC_ROOT": str(workdir / "staticfiles"),  # not the checkout's staticfiles/
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on 127.0.0.1; TLS is the proxy's job
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "0",
        "PYTHONPATH": str(ROOT),
    }


def prepare(env: dict) -> None:
    manage = [str(PYTHON), "manage.py"]
    for args in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *args, "-v0"], cwd=ROOT, env=env, check=True)


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    return start_gunicorn_with(env, port, ["--workers", str(workers)])


def start_gunicorn_with(env: dict, port: int, options: list[str]) -> subprocess.Popen:
    gunicorn = PYTHON.with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{port}", *options,
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def run_load(port: int, rate: float, duration: float, threads: int) -> dict:
    total = int(rate * duration)
    next_index = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter() + 0.5

    def worker():
        while True:
            with lock:
                index = next(next_index)
            if index >= total:  # bounded: exactly `total` requests in all
                return
            due = start + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            url = f"http://127.0.0.1:{port}{PATHS[index % len(PATHS)]}"
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except (OSError, urllib.error.HTTPError) as error:
                ok, response = False, error
            elapsed = time.perf_counter() - due
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(f"{url}: {response}")

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - start
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "target_rate": rate,
        "duration_s": round(wall, 1),
        "requests": len(latencies),
        "errors": len(errors),
        "achieved_rate": round(len(latencies) / wall, 1),
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "paths": PATHS,
        "first_errors": errors[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50, help="requests per second")
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=32, help="client threads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="steady-load-") as workdir:
        env = site_env(Path(workdir))
        prepare(env)
        port = free_port()
        server = start_gunicorn(env, port, args.workers)
        try:
            report = run_load(port, args.rate, args.duration, args.threads)
        finally:
            server.terminate()
            server.wait(timeout=10)
    report["gunicorn_workers"] = args.workers
    print(json.dumps(report, indent=2))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
