import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    RANK_INVALID,
    VERDICT_INVALID,
    Analysis,
    Claim,
    Evidence,
    Mechanism,
    MechanismStep,
)
from claims.services import analysis_publish, claim_rescore
from scoring import VERDICTS
from tests.factories import link, make_claim, make_study

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
    a, b = make_study(doi="10.1000/a"), make_study(doi="10.1000/b")
    link(claim, a), link(claim, b)  # only studies with a standing link count (issue 18)
    assert step.evidence_level == "Plausible (inferred)"
    step.citations.add(a)
    assert step.evidence_level == "Supported by evidence"
    step.citations.add(b)
    assert step.evidence_level == "Verified by multiple studies"


def test_it_refuses_each_certainty_moving_judgement_without_its_reason():
    claim = make_claim()
    evidence = link(
        claim,
        make_study(),
        certainty="low",
        risk_of_bias_judgement="high",
        inconsistency=1,
        indirectness=1,
        imprecise=True,
        publication_bias=1,
        dose_response=True,
    )
    with pytest.raises(ValidationError) as refused:
        evidence.full_clean()
    assert set(refused.value.message_dict) == {
        "certainty_reason",
        "risk_of_bias_reason",
        "inconsistency_reason",
        "indirectness_reason",
        "imprecision_reason",
        "publication_bias_reason",
        "upgrade_reason",
    }
    for field in refused.value.message_dict:
        setattr(evidence, field, "Because the paper says so.")
    evidence.full_clean()


def test_a_publication_bias_flag_needs_its_reason():
    claim = make_claim()
    claim.publication_bias = True
    with pytest.raises(ValidationError, match="publication bias"):
        claim.full_clean()
    claim.publication_bias_reason = "Small positive trials only."
    claim.full_clean()


def test_it_counts_grade_downgrades_and_upgrades():
    evidence = Evidence(risk_of_bias=1, imprecision=2, large_effect=1, dose_response=True)
    assert (evidence.downgrades, evidence.upgrades) == (3, 2)


def test_it_stores_the_scores_when_rescored():
    claim = make_claim()
    link(claim, make_study(sample_size=18), certainty="moderate")
    card = claim_rescore(claim=claim)
    claim.refresh_from_db()
    assert (claim.pro_score, claim.against_score) == (66, 0) == (card.pro, card.against)
    # One trial of 18: imprecision takes the body of evidence down two levels, and "not
    # assessed" risk of bias one more, so it is very uncertain however many points it earns.
    assert (claim.verdict, claim.certainty) == ("Very uncertain", "very_low")


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
    assert (second.pro, second.against, second.verdict) == (66, 0, "Very uncertain")
    assert (first.certainty, second.certainty) == ("", "very_low")
    assert second.certainty_reasons and all(r.endswith(".") for r in second.certainty_reasons)
    assert [row["title"] for row in second.evidence_snapshot] == ["A study"]


def test_a_version_published_without_a_record_keeps_none_when_superseded():
    """It used to be given the new version's scores: live figures under an old date."""
    claim = make_claim()
    legacy = Analysis.objects.create(claim=claim, version=1)
    link(claim, make_study(sample_size=18))
    v2 = analysis_publish(claim=claim)
    legacy.refresh_from_db()
    assert (legacy.pro, legacy.against, legacy.verdict, legacy.certainty) == (None, None, "", "")
    assert v2.pro == 66 and v2.certainty


def test_it_reads_a_published_claims_version_as_the_orm_does():
    claim = make_claim(slug="versioned")
    draft = make_claim(slug="drafted", status="draft")
    version = Claim.objects.published_version("versioned")
    assert version.pk == claim.pk
    assert version.cache_version == Claim.objects.get(pk=claim.pk).cache_version
    assert version.updated_at == claim.updated_at and timezone.is_aware(version.updated_at)
    assert Claim.objects.published_version(draft.slug) is None
    assert Claim.objects.published_version("no-such-claim") is None


def constrained_rows() -> dict:
    """One valid row of each model with value constraints."""
    claim = make_claim(slug="constrained")
    analysis = Analysis.objects.create(claim=claim, version=1)
    return {
        "claim": claim,
        "evidence": link(claim, make_study()),
        "analysis": analysis,
        "mechanism": Mechanism.objects.create(
            analysis=analysis, kind="most_probable", simple_summary="s"
        ),
        "ideal": claim.ideal_studies.create(rank=1, design="rct", description="d", why="w"),
    }


CONCERN = "must be 0 (no serious concern), 1 (serious) or 2 (very serious)."
# (row, field, a value the database refuses, the message model validation gives)
OUT_OF_RANGE = [
    ("claim", "verdict", "Certain", VERDICT_INVALID),
    ("evidence", "risk_of_bias", 3, f"Risk of bias {CONCERN}"),
    ("evidence", "inconsistency", 3, f"Inconsistency {CONCERN}"),
    ("evidence", "indirectness", 3, f"Indirectness {CONCERN}"),
    ("evidence", "imprecision", 3, f"Imprecision {CONCERN}"),
    ("evidence", "publication_bias", 3, f"Publication bias {CONCERN}"),
    ("evidence", "large_effect", 3, "Large effect must be 0 (no), 1 (large) or 2 (very large)."),
    ("analysis", "verdict", "Certain", VERDICT_INVALID),
    ("analysis", "pro", 101, "Pro and Against scores are at most 100."),
    ("analysis", "against", 101, "Pro and Against scores are at most 100."),
    ("mechanism", "rank", 0, RANK_INVALID),
    ("ideal", "rank", 0, RANK_INVALID),
]
CASES = [pytest.param(*case, id=f"{case[0]}.{case[1]}") for case in OUT_OF_RANGE]


@pytest.mark.parametrize(("row", "field", "value", "message"), CASES)
def test_it_refuses_an_out_of_range_value_even_through_a_queryset_update(
    row, field, value, message
):
    instance = constrained_rows()[row]
    with pytest.raises(IntegrityError), transaction.atomic():
        type(instance).objects.filter(pk=instance.pk).update(**{field: value})


@pytest.mark.parametrize(("row", "field", "value", "message"), CASES)
def test_it_explains_an_out_of_range_value_in_model_validation(row, field, value, message):
    instance = constrained_rows()[row]
    setattr(instance, field, value)
    with pytest.raises(ValidationError) as error:
        instance.validate_constraints()
    assert error.value.messages == [message]
    with pytest.raises(ValidationError):  # and full_clean(), which the admin's forms run
        instance.full_clean()


def test_it_accepts_the_edges_of_each_range():
    rows = constrained_rows()
    rows["analysis"].verdict = ""  # not yet frozen
    rows["analysis"].pro, rows["analysis"].against = 100, None
    rows["evidence"].risk_of_bias = rows["evidence"].large_effect = 2
    rows["evidence"].certainty_reason = "Set from the full text."
    rows["evidence"].risk_of_bias_reason = rows["evidence"].upgrade_reason = "Reported."
    for label in VERDICTS:
        rows["claim"].verdict = label
        rows["claim"].validate_constraints()
    for instance in rows.values():
        instance.full_clean()
        instance.save()


def test_it_tells_an_editor_that_a_rank_starts_at_1(editor_client):
    claim = make_claim()
    analysis = Analysis.objects.create(claim=claim, version=1)
    data = {
        "analysis": analysis.pk,
        "kind": "most_probable",
        "rank": 0,
        "simple_summary": "s",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }
    response = editor_client.post(reverse("admin:claims_mechanism_add"), data)
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not Mechanism.objects.exists()


def test_a_reason_of_invisible_characters_or_too_long_is_refused():
    claim = make_claim()
    evidence = link(claim, make_study(), certainty="", inconsistency=1)
    evidence.inconsistency_reason = "\u200b \u2060"
    with pytest.raises(ValidationError) as refused:
        evidence.full_clean()
    assert "inconsistency_reason" in refused.value.message_dict
    evidence.inconsistency_reason = "x" * 2001
    with pytest.raises(ValidationError, match="under 2000 characters"):
        evidence.full_clean()
    evidence.inconsistency_reason = "Two trials disagree."
    evidence.full_clean()


def test_a_low_risk_of_bias_judgement_with_a_grade_concern_is_refused():
    claim = make_claim()
    evidence = link(
        claim,
        make_study(),
        certainty="",
        risk_of_bias_judgement="low",
        risk_of_bias=2,
        risk_of_bias_reason="Blinded assessors.",
    )
    with pytest.raises(ValidationError, match="contradict each other"):
        evidence.full_clean()


def test_list_counts_leave_out_retracted_studies():
    claim = make_claim()
    link(claim, make_study(doi="10.1000/ok"))
    link(claim, make_study(doi="10.1000/gone", retraction_status="retracted"), stance="contradicts")
    counted = Claim.objects.with_counts().get(pk=claim.pk)
    assert (counted.supporting_count, counted.contradicting_count) == (1, 0)
