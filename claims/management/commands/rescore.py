from django.core.management.base import BaseCommand, CommandError

from claims.models import Claim
from claims.services import claims_rescore
from scoring import CERTAINTIES

LEVEL = {"": "none", **{value: label.lower() for value, label in CERTAINTIES}}


class Command(BaseCommand):
    help = (
        "Recompute the stored Pro/Against scores, verdicts and certainty of all claims, or of one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claim", metavar="SLUG", help="Rescore only this claim.")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, claim=None, batch_size=1000, verbosity=1, **options):
        claims = Claim.objects.all()
        if claim:
            claims = claims.filter(slug=claim)
            if not claims.exists():
                raise CommandError(f"No claim with slug {claim!r}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
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
