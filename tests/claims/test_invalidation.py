"""One write path for pages: every model a claim page shows moves the claim's cache version when a
row is saved or deleted, whatever path writes it; a model of these apps that nobody classified
fails here until claims.receivers names it (PAGE_INVALIDATION or NOT_ON_THE_PAGE)."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from accounts.models import ConflictOfInterestDeclaration, Profile
from claims import receivers
from claims.models import Analysis, Claim, Mechanism, MechanismStep
from core.audit import ADMIN, audit_path
from discussion.models import Comment
from suggestions.models import Suggestion
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

APPS = (
    "claims",
    "studies",
    "community",
    "jobs",
    "flags",
    "suggestions",
    "discussion",
    "accounts",
)


def models_of_the_apps() -> set[str]:
    return {
        model._meta.label
        for app in APPS
        if apps.is_installed(app)
        # Auto-created through models too: a many-to-many's rows show on pages as well.
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def test_every_model_of_the_apps_is_classified():
    classified = set(receivers.PAGE_INVALIDATION) | set(receivers.NOT_ON_THE_PAGE)
    assert models_of_the_apps() - classified == set(), "name it in claims.receivers"
    assert classified - models_of_the_apps() == set(), "a model that no longer exists"


@pytest.fixture
def world(member, editor):
    study = make_study(doi="10.1000/world")
    claim = make_claim(slug="world")
    evidence = link(claim, study)
    neighbour = make_claim(slug="neighbour")
    link(neighbour, study)
    analysis = Analysis.objects.create(claim=claim, version=1)
    mechanism = Mechanism.objects.create(analysis=analysis, kind="most_probable", rank=1)
    step = MechanismStep.objects.create(mechanism=mechanism, order=1, text="A step.")
    cited = make_study(doi="10.1000/cited")
    step.citations.add(cited)
    with audit_path(ADMIN, user=editor):  # the editor reviewed it: "Reviewed by" names them
        claim.save()
    rows = {
        "Claim": neighbour,  # shown under Related claims
        "Evidence": evidence,
        "IdealStudy": claim.ideal_studies.create(rank=1, design="rct", description="d", why="w"),
        "Analysis": analysis,
        "Mechanism": mechanism,
        "MechanismStep": step,
        "Study": study,
        "Submission": make_submission(claim, member),
        "Comment": Comment.objects.create(claim=claim, author=member, body="A comment."),
        "Suggestion": Suggestion.objects.create(
            content_type=ContentType.objects.get_for_model(Claim),
            object_id=claim.pk,
            claim=claim,
            changes={"summary": {"from": "", "to": "A summary."}},
            rationale="Clearer.",
            suggested_by=member,
            status=Suggestion.Status.ACCEPTED,
            reviewed_by=editor,
        ),
        "Profile": Profile.objects.create(user=member, display_name="A member"),
        "ConflictOfInterestDeclaration": ConflictOfInterestDeclaration.objects.create(
            editor=editor, no_conflicts=True
        ),
    }
    # A study with evidence links cannot be deleted (PROTECT): delete one a step cites.
    deleted = {**rows, "Study": cited}
    return claim, rows, deleted


def version(claim) -> str:
    return Claim.objects.get(pk=claim.pk).cache_version


# Rows with a save() of their own; the two through models are written by .add()/.remove().
PAGE_MODELS = sorted(
    label for label in receivers.PAGE_INVALIDATION if not apps.get_model(label)._meta.auto_created
)


def test_each_page_model_has_a_row_in_the_world():
    assert {label.split(".")[1] for label in PAGE_MODELS} <= {
        "Claim",
        "Evidence",
        "IdealStudy",
        "Analysis",
        "Mechanism",
        "MechanismStep",
        "Study",
        "Submission",
        "Comment",
        "Suggestion",
        "Profile",
        "ConflictOfInterestDeclaration",
    }, "add a row of the new model to the world fixture"


@pytest.mark.parametrize("label", PAGE_MODELS)
def test_saving_a_row_moves_the_page_version(world, label):
    claim, rows, _ = world
    before = version(claim)
    rows[label.split(".")[1]].save()
    assert version(claim) != before


@pytest.mark.parametrize("label", PAGE_MODELS)
def test_deleting_a_row_moves_the_page_version(world, label):
    claim, _, rows = world
    before = version(claim)
    rows[label.split(".")[1]].delete()
    assert version(claim) != before


def test_a_citation_added_or_removed_moves_the_page_version(world):
    claim, rows, _ = world
    step, study = rows["MechanismStep"], make_study(doi="10.1000/new-citation")
    before = version(claim)
    step.citations.add(study)
    middle = version(claim)
    step.citations.remove(study)
    assert before != middle != version(claim)


def test_pooling_a_study_in_a_review_moves_the_page_version_when_no_score_moves():
    """B is not counted as the same trial as A; pooled in R it is not counted for another
    reason, which the page names: the scores stay, the page must not."""
    claim = make_claim(slug="pooling")
    a = make_study(doi="10.1000/a", sample_size=60, trial_registration="NCT01234567")
    b = make_study(doi="10.1000/b", sample_size=20, trial_registration="NCT01234567")
    review = make_study(doi="10.1000/review", design="systematic_review")
    for study in (a, b, review):
        link(claim, study)
    before = Claim.objects.get(pk=claim.pk)
    b.pooled_in.add(review)
    after = Claim.objects.get(pk=claim.pk)
    assert after.cache_version != before.cache_version
    middle = after.cache_version
    review.pools.remove(b)
    assert version(claim) != middle
