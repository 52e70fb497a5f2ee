"""/claims/<slug>.json, the API's claim and the exports, cached under the claim's version: a
304 reads the claim's row and renders nothing; a warm 200 renders nothing either; any change
the page would show moves the ETag (issue 20: a 304 cost as much as the 496 ms render)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import views as api_views
from claims import export_views
from claims.models import Claim, Evidence
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

URLS = [
    "/claims/a-claim.json",
    "/api/claims/a-claim/",
    "/claims/a-claim/export.bib",
    "/claims/a-claim/export.ris",
    "/claims/a-claim/export.csv",
    "/claims/a-claim/export.json",
]


@pytest.fixture(autouse=True)
def claim():
    claim = make_claim()
    for i in range(3):
        link(claim, make_study(doi=f"10.1000/c{i}", title=f"Study {i}"))
    return claim


@pytest.fixture
def no_render(monkeypatch):
    """Fails the test if anything builds a claim record or an export."""

    def refuse(*args, **kwargs):
        raise AssertionError("rendered")

    monkeypatch.setattr(api_views, "claim_record", refuse)
    monkeypatch.setattr(export_views, "export_text", refuse)


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


@pytest.mark.parametrize("url", URLS)
def test_it_answers_304_from_the_claims_row_without_rendering(client, url, request):
    first = client.get(url)
    assert first.status_code == 200
    request.getfixturevalue("no_render")
    for headers in (
        {"If-None-Match": first["ETag"]},
        {"If-Modified-Since": first["Last-Modified"]},
    ):
        response, count = queries_of(client, url, **headers)
        assert response.status_code == 304, headers
        assert count == 1  # the claim
        assert response["ETag"] == first["ETag"]
        assert response["Last-Modified"] == first["Last-Modified"]


@pytest.mark.parametrize("url", URLS)
def test_it_serves_a_warm_copy_without_rendering(client, url, request):
    first = client.get(url)
    request.getfixturevalue("no_render")
    again, count = queries_of(client, url)
    assert again.status_code == 200 and count == 1
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", URLS)
def test_a_change_on_the_page_moves_the_etag_and_the_body(client, claim, url):
    first = client.get(url)
    study = make_study(doi="10.1000/new", title="The newest trial")
    link(claim, study)  # the receivers touch the claim
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert b"10.1000/new" in again.content


@pytest.mark.parametrize("url", URLS)
def test_a_rescore_moves_the_etag(client, claim, url):
    first = client.get(url)
    Claim.objects.filter(pk=claim.pk).update(scored_at=timezone.now())
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize("url", URLS)
def test_each_origin_has_its_own_copy(client, url, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    first = client.get(url)
    other = client.get(url, headers={"Host": "mirror.example.org"})
    assert other["ETag"] != first["ETag"]
    if url.endswith((".json", "/", ".bib", ".ris")):
        assert b"mirror.example.org" in other.content
        assert b"mirror.example.org" not in first.content


def test_the_formats_do_not_share_a_copy(client):
    bodies = {client.get(url).content for url in URLS}
    assert len(bodies) == len(URLS)


def test_an_unpublished_claim_is_gone_at_once(client, claim):
    url = "/claims/a-claim.json"
    first = client.get(url)
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DRAFT)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 404
    assert client.get("/api/claims/a-claim/").status_code == 404


def test_an_editor_reads_a_draft_privately(editor_client, claim):
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DRAFT)
    response = editor_client.get("/claims/a-claim.json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    Evidence.objects.filter(claim=claim).first().save()  # touched: a new version
    assert (
        editor_client.get(
            "/claims/a-claim.json", headers={"If-None-Match": response["ETag"]}
        ).status_code
        == 200
    )
