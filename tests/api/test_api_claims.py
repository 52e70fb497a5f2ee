"""/api/claims/ and /api/claims/<slug>/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import api
from claims.models import Claim
from claims.services import claim_rescore, claims_rescore
from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db

LIST = "/api/claims/"


def test_it_lists_published_demo_claims_with_stable_fields(client, demo):
    response = client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 5
    assert data["page"] == 1 and data["num_pages"] == 1
    assert data["next"] is None and data["previous"] is None
    first = data["results"][0]
    assert set(first) == {
        "slug",
        "url",
        "api_url",
        "statement",
        "plain_statement",
        "claim_type",
        "topic",
        "population",
        "verdict",
        "scores",
        "fragile",
        "supporting_count",
        "contradicting_count",
        "created_at",
        "updated_at",
        "scored_at",
    }
    claim = Claim.objects.get(slug=first["slug"])
    assert first["url"] == f"http://testserver/claims/{claim.slug}/"
    assert first["api_url"] == f"http://testserver/api/claims/{claim.slug}/"
    assert first["scores"] == {"pro": claim.pro_score, "against": claim.against_score}


def test_it_hides_drafts_even_from_editors(editor_client):
    make_claim(slug="draft", status="draft")
    assert editor_client.get(LIST).json()["count"] == 0
    assert editor_client.get("/api/claims/draft/").status_code == 404


def test_it_paginates(client):
    for i in range(5):
        make_claim(slug=f"c{i}", created_at=timezone.now() - datetime.timedelta(days=i))
    data = client.get(LIST, {"page_size": 2, "page": 2, "topic": ""}).json()
    assert [c["slug"] for c in data["results"]] == ["c2", "c3"]
    assert data["count"] == 5 and data["num_pages"] == 3 and data["page_size"] == 2
    assert data["next"] == "http://testserver/api/claims/?page_size=2&page=3&topic="
    assert data["previous"] == "http://testserver/api/claims/?page_size=2&page=1&topic="


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"page_size": 101}, 400, api.BAD_PAGE_SIZE),
        ({"page_size": 0}, 400, api.BAD_PAGE_SIZE),
        ({"page_size": "ten"}, 400, api.BAD_PAGE_SIZE),
        ({"page": "x"}, 400, api.BAD_PAGE),
        ({"page": 0}, 400, api.BAD_PAGE),
        ({"page": 3}, 404, "There is no page 3; the last page is 1."),
        ({"updated_since": "yesterday"}, 400, api.BAD_UPDATED_SINCE),
        ({"updated_since": "2025-02-30"}, 400, api.BAD_UPDATED_SINCE),
        ({"updated_since": "9999-12-31T23:59:59-05:00"}, 400, api.BAD_UPDATED_SINCE),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, 400, api.BAD_UPDATED_SINCE),
        (
            {"type": "magic"},
            400,
            "type must be one of: mechanistic, causal, correlational, comparative, descriptive.",
        ),
    ],
)
def test_it_answers_bad_parameters_with_a_json_error(client, params, status, message):
    response = client.get(LIST, params)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": message, "status": status}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_it_accepts_page_size_100(client):
    assert client.get(LIST, {"page_size": 100}).json()["page_size"] == 100


def test_it_filters_by_topic_type_and_verdict(client, demo):
    data = client.get(LIST, {"type": "mechanistic"}).json()
    assert {c["slug"] for c in data["results"]} == set(
        demo.filter(claim_type="mechanistic").values_list("slug", flat=True)
    )
    verdict = demo.first().verdict
    data = client.get(LIST, {"verdict": verdict}).json()
    assert data["count"] == demo.filter(verdict=verdict).count() > 0
    assert all(c["verdict"] == verdict for c in data["results"])
    make_claim(slug="sleep", topic="Sleep")
    data = client.get(LIST, {"topic": "Sleep"}).json()
    assert [c["slug"] for c in data["results"]] == ["sleep"]


def test_it_rejects_an_unknown_verdict(client):
    response = client.get(LIST, {"verdict": "Probably"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("verdict must be one of: Insufficient evidence")


def test_it_filters_by_updated_since_a_date_or_datetime(client):
    old = make_claim(slug="old")
    new = make_claim(slug="new")
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.filter(pk=old.pk).update(updated_at=long_ago, scored_at=None)
    Claim.objects.filter(pk=new.pk).update(updated_at=timezone.now(), scored_at=None)
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    assert [c["slug"] for c in client.get(LIST, {"updated_since": since}).json()["results"]] == [
        "new"
    ]
    moment = (long_ago - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert client.get(LIST, {"updated_since": moment}).json()["count"] == 2
    with_offset = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert client.get(LIST, {"updated_since": with_offset}).json()["count"] == 0


def test_it_counts_a_rescore_that_changes_the_score_as_an_update(client):
    claim = make_claim(slug="rescored")
    claim_rescore(claim=claim)
    link(claim, make_study(doi="10.1000/new-rct", design="rct", sample_size=200))
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.filter(pk=claim.pk).update(updated_at=long_ago, scored_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert client.get(LIST, {"updated_since": since}).json()["count"] == 0
    claim_rescore(claim=claim)
    assert client.get(LIST, {"updated_since": since}).json()["count"] == 1


def test_it_does_not_count_a_rescore_that_changes_nothing(client):
    claim = make_claim(slug="unchanged")
    claim_rescore(claim=claim)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.filter(pk=claim.pk).update(updated_at=long_ago, scored_at=long_ago)
    claim_rescore(claim=Claim.objects.get(pk=claim.pk))
    claims_rescore()
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert client.get(LIST, {"updated_since": since}).json()["count"] == 0


def test_it_searches(client, demo):
    data = client.get(LIST, {"q": "motor units"}).json()
    assert "near-failure-training-motor-unit-firing-rate" in [c["slug"] for c in data["results"]]


def test_it_lists_in_a_flat_number_of_queries(client, django_assert_max_num_queries):
    study = make_study(doi="10.1000/shared")
    for i in range(60):
        claim = make_claim(slug=f"claim-{i}")
        link(claim, study, stance="supports" if i % 2 else "contradicts")
    # count, page of claims with their evidence counts
    with django_assert_max_num_queries(2):
        response = client.get(LIST, {"page_size": 50})
    assert len(response.json()["results"]) == 50


def test_it_serves_one_claim_as_its_json_page_does(client, demo):
    for claim in demo:
        api_body = client.get(reverse("api-claim", args=[claim.slug])).json()
        assert api_body == client.get(reverse("claim-json", args=[claim.slug])).json()
        assert api_body["slug"] == claim.slug
        assert api_body["evidence"]


def test_it_answers_404_in_json_for_an_unknown_claim(client):
    response = client.get("/api/claims/nope/")
    assert response.status_code == 404
    assert response.json()["error"] == "No such published claim."


def test_it_answers_the_index(client):
    data = client.get("/api/").json()
    assert data["claims"] == "http://testserver/api/claims/"
    assert data["studies"] == "http://testserver/api/studies/"
    assert data["feed"] == "http://testserver/feeds/claims.atom"
