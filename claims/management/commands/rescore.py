import re
import time

from django.core.management.base import BaseCommand, CommandError

from claims.models import Claim
from claims.services import claims_rescore
from claims.tasks import rescore_in_chunks, runs_inline
from jobs.models import Job
from scoring import CERTAINTIES

LEVEL = {"": "none", **{value: label.lower() for value, label in CERTAINTIES}}
# A chunk job's summary (claims.tasks.RESCORED_SUMMARY): how many of its claims changed.
CHANGED = re.compile(r"; ([\d,]+) changed")
POLL_SECONDS = 0.2


class Command(BaseCommand):
    help = (
        "Recompute the stored Pro/Against scores, verdicts and certainty of all claims, or of "
        "one. With a broker configured, every claim is split into chunks of --batch-size, one "
        "job each, which the workers share (the command waits for them); inline otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claim", metavar="SLUG", help="Rescore only this claim.")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--no-wait", action="store_true", help="Queue the chunks and return (broker only)."
        )

    def handle(self, *args, claim=None, batch_size=1000, no_wait=False, verbosity=1, **options):
        claims = Claim.objects.all()
        if claim:
            claims = claims.filter(slug=claim)
            if not claims.exists():
                raise CommandError(f"No claim with slug {claim!r}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not claim and not runs_inline():
            return self.in_chunks(claims, batch_size, wait=not no_wait, verbosity=verbosity)
        total, changes = claims_rescore(claims=claims, batch_size=batch_size)
        if verbosity < 1:
            return
        for change in changes:
            (pro0, against0, verdict0, certainty0) = change.before
            (pro1, against1, verdict1, certainty1) = change.after
            self.stdout.write(
                f"{change.slug}: Pro {pro0}→{pro1}, Against {against0}→{against1}, "
                f"{verdict0} → {verdict1}, certainty {LEVEL[certainty0]} → {LEVEL[certainty1]}"
            )
        self.stdout.write(f"Rescored {total} claim(s); {len(changes)} changed.")

    def in_chunks(self, claims, batch_size: int, *, wait: bool, verbosity: int) -> None:
        started = time.perf_counter()
        jobs = rescore_in_chunks(claims, chunk_size=batch_size)
        total = claims.count()
        if verbosity >= 1:
            self.stdout.write(f"Queued {len(jobs)} job(s) of up to {batch_size} claims.")
        if not wait:
            return
        pending = Job.objects.filter(pk__in=[job.pk for job in jobs])
        while pending.exclude(state__in=Job.FINISHED).exists():
            time.sleep(POLL_SECONDS)
        finished = list(pending)
        failed = [job for job in finished if job.state == Job.State.FAILED]
        if failed:
            reasons = "; ".join(f"{job.target_label}: {job.reason}" for job in failed)
            raise CommandError(f"{len(failed)} of {len(finished)} job(s) failed: {reasons}")
        changed = sum(
            int(match.group(1).replace(",", ""))
            for job in finished
            if (match := CHANGED.search(job.summary))
        )
        if verbosity >= 1:
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"Rescored {total} claim(s) in {len(jobs)} job(s), {seconds:.1f} s; "
                f"{changed} changed."
            )
