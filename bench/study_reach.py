"""What an editor's save of a study costs when the study informs many claims.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reach \
    python -m bench.study_reach [--claims 5000] [--saves 3] [--broker redis://127.0.0.1:6379/11]

Seeds (once per database) CLAIMS claims that each link to one shared "hub" study and one study
of their own, scores them, then posts the hub study's admin change form SAVES times, flipping
its sample size so every save changes every claim's scores. Prints one JSON line per mode:

- inline: no broker, the rescore job runs in the request (what a site without a worker pays);
- queued (with --broker): the request only queues the job; the figures are the request's time
  and, with a worker started here (`celery -A config worker`), the time until the job is done.

Stored scores are checked against the live scorecard after each mode (a sample of claims).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "reach-"


def setup(broker: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["CELERY_BROKER_URL"] = broker
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's response.context (the admin form's fields)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)


def seed(n_claims: int):
    """The hub study and its claims (bulk inserts, then one batched rescore)."""
    from claims.models import Claim, Evidence
    from claims.services import claims_rescore
    from studies.models import Study

    hub = Study.objects.filter(doi="10.5555/reach.hub").first()
    if hub is not None and Claim.objects.filter(slug__startswith=SLUG).count() == n_claims:
        return hub
    if hub is not None or Claim.objects.filter(slug__startswith=SLUG).exists():
        sys.exit("The database holds another reach run: use an empty database.")
    started = time.perf_counter()
    hub = Study.objects.create(doi="10.5555/reach.hub", title="Hub", design="rct", sample_size=400)
    own = Study.objects.bulk_create(
        Study(doi=f"10.5555/reach.{i}", title=f"Own {i}", design="cohort", sample_size=50 + i % 900)
        for i in range(n_claims)
    )
    claims = Claim.objects.bulk_create(
        Claim(
            slug=f"{SLUG}{i:06d}",
            statement=f"Reach claim {i} increases Y.",
            plain_statement=f"Reach claim {i}.",
            claim_type="causal",
            status=Claim.Status.PUBLISHED,
        )
        for i in range(n_claims)
    )
    Evidence.objects.bulk_create(
        [Evidence(claim=c, study=hub, stance="supports", certainty="moderate") for c in claims]
        + [
            Evidence(claim=c, study=s, stance="contradicts", certainty="low")
            for c, s in zip(claims, own, strict=True)
        ]
    )
    claims_rescore()
    print(f"seeded {n_claims} claims in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return hub


def vacuum() -> None:
    """Dead rows from earlier saves slow every UPDATE of the claims: measure without them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def admin_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="reach-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def post_saves(client, hub, saves: int) -> list[float]:
    from django.urls import reverse

    from tests.admin.admin_forms import change_form_data

    url = reverse("admin:studies_study_change", args=[hub.pk])
    timings = []
    for i in range(saves):
        size = 400 if i % 2 else 4000  # each save moves every claim's Pro score
        data = change_form_data(client, url, sample_size=str(size))
        started = time.perf_counter()
        response = client.post(url, data)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302, response.content[:2000]
    return timings


def scores_current(sample: int = 200) -> bool:
    from claims.models import Claim
    from tests.factories import stored_and_live

    claims = Claim.objects.filter(slug__startswith=SLUG).order_by("?")[:sample]
    return all(stored == live for stored, live in map(stored_and_live, claims))


def wait_for_jobs(since, timeout: float) -> float | None:
    """Seconds until every rescore job queued since `since` is finished (None: timed out)."""
    from jobs.models import Job

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        pending = Job.objects.filter(kind=Job.Kind.RESCORE, created_at__gte=since).exclude(
            state__in=Job.FINISHED
        )
        if not pending.exists():
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def start_worker(concurrency: int, broker: str) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "prefork",
        "-c", str(concurrency), "-l", "warning", "--without-gossip", "--without-mingle",
        "--without-heartbeat",
    ]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "CELERY_BROKER_URL": broker}
    return subprocess.Popen(command, cwd=ROOT, env=env)


def figures(mode: str, n_claims: int, timings: list[float], **extra) -> str:
    return json.dumps(
        {
            "mode": mode,
            "claims": n_claims,
            "save_median_s": round(statistics.median(timings), 3),
            "save_max_s": round(max(timings), 3),
            **extra,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--broker", default="", help="redis://…: also measure the queued mode")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (queued mode)")
    args = parser.parse_args()
    setup("")
    from django.conf import settings
    from django.utils import timezone

    from config.celery import app

    hub = seed(args.claims)
    vacuum()
    client = admin_client()
    # Inline: no broker, the job runs in the request.
    timings = post_saves(client, hub, args.saves)
    print(figures("inline", args.claims, timings, scores_current=scores_current()))
    if not args.broker:
        return
    settings.CELERY_BROKER_URL = args.broker
    app.conf.update(broker_url=args.broker, task_always_eager=False)
    vacuum()
    worker = start_worker(args.workers, args.broker)
    try:
        time.sleep(3)  # the worker connects
        since = timezone.now()
        timings, done = [], []
        for _ in range(args.saves):
            timings += post_saves(client, hub, 1)
            done.append(wait_for_jobs(since, timeout=300))
        print(
            figures(
                "queued",
                args.claims,
                timings,
                job_done_s=[None if d is None else round(d, 2) for d in done],
                workers=args.workers,
                scores_current=scores_current(),
            )
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
