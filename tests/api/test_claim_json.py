"""/claims/<slug>.json since "Honest verdicts": the capped verdict with its certainty at the top
level, and every approved link with whether it counts, why not, and its reasons."""

import pytest

from claims.models import Evidence
from claims.services import claim_scorecard
from tests.claims.test_verdict_panel import awaiting_claim, not_counted_claim
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def claim_json(client, claim) -> dict:
    response = client.get(f"/claims/{claim.slug}.json")
    assert response.status_code == 200
    return response.json()


def test_it_puts_the_capped_verdict_and_its_certainty_at_the_top_level(client):
    claim = make_claim()
    link(claim, make_study(sample_size=50), certainty="", risk_of_bias_judgement="low")
    data = claim_json(client, claim)
    card = claim_scorecard(claim)
    assert data["verdict"] == card.verdict == "Moderate support"  # capped from strong
    assert data["scores"] == {"pro": 84, "against": 0}
    assert data["certainty"] == "low"
    assert data["certainty_reasons"] == list(card.certainty_reasons)
    assert any("imprecision" in reason for reason in data["certainty_reasons"])
    # GRADE's statement; `statement` stays the claim's scientific wording, as in the API lists.
    assert data["verdict_statement"] == "This may be true."
    assert data["statement"] == claim.statement
    assert data["analysis_out_of_date"] is None


def test_it_gives_no_certainty_when_nothing_is_appraised(client):
    claim = make_claim()
    link(claim, make_study(), appraisal_status=Evidence.Appraisal.AWAITING)
    data = claim_json(client, claim)
    assert data["verdict"] == "Insufficient evidence"
    assert data["certainty"] is None and data["certainty_reasons"] == []
    assert data["verdict_statement"] == claim_scorecard(claim).statement


def test_it_gives_every_evidence_entry_its_counting_and_its_reasons(client):
    claim = make_claim()
    link(
        claim,
        make_study(doi="10.1000/set", sample_size=30),
        certainty="low",
        certainty_reason="Small and unblinded.",
        risk_of_bias_judgement="high",
        risk_of_bias_domain="randomisation",
        risk_of_bias_reason="Allocation by day of the week.",
    )
    entry = claim_json(client, claim)["evidence"][0]
    assert entry["appraisal_status"] == "appraised"
    assert entry["counted"] is True and entry["not_counted"] is None
    assert entry["not_counted_note"] is None
    assert entry["certainty"] == "low" and entry["risk_of_bias"] == "high"
    assert entry["reasons"] == [
        "Low certainty, set by an editor: Small and unblinded.",
        # The certainty was set directly: the judgement feeds only the body of evidence.
        "Risk of bias (RoB 2): high, driven by the randomisation process (D1) (affects the "
        "certainty of the whole body of evidence, not this study's points) — "
        "Allocation by day of the week.",
    ]
    assert entry["points"] > 0 and entry["rank"] == 1


def test_it_serves_a_study_awaiting_appraisal_in_the_json(client):
    data = claim_json(client, awaiting_claim())
    waiting = next(e for e in data["evidence"] if e["study"]["doi"] == "10.1000/waiting")
    assert waiting["appraisal_status"] == "awaiting"
    assert waiting["counted"] is False
    assert waiting["not_counted"] == "awaiting appraisal"
    assert waiting["points"] == 0 and waiting["rank"] is None and waiting["certainty"] is None
    assert waiting["reasons"] == []
    assert data["evidence_counts"] == {
        "supporting": 1,
        "contradicting": 0,
        "not_counted": 0,
        "awaiting_appraisal": 1,
    }


def test_it_serves_why_a_study_does_not_count_in_the_json(client):
    data = claim_json(client, not_counted_claim())
    by_doi = {e["study"]["doi"]: e for e in data["evidence"]}
    assert by_doi["10.1000/retracted"]["not_counted"] == "retracted"
    assert by_doi["10.1000/retracted"]["not_counted_note"] == (
        "retracted (notice 10.1000/notice, 5 March 2024)"
    )
    assert by_doi["10.1000/secondary"]["not_counted_note"] == (
        "same trial as Smith et al. 2023 (NCT01234567)"
    )
    assert by_doi["10.1000/pooled"]["not_counted_note"] == "pooled in Doe et al. 2022"
    for doi in ("10.1000/retracted", "10.1000/secondary", "10.1000/pooled"):
        assert by_doi[doi]["counted"] is False and by_doi[doi]["points"] == 0
    assert by_doi["10.1000/main"]["counted"] is True
    assert by_doi["10.1000/main"]["not_counted"] is None
