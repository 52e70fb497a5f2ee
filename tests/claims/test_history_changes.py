"""The History page's list of what changed between two versions, and each change's share."""

import re

import pytest
from django.urls import reverse

import scoring
from claims.history import version_history
from claims.models import Analysis, Evidence
from claims.services import analysis_publish
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


def history(client, claim) -> str:
    return client.get(reverse("claim-history", args=[claim.slug])).content.decode()


def test_a_retracted_study_is_a_change_retracted(client):
    claim = make_claim()
    kept = make_study(doi="10.1000/kept", title="Kept trial", sample_size=100)
    gone = make_study(doi="10.1000/gone", title="Gone trial", authors="Doe, J; Roe, R",
                      year=2023, sample_size=40)  # fmt: skip
    link(claim, kept, certainty="high")
    link(claim, gone, certainty="moderate")
    v1 = analysis_publish(claim=claim)
    gone.retraction_status = "retracted"
    gone.save()
    claim.refresh_from_db()
    [since, _] = version_history(claim)
    assert since.summary == "Since v1: 1 study retracted (Doe et al. 2023)"
    [change] = since.changes
    assert change.text == "Doe et al. 2023 retracted: no longer counted"
    assert change.effect == f"Pro −{v1.pro - claim.pro_score}"
    assert since.movement.startswith(f"Pro {v1.pro} → {claim.pro_score}")
    html = history(client, claim)
    assert "Doe et al. 2023 retracted: no longer counted: <strong>Pro −" in html
    gone.retraction_status = "none"  # a mistaken retraction undone: v1's basis again
    gone.save()
    assert [row.label for row in version_history(claim)] == ["Analysis v1"]


def test_a_study_counted_again_is_its_own_change(client):
    claim = make_claim()
    study = make_study(doi="10.1000/r", title="Back trial", sample_size=18,
                       retraction_status="retracted")  # fmt: skip
    link(claim, study, certainty="moderate")
    v1 = analysis_publish(claim=claim)
    assert v1.pro == 0 and v1.evidence_snapshot[0]["not_counted"] == scoring.RETRACTED
    assert "1 more not counted: retracted" in history(client, claim)
    study.retraction_status = "none"
    study.save()
    [since, _] = version_history(claim)
    [change] = since.changes
    assert (
        change.text == "Back trial counted again as supporting (43.4 study points; was retracted)"
    )
    assert change.effect == "Pro +66"
    assert since.summary == "Since v1: 1 study counted again (Back trial)"


def test_a_study_pooled_in_a_counted_review_is_no_longer_counted(client):
    claim = make_claim()
    trial = make_study(doi="10.1000/trial", title="Pooled trial", sample_size=40)
    link(claim, trial, certainty="moderate")
    analysis_publish(claim=claim)
    review = make_study(doi="10.1000/review", title="The review", design="meta_analysis_rct",
                        sample_size=400)  # fmt: skip
    link(claim, review, certainty="moderate")
    trial.pooled_in.add(review)
    [since, _] = version_history(claim)
    texts = [change.text for change in since.changes]
    assert texts[0] == "Pooled trial no longer counted (pooled in a review counted here)"
    assert texts[1].startswith("The review added as supporting")
    assert since.summary == (
        "Since v1: 1 study added (The review), 1 study no longer counted (Pooled trial)"
    )


def test_it_credits_each_change_with_its_share_of_the_move(client):
    claim = make_claim()
    cohort = make_study(doi="10.1000/c", title="C", authors="Hermann, T; Lee, K", year=2025,
                        design="cohort", sample_size=50)  # fmt: skip
    gone = make_study(doi="10.1000/g", title="Gone trial", design="rct", sample_size=30)
    evidence = link(claim, cohort, certainty="low")
    link(claim, gone, stance="contradicts", certainty="low")
    first = analysis_publish(claim=claim)
    Evidence.objects.filter(pk=evidence.pk).update(certainty="moderate")
    Evidence.objects.filter(study=gone).delete()
    link(claim, make_study(doi="10.1000/n", title="New RCT", sample_size=100), certainty="high")
    second = analysis_publish(claim=claim)
    [latest, *_] = version_history(claim)
    texts = [change.text for change in latest.changes]
    assert texts[0] == "Gone trial removed (was contradicting)"
    assert texts[1].startswith("Hermann et al. 2025: certainty low → moderate;")
    assert texts[2].startswith("New RCT added as supporting")
    assert latest.summary == (
        "Since v1: 1 study added (New RCT), 1 study removed (Gone trial), "
        "1 study re-appraised (Hermann et al. 2025)"
    )
    # Recomputed with the scoring module, one change at a time: they add up to the move.
    pro = against = 0
    for change in latest.changes:
        for side, sign, amount in re.findall(r"(Pro|Against) ([+−])(\d+)", change.effect):
            value = int(amount) * (1 if sign == "+" else -1)
            pro, against = (pro + value, against) if side == "Pro" else (pro, against + value)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (pro, against) == (second.pro - first.pro, second.against - first.against)
    assert against < 0 < pro
    html = history(client, claim)
    assert "Each change is counted in the order listed" in html


def test_it_lists_what_the_snapshots_cannot_explain_on_its_own(client):
    claim = make_claim()
    link(claim, make_study(doi="10.1000/a", title="A trial", sample_size=18))
    analysis_publish(claim=claim)
    analysis_publish(claim=claim)
    Analysis.objects.filter(claim=claim, version=1).update(pro=60)  # as if scored by old rules
    [latest, _] = version_history(claim)
    assert [(c.text, c.effect) for c in latest.changes] == [
        ("Changes to the scoring rules, or rounding", "Pro +6")
    ]


def test_it_names_the_appraisal_changes_behind_a_study_s_points(client):
    """The defect: "certainty low → moderate; 23.3 → 21.7 study points" with no reason; the
    snapshot rows hold the appraisal, so History names what changed in it."""
    claim = make_claim()
    trial = make_study(doi="10.1000/t", title="Trial", authors="Refalo, M; Helms, E", year=2024,
                       sample_size=18)  # fmt: skip
    evidence = link(claim, trial, certainty="")  # derived: high for an RCT; not assessed
    v1 = analysis_publish(claim=claim)
    evidence.strength = "partial"
    evidence.risk_of_bias_judgement, evidence.risk_of_bias = "some", 1
    evidence.risk_of_bias_reason = "Unblinded participants."
    evidence.indirectness, evidence.indirectness_reason = 1, "Other exercise."
    evidence.imprecise, evidence.imprecision_reason = True, "Interval includes no difference."
    evidence.full_clean()
    evidence.save()
    [since, _] = version_history(claim)
    [change] = since.changes
    [was] = v1.evidence_snapshot
    [now] = since.snapshot
    assert change.text == (
        "Refalo et al. 2024: certainty high → low; finding now partial (was clear); risk of bias "
        "some concerns (was not assessed); indirectness serious (was none); now imprecise (was "
        f"not); {was['points']} → {now['points']} study points"
    )
    assert since.summary == "Since v1: 1 study re-appraised (Refalo et al. 2024)"
    assert "finding now partial (was clear); risk of bias some concerns" in history(client, claim)


def test_a_judgement_that_moves_no_points_is_still_named(client):
    claim = make_claim()
    evidence = link(claim, make_study(doi="10.1000/t", title="Trial", sample_size=18))
    analysis_publish(claim=claim)  # typed moderate: the RoB judgement does not move points
    evidence.risk_of_bias_judgement, evidence.risk_of_bias_reason = "high", "No allocation."
    evidence.imprecise, evidence.imprecision_reason = True, "Wide interval."
    evidence.save()
    [since, v1] = version_history(claim)
    assert [(c.text, c.effect) for c in since.changes] == [
        (
            "Trial: risk of bias high (was not assessed); now imprecise (was not)",
            "no effect on the scores",
        )
    ]
    # Already very low (not assessed counts as some concerns; 18 participants): the entry is
    # listed because the basis changed, though nothing it shows moved.
    assert since.movement == "Scores, certainty and verdict unchanged"
    evidence.risk_of_bias_judgement, evidence.imprecise = "low", False
    evidence.save()
    [since, _] = version_history(claim)
    assert since.changes[0].text == "Trial: risk of bias low (was not assessed)"


def test_rows_recorded_before_they_held_the_appraisal_say_nothing_of_it(client):
    claim = make_claim()
    evidence = link(claim, make_study(doi="10.1000/t", title="Trial", sample_size=18))
    v1 = analysis_publish(claim=claim)
    appraisal = ("strength", "risk_of_bias", "indirectness", "imprecise")
    old_rows = [{k: v for k, v in row.items() if k not in appraisal}
                for row in v1.evidence_snapshot]  # fmt: skip
    Analysis.objects.filter(pk=v1.pk).update(evidence_snapshot=old_rows, basis_digest="")
    evidence.strength = "partial"
    evidence.risk_of_bias_judgement, evidence.risk_of_bias_reason = "some", "Unblinded."
    evidence.save()
    [since, _] = version_history(claim)
    [change] = since.changes
    assert change.text == "Trial: 43.4 → 21.7 study points"


def test_a_study_awaiting_appraisal_is_not_called_removed(client, editor):
    claim = make_claim()
    kept = make_study(doi="10.1000/k", title="Kept", sample_size=40)
    back = make_study(doi="10.1000/b", title="Back", authors="Goli, A; Nunes, J", year=2026,
                      sample_size=30)  # fmt: skip
    link(claim, kept)
    evidence = link(claim, back)
    analysis_publish(claim=claim)
    evidence.appraisal_status = Evidence.Appraisal.AWAITING  # sent back: nobody appraised it
    evidence.save()
    analysis_publish(claim=claim)
    [v2, v1] = version_history(claim)
    texts = [c.text for c in v2.changes]
    assert texts == ["Goli et al. 2026 not counted: awaiting appraisal (was supporting)"]
    assert v2.summary == "Since v1: 1 study awaiting appraisal (Goli et al. 2026)"
    assert "removed" not in history(client, claim)
    Evidence.objects.filter(pk=evidence.pk).delete()  # now it is gone from the claim
    [v2, _] = version_history(claim)
    assert [c.text for c in v2.changes] == ["Goli et al. 2026 removed (was supporting)"]
