"""Objects for tests: a study, a claim, a link, a submission, the editors group, and checks
that stored scores equal live ones. Fixtures stay in conftest.py; tests import these directly."""

import importlib

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

from claims.models import Claim, ClaimType, Evidence
from claims.services import claim_scorecard
from community.models import Submission
from studies.models import Stance, Study

EDITOR_GRANTS = (
    ("jobs.migrations.0002_editors_view_jobs", "editors_view_jobs"),
    ("flags.migrations.0002_editors_flag_permissions", "grant_editors"),
    ("suggestions.migrations.0002_editors_review_suggestions", "editors_review_suggestions"),
    ("discussion.migrations.0002_editors_permissions", "grant"),
)


def editors_group() -> Group:
    """The group the data migration makes. Tests that flush the database (the browser tests,
    backup and restore) lose it, so it is made again the same way when missing."""
    group = Group.objects.filter(name="editors").first()
    if group is None:
        migration = importlib.import_module("claims.migrations.0003_editors_group")
        migration.create_editors_group(django_apps, None)
        group = Group.objects.get(name="editors")
        # In the migrations, Submission's permissions were still "studies" ones (community
        # 0001 renamed their content type); here the app registry already says "community".
        group.permissions.add(*Permission.objects.filter(content_type__app_label="community"))
        # The apps that grant editors their own permissions in a data migration, run again.
        for module, grant in EDITOR_GRANTS:
            getattr(importlib.import_module(module), grant)(django_apps, None)
    return group


def make_study(**fields) -> Study:
    defaults = {"title": "A study", "design": "rct", "sample_size": 40, "year": 2024}
    return Study.objects.create(**{**defaults, **fields})


def make_claim(**fields) -> Claim:
    defaults = {
        "slug": "a-claim",
        "statement": "X increases Y in adults.",
        "plain_statement": "X makes Y go up.",
        "claim_type": ClaimType.CAUSAL,
        "status": Claim.Status.PUBLISHED,
    }
    return Claim.objects.create(**{**defaults, **fields})


def link(claim, study, **fields) -> Evidence:
    defaults = {"stance": Stance.SUPPORTS, "certainty": "moderate"}
    return Evidence.objects.create(claim=claim, study=study, **{**defaults, **fields})


def claim_with_a_finding(slug: str) -> Claim:
    """A published claim with one study linked, its finding "First finding." (pages to cache)."""
    claim = make_claim(slug=slug)
    link(claim, make_study(doi=f"10.1000/{slug}"), finding="First finding.")
    return claim


def stored_and_live(claim) -> tuple[tuple, tuple]:
    """A claim's stored score fields and the same fields of its live scorecard."""
    claim = Claim.objects.get(pk=claim.pk)
    card = claim_scorecard(claim)
    stored = (claim.pro_score, claim.against_score, claim.verdict, claim.certainty, claim.fragile)
    live = (card.pro, card.against, card.verdict, card.certainty or "", bool(card.fragile))
    return stored, live


def assert_scores_current() -> None:
    """Every claim's stored scores equal its live scorecard (design.md: one source of truth)."""
    for claim in Claim.objects.all():
        stored, live = stored_and_live(claim)
        assert stored == live, f"{claim.slug}: stored {stored} != live {live}"


def make_submission(claim, user, **fields) -> Submission:
    defaults = {
        "doi": "10.1080/02640414.2024.2321021",
        "stance": Stance.CONTRADICTS,
        "rationale": "Failure and 1-2 RIR gave similar growth.\n\nSee the ultrasound data.",
    }
    return Submission.objects.create(claim=claim, submitted_by=user, **{**defaults, **fields})
