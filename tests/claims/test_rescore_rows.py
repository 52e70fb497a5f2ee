"""The batched rescore reads links as plain rows (ScoringLink), not Evidence instances: what it
stores must be exactly what one claim's rescore (Evidence instances) stores."""

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from claims.models import Claim, Evidence, ScoringLink
from claims.models.scoring_link import StudyFacts
from claims.services import _write_scores, claim_rescore, claims_rescore
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

STORED = ("pro_score", "against_score", "verdict", "fragile", "certainty", "basis_digest")


def stored() -> dict:
    return {row[0]: row[1:] for row in Claim.objects.values_list("slug", *STORED)}


def every_rule_claim() -> Claim:
    """A claim on which each scoring input is used: a review pooling a trial, two reports of
    one trial, a retracted study, a link awaiting appraisal, downgrades and upgrades, a risk
    of bias judged, an unknown sample size."""
    claim = make_claim(slug="every-rule", claim_type="correlational", publication_bias=True)
    review = make_study(design="meta_analysis_rct", sample_size=900)
    pooled = make_study(sample_size=120, trial_registration="NCT01234567")
    pooled.pooled_in.add(review)
    link(claim, review, certainty="", risk_of_bias=1, inconsistency=1)
    link(claim, pooled, certainty="high")
    twin = make_study(sample_size=60, trial_registration="nct01234567")
    link(claim, twin, certainty="moderate", stance="contradicts")
    link(claim, make_study(retraction_status="retracted", sample_size=300), certainty="high")
    link(claim, make_study(design="cohort", sample_size=None), certainty="", large_effect=1)
    link(claim, make_study(design="cohort", sample_size=5000), certainty="", dose_response=True)
    link(
        claim,
        make_study(sample_size=40),
        certainty="low",
        stance="contradicts",
        strength="partial",
        risk_of_bias_judgement=Evidence.RiskOfBias.HIGH,
        indirectness=2,
        imprecise=True,
    )
    link(claim, make_study(sample_size=80), appraisal_status=Evidence.Appraisal.AWAITING)
    return claim


def test_the_rows_carry_every_field_scoring_reads():
    study = tuple(f"study__{name}" for name in StudyFacts._fields)
    assert ScoringLink._fields[:-1] + study == ScoringLink.COLUMNS


def test_the_batched_rescore_stores_what_one_claims_rescore_stores(demo):
    every_rule_claim()
    Claim.objects.update(scored_at=None)
    claims_rescore()
    batched = stored()
    assert batched["every-rule"][0] and batched["every-rule"][1]  # both sides score

    Claim.objects.update(pro_score=0, against_score=0, basis_digest="", scored_at=None)
    for claim in Claim.objects.all():
        claim_rescore(claim=claim)
    assert stored() == batched
    assert len(batched) == 6


def test_a_claim_whose_id_needs_a_bigint_is_rescored():
    """The ids' array was cast to integer[]: an id past 2**31 failed (Claim.id is bigint)."""
    big = 2**31 + 7
    claim = make_claim(id=big, slug="big-id")
    link(claim, make_study(), certainty="high")
    Claim.objects.filter(pk=big).update(scored_at=None, pro_score=0)
    claims_rescore(claims=Claim.objects.filter(pk=big))
    assert Claim.objects.get(pk=big).pro_score > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps any length")
def test_an_over_long_stored_value_is_refused_not_cut():
    """A cast of the values to varchar(n)[] cut what the column would refuse."""
    claim = Claim.objects.get(pk=make_claim(slug="long").pk)
    claim.basis_digest = "x" * 200
    claim.scored_at = claim.content_changed_at = timezone.now()
    with pytest.raises(DatabaseError):
        _write_scores([claim])
