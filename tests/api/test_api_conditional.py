"""Last-Modified beside the ETag on the API and /claims/<slug>.json, and If-Modified-Since
answering 304 (a client that keeps the date, not the ETag)."""

import datetime

import pytest
from django.utils.http import http_date, parse_http_date

from claims.models import Claim
from studies.models import Study
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

LATER = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)

URLS = [
    "/api/",
    "/api/claims/",
    "/api/claims/a-claim/",
    "/api/studies/",
    "/api/studies/10.1000/lm/",
    "/claims/a-claim.json",
]


@pytest.fixture(autouse=True)
def claim():
    claim = make_claim()
    link(claim, make_study(doi="10.1000/lm"))
    return Claim.objects.get(pk=claim.pk)


def moment(response) -> int:
    return parse_http_date(response["Last-Modified"])


@pytest.mark.parametrize("url", URLS)
def test_it_answers_304_to_if_modified_since(client, url):
    first = client.get(url)
    assert first.status_code == 200
    date = first["Last-Modified"]
    again = client.get(url, headers={"If-Modified-Since": date})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Last-Modified"] == date and again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    older = http_date(moment(first) - 60)
    assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200


@pytest.mark.parametrize("url", ["/api/claims/a-claim/", "/claims/a-claim.json"])
def test_it_dates_a_claim_by_its_updated_at(client, claim, url):
    response = client.get(url)
    assert moment(response) == int(claim.last_changed_at.timestamp())
    Claim.objects.filter(pk=claim.pk).update(updated_at=LATER)
    response = client.get(url, headers={"If-Modified-Since": http_date(LATER.timestamp() - 1)})
    assert response.status_code == 200
    assert moment(response) == int(LATER.timestamp())


def test_it_dates_a_list_by_its_newest_record(client, claim):
    make_claim(slug="newer")
    Claim.objects.filter(slug="newer").update(updated_at=LATER)
    assert moment(client.get("/api/claims/")) == int(LATER.timestamp())
    assert moment(client.get("/api/")) == int(LATER.timestamp())
    empty = client.get("/api/claims/", {"verdict": "Strong support"})
    assert empty.json()["count"] == 0 and "Last-Modified" not in empty


def test_it_dates_a_study_by_its_edit_or_a_later_change_of_its_claims(client, claim):
    study = Study.objects.get(doi="10.1000/lm")
    Study.objects.filter(pk=study.pk).update(updated_at=LATER - datetime.timedelta(days=1))
    Claim.objects.filter(pk=claim.pk).update(updated_at=LATER)  # e.g. a new verdict
    assert moment(client.get("/api/studies/10.1000/lm/")) == int(LATER.timestamp())
    # The list shows its claim counts: a claim's change dates it too.
    assert moment(client.get("/api/studies/")) == int(LATER.timestamp())
    assert moment(client.get("/api/studies/", {"doi": "10.1000/lm"})) == int(LATER.timestamp())


EARLIER = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/api/studies/", lambda data: data["results"][0]["claim_count"]),
        ("/api/studies/?doi=10.1000/lm", lambda data: data["results"][0]["claim_count"]),
        ("/api/studies/10.1000/lm/", lambda data: len(data["claims"])),
    ],
)
def test_it_does_not_answer_304_with_a_claim_unpublished_since(client, claim, url, count):
    """Unpublishing a claim moves no study's updated_at, but changes what a study answer
    shows (its claim count, its claims): the old Last-Modified must not get a 304."""
    Study.objects.update(updated_at=EARLIER)
    Claim.objects.update(updated_at=EARLIER, content_changed_at=EARLIER, scored_at=EARLIER)
    first = client.get(url)
    assert count(first.json()) == 1
    claim.status = Claim.Status.DRAFT
    claim.save()
    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert count(again.json()) == 0
    assert moment(again) > moment(first)


def test_it_lets_a_script_read_the_dates(client):
    exposed = client.get("/api/claims/")["Access-Control-Expose-Headers"]
    assert "ETag" in exposed and "Last-Modified" in exposed


def test_it_lets_the_etag_decide_when_both_are_sent(client):
    first = client.get("/api/claims/a-claim/")
    stale = client.get(
        "/api/claims/a-claim/",
        headers={"If-None-Match": '"other"', "If-Modified-Since": first["Last-Modified"]},
    )
    assert stale.status_code == 200


def test_it_caches_a_published_claim_json_for_anyone(client, claim):
    response = client.get("/claims/a-claim.json")
    assert response["Cache-Control"] == "public, max-age=60"
    etag = response["ETag"]
    assert client.get("/claims/a-claim.json", headers={"If-None-Match": etag}).status_code == 304


def test_the_claim_list_does_not_answer_304_once_a_claim_left_it(client, claim):
    """The other claims' dates do not move when one is unpublished; the list's does."""
    other = make_claim(slug="stays")
    Claim.objects.update(updated_at=EARLIER, content_changed_at=EARLIER, scored_at=EARLIER)
    first = client.get("/api/claims/")
    assert first.json()["count"] == 2
    claim.status = Claim.Status.DRAFT
    claim.save()
    again = client.get("/api/claims/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert [item["slug"] for item in again.json()["results"]] == [other.slug]
