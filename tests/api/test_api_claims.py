"""/api/claims/ and /api/claims/<slug>/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

import scoring
from api import views as api
from claims import filters
from claims.models import Analysis, Claim, Evidence, Mechanism, MechanismStep
from claims.services import claim_rescore, claim_scorecard, claims_rescore
from studies.models import RetractionStatus
from tests.factories import link, make_claim, make_study

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
        "certainty",
        "verdict_statement",
        "scores",
        "fragile",
        "supporting_count",
        "contradicting_count",
        "awaiting_appraisal_count",
        "created_at",
        "updated_at",
        "scored_at",
    }
    claim = Claim.objects.get(slug=first["slug"])
    assert first["url"] == f"http://testserver/claims/{claim.slug}/"
    assert first["api_url"] == f"http://testserver/api/claims/{claim.slug}/"
    assert first["scores"] == {"pro": claim.pro_score, "against": claim.against_score}
    assert first["certainty"] == claim.certainty


def test_it_lists_the_demo_claims_with_the_capped_verdict_and_certainty_of_their_pages(
    client, demo
):
    for result in client.get(LIST).json()["results"]:
        card = claim_scorecard(Claim.objects.get(slug=result["slug"]))
        assert result["verdict"] == card.verdict
        assert result["certainty"] == card.certainty
        assert result["verdict_statement"] == card.statement
        assert result["scores"] == {"pro": card.pro, "against": card.against}
        # One small trial per side is never strong support (issue 12).
        assert result["verdict"] != scoring.STRONG_SUPPORT
        assert result["certainty"] in ("low", "very_low")


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
        ({"updated_since": "yesterday"}, 400, filters.BAD_UPDATED_SINCE),
        ({"updated_since": "2025-02-30"}, 400, filters.BAD_UPDATED_SINCE),
        ({"updated_since": "9999-12-31T23:59:59-05:00"}, 400, filters.BAD_UPDATED_SINCE),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, 400, filters.BAD_UPDATED_SINCE),
        (
            {"type": "magic"},
            400,
            "type must be one of: mechanistic, causal, correlational, comparative, descriptive.",
        ),
        ({"certainty": "Low"}, 400, "certainty must be one of: high, moderate, low, very_low."),
        ({"certainty": "none"}, 400, "certainty must be one of: high, moderate, low, very_low."),
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
    assert response.json()["error"].startswith(
        "verdict must be one of: Insufficient evidence, Very uncertain, Strong support"
    )


def small_trial_claim(slug: str, **study):
    """One parallel RCT of 40, risk of bias not assessed: very low certainty (GRADE rates it
    down for risk of bias and, with 40 participants, two levels for imprecision)."""
    claim = make_claim(slug=slug)
    Evidence.objects.create(
        claim=claim,
        study=make_study(doi=f"10.1000/{slug}", sample_size=40, **study),
        stance="supports",
    )
    return Claim.objects.get(pk=claim.pk)


def well_appraised_claim(slug: str):
    """One RCT of 400 (the optimal information size) at low risk of bias, appraised high."""
    claim = make_claim(slug=slug)
    Evidence.objects.create(
        claim=claim,
        study=make_study(doi=f"10.1000/{slug}", sample_size=400),
        stance="supports",
        certainty="high",
        certainty_reason="Large, well-run trial.",
        risk_of_bias_judgement=Evidence.RiskOfBias.LOW,
    )
    return Claim.objects.get(pk=claim.pk)


def test_it_filters_by_the_new_verdict_very_uncertain(client):
    uncertain = small_trial_claim("uncertain")
    well_appraised_claim("appraised")
    make_claim(slug="empty")
    assert uncertain.verdict == scoring.VERY_UNCERTAIN == claim_scorecard(uncertain).verdict
    data = client.get(LIST, {"verdict": "Very uncertain"}).json()
    assert [c["slug"] for c in data["results"]] == ["uncertain"]
    assert data["results"][0]["certainty"] == "very_low"
    assert data["results"][0]["verdict_statement"] == (
        "We are very uncertain whether this is true."
    )


def test_it_filters_by_certainty(client):
    small_trial_claim("uncertain")
    appraised = well_appraised_claim("appraised")
    make_claim(slug="empty")
    level = claim_scorecard(appraised).certainty
    assert level not in (None, "very_low")
    assert [c["slug"] for c in client.get(LIST, {"certainty": level}).json()["results"]] == [
        "appraised"
    ]
    very_low = client.get(LIST, {"certainty": "very_low"}).json()["results"]
    assert [c["slug"] for c in very_low] == ["uncertain"]
    # A claim with nothing counted has no certainty, so no certainty filter lists it.
    everything = {c["slug"]: c for c in client.get(LIST).json()["results"]}
    assert everything["empty"]["certainty"] is None
    assert everything["empty"]["verdict_statement"] == scoring.statement_for(None, None)
    counts = [client.get(LIST, {"certainty": c}).json()["count"] for c in filters.CERTAINTY_FILTER]
    assert sum(counts) == 2


# Fields a list result shares with the full record: the stored ones must be the live ones.
SHARED = ("verdict", "certainty", "verdict_statement", "scores", "fragile")


def listed_and_detail(client, slug: str) -> tuple[dict, dict]:
    """The claim's list result and full record, after checking that they agree."""
    (listed,) = [c for c in client.get(LIST).json()["results"] if c["slug"] == slug]
    record = client.get(reverse("api-claim", args=[slug])).json()
    assert {f: listed[f] for f in SHARED} == {f: record[f] for f in SHARED}
    card = claim_scorecard(Claim.objects.get(slug=slug))
    assert record["certainty_reasons"] == list(card.certainty_reasons)
    return listed, record


def test_it_lists_what_the_full_record_shows_after_every_orm_write(client):
    """Issue 12: evidence written through the ORM gave 0/0 in the list and 86/0 in the full
    record. The list reads the stored scores, which now follow every write."""
    claim = make_claim(slug="orm")
    study = make_study(doi="10.1000/orm", sample_size=100)
    # The reference strong study: a high-certainty RCT of 100 scores 86 (design.md §3.2).
    Evidence.objects.create(
        claim=claim,
        study=study,
        stance="supports",
        certainty="high",
        certainty_reason="Well-run, preregistered trial.",
        risk_of_bias_judgement=Evidence.RiskOfBias.LOW,
        appraisal_status=Evidence.Appraisal.APPRAISED,
    )
    listed, record = listed_and_detail(client, "orm")
    assert listed["scores"] == {"pro": 86, "against": 0}
    assert listed["certainty"] is not None and record["certainty_reasons"]

    # A member's study awaiting appraisal counts for nothing, in the list as on the page.
    waiting = Evidence.objects.create(
        claim=claim,
        study=make_study(doi="10.1000/orm-against", sample_size=300),
        stance="contradicts",
        certainty="high",
        certainty_reason="Large trial.",
        appraisal_status=Evidence.Appraisal.AWAITING,
    )
    assert listed_and_detail(client, "orm")[0]["scores"] == {"pro": 86, "against": 0}

    waiting.appraisal_status = Evidence.Appraisal.APPRAISED
    waiting.save()
    listed, _ = listed_and_detail(client, "orm")
    assert listed["scores"]["against"] > 0

    study.retraction_status = RetractionStatus.RETRACTED
    study.save()
    listed, _ = listed_and_detail(client, "orm")
    assert listed["scores"]["pro"] == 0

    waiting.delete()
    listed, record = listed_and_detail(client, "orm")
    assert listed["scores"] == {"pro": 0, "against": 0}
    assert listed["verdict"] == scoring.INSUFFICIENT and listed["certainty"] is None


def test_it_agrees_with_the_full_record_on_every_demo_claim(client, demo):
    for claim in demo:
        listed_and_detail(client, claim.slug)


def test_it_filters_by_updated_since_a_date_or_datetime(client):
    old = make_claim(slug="old")
    new = make_claim(slug="new")
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.filter(pk=old.pk).update(
        updated_at=long_ago, content_changed_at=long_ago, scored_at=None
    )
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
    study = make_study(doi="10.1000/new-rct", design="rct", sample_size=200)
    # A bulk insert skips the signals that rescore after every save (claims.receivers), as
    # a change of the scoring constants would: the stored score is old until a rescore.
    Evidence.objects.bulk_create([Evidence(claim=claim, study=study, stance="supports")])
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.filter(pk=claim.pk).update(
        updated_at=long_ago, content_changed_at=long_ago, scored_at=long_ago
    )
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert client.get(LIST, {"updated_since": since}).json()["count"] == 0
    claim_rescore(claim=claim)
    assert client.get(LIST, {"updated_since": since}).json()["count"] == 1


def test_it_does_not_count_a_rescore_that_changes_nothing(client):
    claim = make_claim(slug="unchanged")
    claim_rescore(claim=claim)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.filter(pk=claim.pk).update(
        updated_at=long_ago, content_changed_at=long_ago, scored_at=long_ago
    )
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
    # the "claims changed" version, the count (cached under it), the page of claims with their
    # evidence counts; the next request reads the count from the cache
    with django_assert_max_num_queries(3):
        response = client.get(LIST, {"page_size": 50})
    assert len(response.json()["results"]) == 50
    with django_assert_max_num_queries(2):
        client.get(LIST, {"page_size": 50})


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
    assert data["verdicts"] == list(scoring.VERDICTS) and "Very uncertain" in data["verdicts"]
    assert data["certainties"] == ["high", "moderate", "low", "very_low"]


def _long_ago(claim) -> str:
    """Date every change of `claim` a month back; return an updated_since a day back."""
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.filter(pk=claim.pk).update(
        updated_at=long_ago, content_changed_at=long_ago, scored_at=long_ago
    )
    return (timezone.now() - datetime.timedelta(days=1)).isoformat()


def _edit_finding(claim, evidence):
    evidence.finding = "Y rose by 12%, not 10%."
    evidence.save()


def _edit_study(claim, evidence):
    evidence.study.title = "A corrected title"
    evidence.study.save()


def _edit_mechanism_step(claim, evidence):
    analysis = Analysis.objects.create(claim=claim, version=1)
    mechanism = Mechanism.objects.create(
        analysis=analysis, kind="most_probable", simple_summary="s"
    )
    MechanismStep.objects.create(mechanism=mechanism, order=1, text="X loads the muscle.")


def _add_ideal_study(claim, evidence):
    claim.ideal_studies.create(rank=1, design="rct", description="Big RCT", why="Settles it")


@pytest.mark.parametrize(
    "edit", [_edit_finding, _edit_study, _edit_mechanism_step, _add_ideal_study]
)
def test_it_counts_an_edit_of_what_the_claim_shows_as_an_update(client, edit):
    claim = make_claim(slug="edited")
    evidence = link(claim, make_study(doi="10.1000/edited"))
    make_claim(slug="untouched")
    claim_rescore(claim=claim)
    since = _long_ago(claim)
    _long_ago(Claim.objects.get(slug="untouched"))
    assert client.get(LIST, {"updated_since": since}).json()["count"] == 0
    edit(claim, evidence)
    (result,) = client.get(LIST, {"updated_since": since}).json()["results"]
    assert result["slug"] == "edited"
    updated_at = datetime.datetime.fromisoformat(result["updated_at"])
    assert updated_at > timezone.now() - datetime.timedelta(minutes=1)
    # The full record says the same.
    assert client.get("/api/claims/edited/").json()["updated_at"] == result["updated_at"]


def test_it_reports_updated_at_as_the_latest_of_edit_content_change_and_rescore(client):
    claim = make_claim()
    moments = [timezone.now() - datetime.timedelta(days=d) for d in (3, 2, 1)]
    for fields in (
        {"updated_at": moments[2], "content_changed_at": moments[0], "scored_at": moments[1]},
        {"updated_at": moments[0], "content_changed_at": moments[2], "scored_at": None},
        {"updated_at": moments[0], "content_changed_at": moments[1], "scored_at": moments[2]},
    ):
        Claim.objects.filter(pk=claim.pk).update(**fields)
        (result,) = client.get(LIST).json()["results"]
        assert result["updated_at"] == moments[2].isoformat()
        before = (moments[2] - datetime.timedelta(seconds=1)).isoformat()
        assert client.get(LIST, {"updated_since": before}).json()["count"] == 1
        after = (moments[2] + datetime.timedelta(seconds=1)).isoformat()
        assert client.get(LIST, {"updated_since": after}).json()["count"] == 0


def test_it_lists_the_most_probable_mechanism_first(client):
    claim = make_claim()
    study = make_study(doi="10.1000/cited")
    link(claim, study)
    analysis = Analysis.objects.create(claim=claim, version=1)
    # Created first and "alternative" sorts before "most_probable" alphabetically.
    alternative = Mechanism.objects.create(
        analysis=analysis, kind="alternative", rank=1, simple_summary="Maybe fatigue."
    )
    MechanismStep.objects.create(mechanism=alternative, order=1, text="Fatigue does it.")
    second = Mechanism.objects.create(
        analysis=analysis, kind="most_probable", rank=2, simple_summary="Second best."
    )
    best = Mechanism.objects.create(
        analysis=analysis, kind="most_probable", rank=1, simple_summary="X pulls Y up."
    )
    MechanismStep.objects.create(mechanism=best, order=2, text="The muscle grows.")
    MechanismStep.objects.create(mechanism=best, order=1, text="X loads it.").citations.add(study)
    for url in (reverse("api-claim", args=[claim.slug]), reverse("claim-json", args=[claim.slug])):
        mechanisms = client.get(url).json()["mechanisms"]
        assert [(m["kind"], m["rank"]) for m in mechanisms] == [
            ("most_probable", 1),
            ("most_probable", 2),
            ("alternative", 1),
        ]
        assert mechanisms[0]["steps"] == [
            {
                "order": 1,
                "text": "X loads it.",
                "evidence_level": "Supported by evidence",
                "citations": ["10.1000/cited"],
                "inferred_from": [],
            },
            {
                "order": 2,
                "text": "The muscle grows.",
                "evidence_level": "Plausible (inferred)",
                "citations": [],
                "inferred_from": [],
            },
        ]
        assert second.steps.count() == 0 and mechanisms[1]["steps"] == []


def test_it_gives_each_study_its_weighted_points(client, demo):
    """weight = points × 0.5^(rank − 1), and share = weight / the side's total weight."""
    for claim in demo:
        evidence = client.get(reverse("api-claim", args=[claim.slug])).json()["evidence"]
        for stance in ("supports", "contradicts"):
            side = [item for item in evidence if item["stance"] == stance]
            total = sum(item["weight"] for item in side)
            for item in side:
                if not item["counted"]:  # awaiting appraisal, or not counted: adds nothing
                    assert (item["rank"], item["points"], item["weight"]) == (None, 0, 0)
                    assert item["share"] == 0
                    continue
                expected = item["points"] * 0.5 ** (item["rank"] - 1)
                assert item["weight"] == pytest.approx(expected, abs=0.01)
                assert item["share"] == pytest.approx(item["weight"] / total, abs=0.001)
    evidence = client.get("/api/claims/failure-fatigue-adds-no-hypertrophy/").json()["evidence"]
    ranks = [item["rank"] for item in evidence if item["counted"]]
    assert ranks == [1, 2]  # a claim with more than one study on a side is in the demo


def test_list_counts_keep_links_awaiting_appraisal_apart(client, db):
    """A card said "2 supporting" beside a verdict that counted one of them."""
    claim = make_claim()
    link(claim, make_study(title="Appraised"), certainty="moderate", certainty_reason="x")
    link(claim, make_study(title="Awaiting"), appraisal_status="awaiting", certainty="")
    (result,) = client.get(LIST).json()["results"]
    assert result["supporting_count"] == 1
    assert result["awaiting_appraisal_count"] == 1
    page = client.get("/claims/").content.decode()
    assert "1 supporting, 0 contradicting, 1 awaiting appraisal" in page


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("certainty=low&certainty=very_low", "certainty"),
        ("verdict=Very%20uncertain&verdict=Mixed%20evidence", "verdict"),
        ("topic=Sleep&topic=Diet", "topic"),
        ("type=causal&type=mechanistic", "type"),
        ("type=causal&type=causal", "type"),
        ("updated_since=2025-01-01&updated_since=2024-01-01", "updated_since"),
        ("page=1&page=2", "page"),
    ],
)
def test_it_rejects_a_repeated_parameter_rather_than_use_its_last_value(client, query, name):
    """Issue 12 review: ?certainty=low&certainty=very_low answered for very_low alone."""
    small_trial_claim("uncertain")
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert response.json() == {
        "error": api.REPEATED.format(name=name, count=2),
        "status": 400,
    }
    assert response.json()["error"].startswith(f"{name} was given 2 times; give it once")


def test_it_rejects_a_repeated_search_of_studies(client):
    response = client.get("/api/studies/?q=a&q=b")
    assert response.status_code == 400
    assert response.json()["error"] == api.REPEATED.format(name="q", count=2)
