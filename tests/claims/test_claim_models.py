import pytest
from django.db import IntegrityError, transaction

from claims.models import Analysis, Claim, Evidence, Mechanism, MechanismStep
from claims.services import analysis_publish, claim_rescore
from tests.conftest import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def test_it_refuses_the_same_study_twice_on_one_claim():
    claim, study = make_claim(), make_study()
    link(claim, study)
    with pytest.raises(IntegrityError), transaction.atomic():
        link(claim, study, stance="contradicts")


def test_it_refuses_an_unknown_certainty():
    with pytest.raises(IntegrityError), transaction.atomic():
        link(make_claim(), make_study(), certainty="certain")


def test_it_derives_a_step_level_from_its_citations():
    claim = make_claim()
    analysis = Analysis.objects.create(claim=claim, version=1)
    mechanism = Mechanism.objects.create(
        analysis=analysis, kind="most_probable", simple_summary="s"
    )
    step = MechanismStep.objects.create(mechanism=mechanism, order=1, text="t")
    assert step.evidence_level == "Plausible (inferred)"
    step.citations.add(make_study(doi="10.1000/a"))
    assert step.evidence_level == "Supported by evidence"
    step.citations.add(make_study(doi="10.1000/b"))
    assert step.evidence_level == "Verified by multiple studies"


def test_it_counts_grade_downgrades_and_upgrades():
    evidence = Evidence(risk_of_bias=1, imprecision=2, large_effect=1, dose_response=True)
    assert (evidence.downgrades, evidence.upgrades) == (3, 2)


def test_it_stores_the_scores_when_rescored():
    claim = make_claim()
    link(claim, make_study(sample_size=18), certainty="moderate")
    card = claim_rescore(claim=claim)
    claim.refresh_from_db()
    assert (claim.pro_score, claim.against_score) == (66, 0) == (card.pro, card.against)
    assert claim.verdict == "Strong support"


def test_it_ignores_pending_evidence_when_scoring():
    claim = make_claim()
    link(claim, make_study(), status=Evidence.Status.PENDING)
    claim_rescore(claim=claim)
    claim.refresh_from_db()
    assert claim.pro_score == 0 and claim.verdict == "Insufficient evidence"


def test_it_records_each_versions_scores_and_evidence_when_published():
    claim = make_claim()
    first = analysis_publish(claim=claim, summary="v1")
    link(claim, make_study(sample_size=18))
    second = analysis_publish(claim=claim, summary="v2", change_note="Added the RCT")
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert (first.pro, first.against, first.verdict) == (0, 0, "Insufficient evidence")
    assert first.evidence_snapshot == []
    assert (second.pro, second.against, second.verdict) == (66, 0, "Strong support")
    assert [row["title"] for row in second.evidence_snapshot] == ["A study"]


def test_it_freezes_a_version_published_without_a_record_when_superseded():
    claim = make_claim()
    legacy = Analysis.objects.create(claim=claim, version=1)
    link(claim, make_study(sample_size=18))
    analysis_publish(claim=claim)
    legacy.refresh_from_db()
    assert (legacy.pro, legacy.verdict) == (66, "Strong support")


def test_it_reads_a_published_claims_version_as_the_orm_does():
    claim = make_claim(slug="versioned")
    draft = make_claim(slug="drafted", status="draft")
    version = Claim.objects.published_version("versioned")
    assert version.pk == claim.pk
    assert version.cache_version == Claim.objects.get(pk=claim.pk).cache_version
    assert Claim.objects.published_version(draft.slug) is None
    assert Claim.objects.published_version("no-such-claim") is None
