"""/api/studies/ and /api/studies/<doi>/."""

import datetime

import pytest

import scoring
from api import records
from claims.models import Claim, Evidence
from claims.services import claim_scorecard
from studies.models import RetractionStatus
from tests.factories import link, make_claim, make_study

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
    assert refalo["authors_text"].startswith("Refalo, M. C.;")
    assert refalo["authors"][0] == {"family": "Refalo", "given": "M. C."}
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


def test_it_derives_the_certainty_when_editors_left_it_empty(client):
    evidence = link(make_claim(), make_study(doi="10.1000/derived"), certainty="")
    data = client.get("/api/studies/10.1000/derived/").json()
    (contribution,) = [
        c for c in claim_scorecard(evidence.claim).contributions if c.key == evidence.pk
    ]
    assert contribution.certainty_derived
    assert [claim["certainty"] for claim in data["claims"]] == [contribution.certainty]
    assert contribution.certainty is not None


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


@pytest.mark.parametrize("path", ["/api/studies/id/abc/", "/api/studies/not-a-doi/"])
def test_it_says_no_such_study_for_what_is_not_a_doi(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "No such study."


def test_it_says_whether_an_editor_confirmed_the_design(client, rf):
    study = make_study(doi="10.1000/designed")
    assert client.get("/api/studies/10.1000/designed/").json()["design_confirmed"] is True
    assert client.get("/api/studies/").json()["results"][0]["design_confirmed"] is True
    study.design_confirmed = False
    assert records.study_summary(study, rf.get("/"))["design_confirmed"] is False


def test_it_gives_no_certainty_for_a_link_awaiting_appraisal(client):
    """Issue 12 review: a link awaiting appraisal read {"appraisal_status": "awaiting",
    "certainty": "moderate"}; nobody has judged it, so, as in the claim JSON, it has none."""
    study = make_study(doi="10.1000/submitted", sample_size=40)
    waiting = make_claim(slug="waiting")
    link(waiting, study, appraisal_status=Evidence.Appraisal.AWAITING)  # certainty "moderate"
    (claim,) = client.get("/api/studies/10.1000/submitted/").json()["claims"]
    assert claim["appraisal_status"] == "awaiting"
    assert claim["certainty"] is None
    assert (claim["counted"], claim["not_counted"]) == (False, "awaiting appraisal")
    (item,) = client.get("/claims/waiting.json").json()["evidence"]
    assert (item["certainty"], item["counted"], item["not_counted"]) == (
        None,
        False,
        "awaiting appraisal",
    )


def test_it_gives_the_retraction_notice_and_the_trial_registration(client):
    make_study(
        doi="10.1000/gone",
        retraction_status=RetractionStatus.RETRACTED,
        retraction_notice_doi="10.1000/NOTICE",
        retraction_date=datetime.date(2024, 5, 3),
        trial_registration="NCT01234567",
    )
    make_study(doi="10.1000/fine")
    data = client.get("/api/studies/10.1000/gone/").json()
    assert data["retraction_status"] == "retracted"
    assert data["retraction_notice_doi"] == "10.1000/notice"
    assert data["retraction_date"] == "2024-05-03"
    assert data["trial_registration"] == "NCT01234567"
    fine = client.get("/api/studies/10.1000/fine/").json()
    assert (fine["retraction_status"], fine["retraction_notice_doi"]) == ("none", None)
    assert (fine["retraction_date"], fine["trial_registration"]) == (None, None)
    # The list carries the same facts, so a client can flag a retracted study without a
    # second request.
    listed = {s["doi"]: s for s in client.get("/api/studies/").json()["results"]}
    assert listed["10.1000/gone"]["retraction_status"] == "retracted"
    assert listed["10.1000/gone"]["trial_registration"] == "NCT01234567"


def test_it_links_a_study_to_the_reviews_that_pool_it_and_a_review_to_its_studies(client):
    review = make_study(doi="10.1000/review", title="Review", design="meta_analysis_rct")
    no_doi_review = make_study(doi="", title="Review without a DOI", design="systematic_review")
    trial = make_study(doi="10.1000/trial", title="Trial")
    trial.pooled_in.add(review, no_doi_review)
    data = client.get("/api/studies/10.1000/trial/").json()
    assert data["pools"] == []
    assert sorted(data["pooled_in"], key=lambda s: s["id"]) == [
        {
            "id": review.pk,
            "doi": "10.1000/review",
            "title": "Review",
            "url": "http://testserver/studies/10.1000/review/",
            "api_url": "http://testserver/api/studies/10.1000/review/",
        },
        {
            "id": no_doi_review.pk,
            "doi": None,
            "title": "Review without a DOI",
            "url": f"http://testserver{no_doi_review.get_absolute_url()}",
            "api_url": f"http://testserver/api/studies/id/{no_doi_review.pk}/",
        },
    ]
    pooling = client.get("/api/studies/10.1000/review/").json()
    assert pooling["pooled_in"] == []
    assert [s["doi"] for s in pooling["pools"]] == ["10.1000/trial"]
    assert pooling["pools"][0]["api_url"] == "http://testserver/api/studies/10.1000/trial/"


def test_it_says_whether_the_study_counts_on_each_claim_and_why_not(client):
    """Issue 12 review: the study record did not say that a study pooled in a review, or a
    second report of a trial, counts for nothing on a claim."""
    review = make_study(
        doi="10.1000/review", authors="Lee, C.; Park, D.", design="meta_analysis_rct"
    )
    trial = make_study(doi="10.1000/trial", authors="Smith, A.", trial_registration="NCT0001")
    trial.pooled_in.add(review)
    pooled = make_claim(slug="pooled")
    link(pooled, review)
    link(pooled, trial)
    alone = make_claim(slug="alone")
    link(alone, trial, stance="contradicts")
    same_trial = make_claim(slug="same-trial")
    link(same_trial, make_study(doi="10.1000/main", sample_size=400, trial_registration="NCT0001"))
    link(same_trial, trial)
    claims = {c["slug"]: c for c in client.get("/api/studies/10.1000/trial/").json()["claims"]}
    assert (claims["alone"]["counted"], claims["alone"]["not_counted"]) == (True, None)
    assert claims["alone"]["not_counted_note"] is None
    assert (claims["pooled"]["counted"], claims["pooled"]["not_counted"]) == (
        False,
        scoring.POOLED_IN,
    )
    assert claims["pooled"]["not_counted_note"] == "pooled in Lee et al. 2024"
    assert claims["same-trial"]["not_counted"] == scoring.SAME_TRIAL
    # Each entry says what the claim's JSON says of the same link.
    for slug, entry in claims.items():
        (item,) = [
            item
            for item in client.get(f"/claims/{slug}.json").json()["evidence"]
            if item["study"]["doi"] == "10.1000/trial"
        ]
        for field in ("counted", "not_counted", "not_counted_note", "certainty"):
            assert entry[field] == item[field], (slug, field)
        stored = Claim.objects.get(slug=slug)
        card = claim_scorecard(stored)
        assert entry["verdict_statement"] == card.statement
        assert (entry["verdict"], entry["claim_certainty"]) == (card.verdict, card.certainty)


def test_it_serves_a_study_in_a_flat_number_of_queries(client, django_assert_max_num_queries):
    study = make_study(doi="10.1000/widely-cited")
    for r in range(3):
        study.pooled_in.add(make_study(doi=f"10.1000/review{r}", design="systematic_review"))
    for c in range(15):
        claim = make_claim(slug=f"claim-{c}")
        link(claim, study, appraisal_status="awaiting" if c % 4 == 0 else "appraised")
        for s in range(3):
            link(claim, make_study(doi=f"10.1000/c{c}s{s}", trial_registration=f"NCT{s:04d}"))
    # the study; its links with their claims; those claims' links with their studies; their
    # pooled-in pairs; the reviews pooling the study; the studies it pools; the latest change
    # of its claims (Last-Modified)
    with django_assert_max_num_queries(7):
        response = client.get("/api/studies/10.1000/widely-cited/")
    data = response.json()
    assert len(data["claims"]) == 15 and len(data["pooled_in"]) == 3


def test_it_gives_the_funding_conflicts_and_full_text(client):
    study = make_study(
        doi="10.1000/funded",
        funding="A national research council.",
        conflicts_of_interest="None declared.",
        url="https://journal.example/funded",
    )
    link(
        make_claim(slug="measured", outcome="Muscle thickness"),
        study,
        outcome="Muscle thickness",
        effect_measure="md",
        effect_estimate=1.2,
        effect_ci_lower=0.8,
        effect_ci_upper=1.6,
        effect_unit="mm",
    )
    data = client.get("/api/studies/10.1000/funded/").json()
    assert data["funding"] == "A national research council."
    assert data["conflicts_of_interest"] == "None declared."
    assert data["full_text_url"] == "https://journal.example/funded"
    effect = data["claims"][0]["effect"]
    assert (effect["estimate"], effect["ci_lower"], effect["ci_upper"]) == (1.2, 0.8, 1.6)
    bare = client.get(
        make_study(doi="10.1000/bare").get_absolute_url().replace("/studies/", "/api/studies/")
    ).json()
    assert (bare["funding"], bare["conflicts_of_interest"]) == ("", "")
    assert bare["full_text_url"] == "https://doi.org/10.1000/bare"
