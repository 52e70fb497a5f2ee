import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from claims import page_version
from claims.models import Claim
from core.db_outage import outage
from tests.crossref_server import CrossrefServer
from tests.factories import editors_group
from tests.retraction_server import retraction_server_session, retractions  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no page, count or throttle from an earlier test."""
    cache.clear()
    page_version.forget()  # nor a claim version this process remembers from one
    yield
    cache.clear()
    page_version.forget()


@pytest.fixture(autouse=True)
def no_database_outage():
    """A test that made the database unreachable leaves no fail-fast window (core.db_outage)
    to answer the next test's requests with 503."""
    yield
    outage.recovered()


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
