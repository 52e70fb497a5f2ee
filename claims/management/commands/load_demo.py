from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import F, OuterRef, Subquery

from claims.models import Analysis, Claim, Evidence, Mechanism, MechanismStep
from core.audit import SHELL
from studies.models import Study

# The audited models (core.audit): the demo's rows get a starting record in the trail.
AUDITED = (Claim, Evidence, Analysis, Mechanism, MechanismStep, Study)
DEMO_REASON = f"{SHELL}: the demo data"

OUT_OF_DATE = (
    "Out of date: {slug} (analysis v{version} was recorded on other counted evidence than the "
    "claim has now). Re-record its scorecard in fixtures/demo.json (tests/claims/"
    "test_demo_appraisal.py says how)."
)


def out_of_date(claims):
    """The claims whose latest analysis was recorded on other counted evidence than they have
    now (its basis digest differs from the claim's), with that analysis's version."""
    latest = Analysis.objects.filter(claim=OuterRef("pk")).order_by("-version")
    return (
        claims.annotate(
            analysis_digest=Subquery(latest.values("basis_digest")[:1]),
            analysis_version=Subquery(latest.values("version")[:1]),
        )
        .filter(analysis_version__isnull=False)
        .exclude(analysis_digest=F("basis_digest"))
        .order_by("pk")
    )


def record_starting_history() -> None:
    """A fixture loads rows raw, so the audit trail has nothing of them: each row without a
    historical record gets one, as loaded, so its first edit shows only what changed."""
    for model in AUDITED:
        recorded = model.history.model.objects.values("id")
        rows = list(model.objects.exclude(pk__in=recorded))
        model.history.bulk_history_create(rows, default_change_reason=DEMO_REASON)


class Command(BaseCommand):
    help = "Load the demo claims (fixtures/demo.json) and score them, unless claims exist already."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload over existing data.")

    def handle(self, *args, force=False, **options):
        if Claim.objects.exists() and not force:
            self.stdout.write("Claims exist already; demo data not loaded (use --force).")
            return
        call_command("loaddata", "demo", verbosity=0)
        # The receivers rescore as each row loads; one more pass over every claim leaves the
        # stored scores equal to the live scorecards whatever order the rows came in.
        call_command("rescore", verbosity=0)
        record_starting_history()
        stale = list(out_of_date(Claim.objects.all()))
        for claim in stale:
            self.stderr.write(OUT_OF_DATE.format(slug=claim.slug, version=claim.analysis_version))
        state = f"{len(stale)} analysis(es) out of date" if stale else "every analysis up to date"
        self.stdout.write(f"Loaded the demo: {Claim.objects.count()} claims, scored; {state}.")
