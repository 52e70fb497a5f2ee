"""Mixed load with a real load tool: locust, headless, against gunicorn (DEBUG=0, gthread 2 × 4)
on a demo-data SQLite database, 127.0.0.1 only (issue 19). Three runs of --duration seconds:
50 and 200 simulated users thinking 0.5–1.5 s between requests, then saturation (200 users who
never think). Prints one JSON line per run: requests, errors, req/s, p50/p95/p99 ms.

    .venv/bin/python -m bench.load_mixed [--duration 60]

Exits 1 when any run had an error. Needs locust (pip install locust; not a test dependency).
"""

import argparse
import csv
import json
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.load import PYTHON, ROOT, free_port, prepare, site_env, start_gunicorn_with

RUNS = [
    ("50 users", 50, "0.5", "1.5"),
    ("200 users", 200, "0.5", "1.5"),
    ("saturation", 200, "0", "0"),
]
GUNICORN = ["--workers", "2", "--worker-class", "gthread", "--threads", "4", "--timeout", "30"]


def create_member(env: dict, password: str) -> None:
    code = (
        "from django.contrib.auth import get_user_model;"
        f"get_user_model().objects.create_user('load-member', 'load@example.org', {password!r})"
    )
    subprocess.run([str(PYTHON), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def run(
    env: dict, port: int, users: int, think: tuple[str, str], duration: float, out: Path
) -> dict:
    locust = PYTHON.with_name("locust")
    subprocess.run(
        [str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(max(users // 5, 1)),
         "-t", f"{int(duration)}s", "--csv", str(out), "--only-summary", "--loglevel", "ERROR"],
        cwd=ROOT, env={**env, "LOAD_THINK_MIN": think[0], "LOAD_THINK_MAX": think[1]},
        check=False, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{out}_stats.csv", newline="") as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    with open(f"{out}_failures.csv", newline="") as handle:
        failures = [
            f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:120]}"
            for row in csv.DictReader(handle)
        ]
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "req_per_s": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "failures": failures[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds per run")
    args = parser.parse_args()
    errors = 0
    with tempfile.TemporaryDirectory(prefix="mixed-load-") as workdir:
        env = site_env(Path(workdir))
        password = secrets.token_urlsafe(16)
        env["LOAD_PASSWORD"] = password
        # Plain http on 127.0.0.1 (TLS is the proxy's job): the cookies must travel over it.
        env.update(SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0")
        prepare(env)
        create_member(env, password)
        port = free_port()
        server = start_gunicorn_with(env, port, GUNICORN)
        try:
            for name, users, low, high in RUNS:
                report = run(
                    env,
                    port,
                    users,
                    (low, high),
                    args.duration,
                    Path(workdir) / name.replace(" ", "_"),
                )
                errors += report["errors"]
                print(json.dumps({"run": name, "users": users, **report}), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
