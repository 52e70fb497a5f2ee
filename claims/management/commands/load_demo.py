import json
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import F, Max, OuterRef, Subquery

from claims.models import Analysis, Claim, Evidence, Mechanism, MechanismStep
from claims.models.analysis import citation_title
from claims.version_snapshot import freeze_superseded
from core.audit import SHELL
from core.editors import EDITORS
from studies.models import Study

# The audited models (core.audit): the demo's rows get a starting record in the trail.
AUDITED = (Claim, Evidence, Analysis, Mechanism, MechanismStep, Study)
DEMO_REASON = f"{SHELL}: the demo data"

# The demo's editor, who appraised its links: named with credentials so "Reviewed by …" shows
# on the demo pages as on real ones, and said to be fictional. No password: no one logs in.
DEMO_EDITOR = "demo-editor"
DEMO_EDITOR_NAME = "Jordan Reyes"
DEMO_EDITOR_CREDENTIALS = "MSc exercise physiology (a fictional editor of the demo data)"
# The re-appraisal under the second edition (fixtures/demo.json's analyses of that day).
DEMO_REVIEWED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

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


def demo_slugs() -> list[str]:
    with open(settings.FIXTURE_DIRS[0] / "demo.json", encoding="utf-8") as fixture:
        rows = json.load(fixture)
    return [row["fields"]["slug"] for row in rows if row["model"] == "claims.claim"]


def demo_editor():
    """The demo's editor (staff, in the editors group), with a profile and a declaration."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_EDITOR, defaults={"is_staff": True, "email": "demo-editor@example.org"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group = Group.objects.filter(name=EDITORS).first()
    if group is not None:
        user.groups.add(group)
    # Claims imports no accounts: the profile and declarations are read through the user.
    profiles = get_user_model()._meta.get_field("profile").related_model.objects
    profiles.update_or_create(
        user=user,
        defaults={"display_name": DEMO_EDITOR_NAME, "credentials": DEMO_EDITOR_CREDENTIALS},
    )
    if not user.coi_declarations.exists():
        declaration = user.coi_declarations.create(no_conflicts=True)
        user.coi_declarations.filter(pk=declaration.pk).update(declared_at=DEMO_REVIEWED)
    return user


def _loaded_at(row):
    """When a demo row was last written, as the fixture says (not the load's time)."""
    for field in ("updated_at", "appraised_at", "published_at", "created_at"):
        if getattr(row, field, None):
            return getattr(row, field)
    return DEMO_REVIEWED


def record_starting_history(user=None) -> None:
    """A fixture loads rows raw, so the audit trail has nothing of them: each row without a
    historical record gets one, as loaded, so its first edit shows only what changed. Dated
    as the fixture dates the row, by `user` (the demo editor)."""
    # A claim's row holds its wording as of its latest version (the demo's bottom lines were
    # written for it): dated then, so older versions' pages say their wording was not recorded
    # rather than show today's under their date.
    latest = dict(
        Analysis.objects.values("claim_id")
        .annotate(at=Max("published_at"))
        .values_list("claim_id", "at")
    )
    for model in AUDITED:
        recorded = model.history.model.objects.values("id")
        rows = list(model.objects.exclude(pk__in=recorded))
        for row in rows:
            row._history_date = _loaded_at(row)
            if model is Claim and latest.get(row.pk):
                row._history_date = max(row._history_date, latest[row.pk])
        model.history.bulk_history_create(
            rows, default_user=user, default_change_reason=DEMO_REASON
        )


def credit_and_date(slugs, editor) -> None:
    """The demo editor appraised the demo's appraised links; the claims' dates come from the
    fixture: last changed when last saved or last reviewed, whichever is later, not today.
    UPDATEs, no signals: nothing a reader sees changes but the dates."""
    claims = Claim.objects.filter(slug__in=slugs)
    Evidence.objects.filter(
        claim__in=claims, appraisal_status=Evidence.Appraisal.APPRAISED, appraised_by=None
    ).update(appraised_by=editor, appraised_at=DEMO_REVIEWED)
    for claim in claims.annotate(reviewed=Max("analyses__published_at")):
        last = max(moment for moment in (claim.updated_at, claim.reviewed) if moment)
        Claim.objects.filter(pk=claim.pk).update(
            content_changed_at=last, scored_at=last, related_changed_at=last
        )


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
        editor = demo_editor()
        credit_and_date(demo_slugs(), editor)
        record_starting_history(editor)
        freeze_superseded(Claim.objects.all())
        for analysis in Analysis.objects.filter(cited_title="").select_related("claim"):
            title = citation_title(analysis.claim)  # the fixture's wording; no signal, no history
            Analysis.objects.filter(pk=analysis.pk).update(cited_title=title)
        stale = list(out_of_date(Claim.objects.all()))
        for claim in stale:
            self.stderr.write(OUT_OF_DATE.format(slug=claim.slug, version=claim.analysis_version))
        state = f"{len(stale)} analysis(es) out of date" if stale else "every analysis up to date"
        self.stdout.write(f"Loaded the demo: {Claim.objects.count()} claims, scored; {state}.")
