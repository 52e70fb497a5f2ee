import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from claims.models import Claim, Evidence
from studies.models import Study, Submission
from tests.crossref_server import CrossrefServer


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no page, count or throttle from an earlier test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db):
    """The demo fixture, scored, as `make run` shows it."""
    call_command("loaddata", "demo", verbosity=0)
    call_command("rescore", verbosity=0)
    return Claim.objects.all()


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("member", "member@example.org", "pw-member-1")


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "pw-editor-1", is_staff=True
    )
    user.groups.add(editors_group())
    return user


def editors_group() -> Group:
    """The group the data migration makes. Tests that flush the database (the browser tests,
    backup and restore) lose it, so it is made again the same way when missing."""
    group = Group.objects.filter(name="editors").first()
    if group is None:
        migration = importlib.import_module("claims.migrations.0003_editors_group")
        migration.create_editors_group(django_apps, None)
        group = Group.objects.get(name="editors")
    return group


@pytest.fixture
def member_client(member):
    """A client of its own, so a test can hold an anonymous `client` beside it."""
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def make_study(**fields) -> Study:
    defaults = {"title": "A study", "design": "rct", "sample_size": 40, "year": 2024}
    return Study.objects.create(**{**defaults, **fields})


def make_claim(**fields) -> Claim:
    defaults = {
        "slug": "a-claim",
        "statement": "X increases Y in adults.",
        "plain_statement": "X makes Y go up.",
        "claim_type": "causal",
        "status": Claim.Status.PUBLISHED,
    }
    return Claim.objects.create(**{**defaults, **fields})


def link(claim, study, **fields) -> Evidence:
    defaults = {"stance": "supports", "certainty": "moderate"}
    return Evidence.objects.create(claim=claim, study=study, **{**defaults, **fields})


def stored_and_live(claim) -> tuple[tuple, tuple]:
    """A claim's stored score fields and the same fields of its live scorecard."""
    from claims.services import claim_scorecard

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
        "stance": "contradicts",
        "rationale": "Failure and 1-2 RIR gave similar growth.\n\nSee the ultrasound data.",
    }
    return Submission.objects.create(claim=claim, submitted_by=user, **{**defaults, **fields})


@pytest.fixture(scope="session")
def crossref_server():
    """A real HTTP server on 127.0.0.1 serving recorded Crossref responses."""
    with CrossrefServer() as server:
        yield server


@pytest.fixture
def crossref(crossref_server, settings):
    """Point the Crossref client at the local server, with a short timeout."""
    settings.CROSSREF_API_URL = crossref_server.url
    settings.CROSSREF_TIMEOUT = 1
    crossref_server.requests.clear()
    return crossref_server
