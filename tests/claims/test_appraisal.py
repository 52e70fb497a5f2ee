"""Appraisal services: an editor's judgements on a link, and the verdict preview."""

import copy

import pytest
from django.core.exceptions import ValidationError

from claims.appraisal import (
    OWN_SUBMISSION,
    changes_preview,
    evidence_appraise,
    needs_appraisal_record,
    verdict_preview,
)
from claims.models import Claim, Evidence
from claims.services import approved_evidence, claim_scorecard, pooled_in_by_study
from claims.verdict_text import verdict_and_certainty as verdict_text
from community.services import submission_accept
from tests.factories import (
    assert_scores_current,
    link,
    make_claim,
    make_study,
    make_submission,
)

pytestmark = pytest.mark.django_db


def scores(claim) -> tuple:
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)


def described(card) -> str:
    return verdict_text(card.verdict, card.certainty)


@pytest.fixture
def claim():
    """One appraised trial of 400 for the claim (low risk of bias, certainty derived)."""
    claim = make_claim()
    study = make_study(doi="10.1000/lead", title="Lead trial", sample_size=400)
    link(claim, study, certainty="", risk_of_bias_judgement="low")
    return claim


def awaiting(claim, member, **fields) -> Evidence:
    study = make_study(doi="10.1000/community", title="Community trial", sample_size=400)
    defaults = {"stance": "contradicts", "certainty": ""}
    return link(
        claim,
        study,
        appraisal_status=Evidence.Appraisal.AWAITING,
        added_by=member,
        **{**defaults, **fields},
    )


def test_awaiting_evidence_counts_for_nothing_until_appraised(claim, member, editor):
    before = scores(claim)
    evidence = awaiting(claim, member)
    assert scores(claim) == before

    evidence_appraise(evidence=evidence, editor=editor, risk_of_bias_judgement="low")

    evidence.refresh_from_db()
    assert evidence.appraisal_status == Evidence.Appraisal.APPRAISED
    assert evidence.appraised_by == editor
    assert evidence.appraised_at is not None
    assert evidence.risk_of_bias_judgement == "low"
    assert scores(claim)[1] > 0  # the contradicting trial now counts
    assert scores(claim) != before
    assert_scores_current()


def test_it_refuses_a_judgement_without_its_reason_and_saves_nothing(claim, member, editor):
    evidence = awaiting(claim, member)
    before = scores(claim)
    with pytest.raises(ValidationError) as refused:
        evidence_appraise(evidence=evidence, editor=editor, indirectness=1)
    assert "indirectness_reason" in refused.value.message_dict
    evidence.refresh_from_db()
    assert (evidence.appraisal_status, evidence.indirectness) == ("awaiting", 0)
    assert scores(claim) == before


def test_it_takes_the_judgement_with_its_reason(claim, member, editor):
    evidence = awaiting(claim, member)
    evidence_appraise(
        evidence=evidence,
        editor=editor,
        indirectness=1,
        indirectness_reason="Trained men only; the claim is about adults.",
    )
    evidence.refresh_from_db()
    assert evidence.indirectness == 1
    assert evidence.indirectness_reason.startswith("Trained men only")


def test_an_editor_cannot_appraise_their_own_submission(claim, editor):
    evidence = awaiting(claim, editor)
    before = scores(claim)
    with pytest.raises(ValidationError) as refused:
        evidence_appraise(evidence=evidence, editor=editor)
    assert refused.value.messages == [OWN_SUBMISSION]
    evidence.refresh_from_db()
    assert evidence.appraisal_status == "awaiting" and evidence.appraised_by is None
    assert scores(claim) == before


def test_the_stored_status_decides_even_when_the_object_already_says_appraised(claim, editor):
    """The admin copies the form onto the object before saving: the row decides."""
    evidence = awaiting(claim, editor)
    evidence.appraisal_status = Evidence.Appraisal.APPRAISED
    with pytest.raises(ValidationError):
        evidence_appraise(evidence=evidence, editor=editor)
    evidence.refresh_from_db()
    assert evidence.appraisal_status == "awaiting"


def test_an_editor_may_reappraise_evidence_they_added_as_an_editor(claim, editor):
    evidence = Evidence.objects.get(claim=claim)
    evidence.added_by = editor
    evidence.save()
    evidence_appraise(evidence=evidence, editor=editor, strength="partial")
    evidence.refresh_from_db()
    assert (evidence.strength, evidence.appraised_by) == ("partial", editor)


def test_it_refuses_a_field_that_is_not_a_judgement(claim, member, editor):
    with pytest.raises(TypeError):
        evidence_appraise(evidence=awaiting(claim, member), editor=editor, claim_id=1)


def test_preview_of_an_appraisal_says_before_and_after_and_saves_nothing(claim, member):
    evidence = awaiting(claim, member)
    before = scores(claim)
    evidence.appraisal_status = Evidence.Appraisal.APPRAISED  # unsaved

    preview = verdict_preview(claim, replace=evidence)

    live = claim_scorecard(claim)
    after = claim_scorecard(claim, [*approved_evidence([claim.pk])[:1], evidence])
    assert described(live) != described(after)
    assert preview.startswith(f"{described(live)} → {described(after)} (")
    assert f"Against 0 → {after.against}" in preview
    assert scores(claim) == before
    evidence.refresh_from_db()
    assert evidence.appraisal_status == "awaiting"


def test_preview_of_accepting_a_submission_says_unchanged(claim):
    live = claim_scorecard(claim)
    new = Evidence(
        claim=claim,
        stance="contradicts",
        status=Evidence.Status.APPROVED,
        appraisal_status=Evidence.Appraisal.AWAITING,
    )
    preview = verdict_preview(claim, add=new)
    assert preview == (
        f"Verdict and certainty unchanged: {described(live)} "
        f"(Pro {live.pro}, Against {live.against})"
    )
    assert not Evidence.objects.filter(stance="contradicts").exists()


def test_preview_of_an_appraised_addition_and_of_a_removal(claim):
    live = claim_scorecard(claim)
    study = make_study(doi="10.1000/new", title="New trial", sample_size=400)
    new = Evidence(claim=claim, study=study, stance="contradicts", risk_of_bias_judgement="low")
    added = verdict_preview(claim, add=new)
    assert added.startswith(f"{described(live)} → ")
    assert "Against 0 → " in added

    lead = Evidence.objects.get(claim=claim)
    removed = verdict_preview(claim, remove=lead)
    assert removed.startswith(f"{described(live)} → Insufficient evidence (Pro {live.pro} → 0")
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_a_link_set_to_pending_drops_out_of_the_preview(claim):
    lead = Evidence.objects.get(claim=claim)
    lead.status = Evidence.Status.PENDING
    assert "→ Insufficient evidence" in verdict_preview(claim, replace=lead)


def test_preview_with_the_evidence_given_runs_no_query(claim, django_assert_num_queries):
    evidence = list(approved_evidence([claim.pk]))
    pooled = pooled_in_by_study({e.study_id for e in evidence})
    new = Evidence(claim=claim, stance="supports", appraisal_status="awaiting")
    with django_assert_num_queries(0):
        verdict_preview(claim, add=new, evidence=evidence, pooled=pooled)


def test_verdict_text():
    assert verdict_text("Moderate support", "low") == "Moderate support, low certainty"
    assert verdict_text("Very uncertain", "very_low") == "Very uncertain, very low certainty"
    assert verdict_text("Insufficient evidence", "") == "Insufficient evidence"


def test_the_submitter_cannot_reappraise_their_submission_once_another_editor_appraised_it(
    claim, editor, django_user_model
):
    """The defect: the submitter re-opened their own link after another editor appraised it
    and set the judgement they wanted; the appraisal still named the other editor."""
    submitter = django_user_model.objects.create_user("submitter", is_staff=True)
    study = make_study(doi="10.1000/submitted", title="Submitted trial", sample_size=400)
    submission = make_submission(claim, submitter, doi=study.doi, stance="contradicts")
    evidence = submission_accept(submission=submission, moderator=editor).evidence
    evidence_appraise(
        evidence=evidence,
        editor=editor,
        risk_of_bias_judgement="high",
        risk_of_bias=2,
        risk_of_bias_reason="Allocation was not concealed.",
    )
    before = scores(claim)

    with pytest.raises(ValidationError) as refused:
        evidence_appraise(
            evidence=evidence,
            editor=submitter,
            risk_of_bias_judgement="low",
            risk_of_bias=0,
            risk_of_bias_reason="",
        )

    assert refused.value.messages == [OWN_SUBMISSION]
    evidence.refresh_from_db()
    assert (evidence.risk_of_bias_judgement, evidence.appraised_by) == ("high", editor)
    assert scores(claim) == before


def test_a_reappraisal_is_recorded_a_finding_alone_is_not(claim, editor):
    lead = Evidence.objects.get(claim=claim)
    assert not needs_appraisal_record(lead)  # as stored
    lead.finding = "Both groups gained the same."
    assert not needs_appraisal_record(lead)
    lead.risk_of_bias_judgement = "some"
    assert needs_appraisal_record(lead)
    lead.refresh_from_db()
    lead.risk_of_bias_reason = "Reworded: participants knew their group."
    assert needs_appraisal_record(lead)  # the reasons readers see are part of the appraisal


def test_the_combined_preview_of_several_changes_and_an_edited_claim(claim, member):
    community = awaiting(claim, member)
    lead = Evidence.objects.get(claim=claim, stance="supports")
    added = [
        Evidence(
            claim=claim,
            study=make_study(doi=f"10.1000/new-{n}", title=f"New trial {n}", sample_size=400),
            stance="supports",
            risk_of_bias_judgement="low",
        )
        for n in range(2)
    ]
    community.appraisal_status = Evidence.Appraisal.APPRAISED
    edited = Claim.objects.get(pk=claim.pk)
    edited.publication_bias = True

    preview = changes_preview(
        claim, edited_claim=edited, replaced=[community], added=added, removed=[lead]
    )

    keyed = []
    for n, link_ in enumerate(added):  # unsaved links need keys of their own to be scored
        keyed.append(copy.copy(link_))
        keyed[-1].pk = f"new-{n}"
    after = claim_scorecard(edited, [community, *keyed])
    assert preview.startswith(f"{described(claim_scorecard(claim))} → {described(after)} (")
    assert f"Against 0 → {after.against}" in preview
    assert Evidence.objects.filter(claim=claim).count() == 2
