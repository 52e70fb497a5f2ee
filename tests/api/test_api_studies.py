"""/api/studies/ and /api/studies/<doi>/."""

import pytest

from claims import api
from claims.models import Claim, Evidence
from claims.services import claim_scorecard
from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"


def test_it_lists_studies_with_their_published_claim_counts(client, demo):
    thesis = make_study(doi="", title="An unpublished thesis")  # every demo study has a DOI
    data = client.get("/api/studies/").json()
    assert data["count"] == 5
    by_doi = {study["doi"]: study for study in data["results"]}
    refalo = by_doi[REFALO]
    assert refalo["claim_count"] == 3
    assert refalo["title"].startswith("Similar muscle hypertrophy")
    assert refalo["authors"].startswith("Refalo, M. C.;")
    assert refalo["design"] == "rct" and refalo["design_label"] == "Randomised controlled trial"
    assert refalo["url"] == f"http://testserver/studies/{REFALO}/"
    assert refalo["api_url"] == f"http://testserver/api/studies/{REFALO}/"
    assert refalo["doi_url"] == f"https://doi.org/{REFALO}"
    assert by_doi[None]["api_url"] == f"http://testserver/api/studies/id/{thesis.pk}/"


def test_it_searches_doi_title_and_authors(client, demo):
    # "helms": a co-author of Refalo et al. only (Refalo, Martin co-wrote Hermann et al.).
    for query in ("helms", "02640414", "similar muscle"):
        data = client.get("/api/studies/", {"q": query}).json()
        assert [study["doi"] for study in data["results"]] == [REFALO], query


def test_it_lists_in_a_flat_number_of_queries(client, django_assert_max_num_queries):
    claim = make_claim()
    for i in range(40):
        link(claim, make_study(doi=f"10.1000/s{i}", title=f"Study {i}"))
    # count, page of studies with their claim counts
    with django_assert_max_num_queries(2):
        response = client.get("/api/studies/", {"page_size": 30})
    assert len(response.json()["results"]) == 30


@pytest.mark.parametrize(
    "doi",
    [REFALO, REFALO.upper(), f"https://doi.org/{REFALO}", f"doi:{REFALO}"],
)
def test_it_serves_one_study_by_any_spelling_of_its_doi(client, demo, doi):
    response = client.get(f"/api/studies/{doi}/")
    assert response.status_code == 200
    data = response.json()
    assert data["doi"] == REFALO
    claims = {claim["slug"]: claim for claim in data["claims"]}
    assert set(claims) == {
        "rir-training-matches-failure-volume-and-growth",
        "failure-fatigue-adds-no-hypertrophy",
        "quadriceps-regional-hypertrophy-failure-vs-rir",
    }
    claim = claims["failure-fatigue-adds-no-hypertrophy"]
    assert claim["stance"] == "supports"
    stored = Claim.objects.get(slug="failure-fatigue-adds-no-hypertrophy")
    card = claim_scorecard(stored)
    evidence = stored.evidence.get(study__doi=REFALO)
    (contribution,) = [c for c in card.contributions if c.key == evidence.pk]
    assert claim["certainty"] == contribution.certainty
    assert claim["appraisal_status"] == "appraised"
    assert (claim["verdict"], claim["claim_certainty"]) == (card.verdict, card.certainty)
    assert claim["scores"] == {"pro": card.pro, "against": card.against}
    assert claim["api_url"] == "http://testserver/api/claims/failure-fatigue-adds-no-hypertrophy/"


def test_it_derives_the_certainty_when_editors_left_it_empty(client, demo):
    data = client.get("/api/studies/10.70252/ijes2026403/").json()
    (evidence,) = Evidence.objects.filter(study__doi="10.70252/ijes2026403")
    assert evidence.certainty == ""
    (contribution,) = [
        c for c in claim_scorecard(evidence.claim).contributions if c.key == evidence.pk
    ]
    assert contribution.certainty_derived
    assert [claim["certainty"] for claim in data["claims"]] == [contribution.certainty]


def test_it_says_which_links_await_appraisal_with_each_claims_stored_verdict(client):
    study = make_study(doi="10.1000/submitted", sample_size=40)
    counted = make_claim(slug="counted")
    link(counted, study)
    waiting = make_claim(slug="waiting")
    link(waiting, study, appraisal_status=Evidence.Appraisal.AWAITING)
    claims = {c["slug"]: c for c in client.get("/api/studies/10.1000/submitted/").json()["claims"]}
    assert claims["waiting"]["appraisal_status"] == "awaiting"
    assert claims["counted"]["appraisal_status"] == "appraised"
    for slug in ("counted", "waiting"):
        card = claim_scorecard(Claim.objects.get(slug=slug))
        assert (claims[slug]["verdict"], claims[slug]["claim_certainty"]) == (
            card.verdict,
            card.certainty,
        )
    # Awaiting appraisal, the study counts for nothing: the claim has no certainty yet.
    assert claims["waiting"]["claim_certainty"] is None
    assert claims["waiting"]["scores"] == {"pro": 0, "against": 0}


def test_it_leaves_out_drafts_and_pending_links(client):
    study = make_study(doi="10.1000/x")
    link(make_claim(slug="draft", status="draft"), study)
    link(make_claim(slug="pending"), study, status="pending")
    link(make_claim(slug="shown"), study, stance="contradicts")
    data = client.get("/api/studies/10.1000/x/").json()
    assert [(c["slug"], c["stance"]) for c in data["claims"]] == [("shown", "contradicts")]


def test_it_serves_a_study_without_a_doi_by_id(client):
    study = make_study(title="No DOI")
    data = client.get(f"/api/studies/id/{study.pk}/").json()
    assert data["title"] == "No DOI" and data["doi"] is None and data["claims"] == []


@pytest.mark.parametrize("path", ["/api/studies/not-a-doi/", "/api/studies/10.1000/none/"])
def test_it_answers_404_in_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"].startswith("No such study")


def test_it_says_whether_an_editor_confirmed_the_design(client, rf):
    study = make_study(doi="10.1000/designed")
    assert client.get("/api/studies/10.1000/designed/").json()["design_confirmed"] is True
    assert client.get("/api/studies/").json()["results"][0]["design_confirmed"] is True
    study.design_confirmed = False
    assert api.study_summary(study, rf.get("/"))["design_confirmed"] is False
