"""Full rescore at scale: inline, and in chunks shared by Celery workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_rescore \
    python -m bench.rescore_scale [--claims 20000] [--broker redis://127.0.0.1:6379/11]
                                  [--workers 2] [--chunk 1000]

Seeds the bench data set (bench/seed.py, 5 studies and 20 links a claim) once per database,
then times `manage.py rescore` with every claim's stored scores made stale first (each claim
is written, the worst case): inline (no broker), then with --broker through WORKERS worker
processes (`celery -A config worker -c WORKERS`), a job per CHUNK claims. Prints one JSON line
per mode with seconds and ms per claim; multiply by 100,000 for the target's size (linear: one
batch's queries and scoring do not depend on the corpus).
"""

import argparse
import json
import os
import sys
import time
from io import StringIO
from pathlib import Path

from bench.study_reach import start_worker  # the same Celery worker of the config app

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["CELERY_BROKER_URL"] = ""  # inline first; --broker switches the app over
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(n_claims: int) -> None:
    from bench.seed import SLUG_PREFIX, seed_bench
    from claims.models import Claim

    count = Claim.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if count:
        print(f"using the {count} claims seeded before", file=sys.stderr)
        return
    print(seed_bench(claims=n_claims, studies=5 * n_claims, links=20 * n_claims), file=sys.stderr)


def stale_then_rescore(chunk: int) -> tuple[float, str]:
    from django.core.management import call_command

    from bench.pages import vacuum_analyze
    from claims.models import Claim

    Claim.objects.update(scored_at=None)  # every claim is written again
    vacuum_analyze()  # without the dead rows that UPDATE left
    out = StringIO()
    started = time.perf_counter()
    call_command("rescore", "--batch-size", str(chunk), verbosity=1, stdout=out)
    return time.perf_counter() - started, out.getvalue().strip().splitlines()[-1]


def line(mode: str, claims: int, seconds: float, last: str, **extra) -> str:
    per_claim = 1000 * seconds / claims
    return json.dumps(
        {
            "mode": mode,
            "claims": claims,
            "seconds": round(seconds, 1),
            "ms_per_claim": round(per_claim, 3),
            "at_100k_s": round(per_claim * 100, 1),
            "output": last,
            **extra,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--broker", default="")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--skip-inline", action="store_true")
    args = parser.parse_args()
    setup()
    from claims.models import Claim
    from config.celery import app

    seed(args.claims)
    total = Claim.objects.count()
    if not args.skip_inline:
        seconds, last = stale_then_rescore(args.chunk)
        print(line("inline", total, seconds, last))
    if not args.broker:
        return
    app.conf.update(broker_url=args.broker, task_always_eager=False)
    worker = start_worker(args.workers, args.broker)
    try:
        time.sleep(4)  # the worker's processes start and connect
        seconds, last = stale_then_rescore(args.chunk)
        print(line("workers", total, seconds, last, workers=args.workers, chunk=args.chunk))
    finally:
        worker.terminate()
        worker.wait(timeout=60)


if __name__ == "__main__":
    main()
