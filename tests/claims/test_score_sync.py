"""One source of truth: after every kind of write, each claim's stored scores (lists, feed,
the API list) equal its live scorecard (page, JSON, API detail, exports, History)."""

import threading
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction

from claims.models import Claim, Evidence
from claims.services import analysis_publish, claim_scorecard, claims_rescore
from community.models import Submission
from community.services import submission_accept
from studies.models import Study
from tests.factories import (
    assert_scores_current,
    link,
    make_claim,
    make_study,
    stored_and_live,
)

pytestmark = pytest.mark.django_db


def scores(claim) -> tuple:
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)


def test_evidence_written_through_the_orm_is_in_the_stored_scores():
    """The defect: an ORM write gave 0/0 in the API list and 86/0 in the API detail."""
    claim = make_claim()
    link(claim, make_study(sample_size=100), certainty="high")
    stored, live = stored_and_live(claim)
    assert stored == live
    assert stored[0] == 86


def test_editing_and_deleting_evidence_through_the_orm_keeps_stored_equal_to_live():
    claim = make_claim()
    evidence = link(claim, make_study(sample_size=100), certainty="high")
    evidence.stance = "contradicts"
    evidence.save()
    assert scores(claim)[:2] == (0, 86)
    assert_scores_current()
    evidence.delete()
    assert scores(claim)[:3] == (0, 0, "Insufficient evidence")
    assert_scores_current()


def test_a_study_edit_rescores_every_claim_it_informs():
    study = make_study(sample_size=100)
    first, second = make_claim(slug="first"), make_claim(slug="second")
    link(first, study, certainty="high")
    link(second, study, certainty="high")
    study.retraction_status = "retracted"
    study.save()
    assert scores(first)[:3] == (0, 0, "Insufficient evidence")
    assert scores(second)[:3] == (0, 0, "Insufficient evidence")
    assert_scores_current()


def test_pooled_in_changes_rescore_both_ways():
    claim = make_claim()
    review = make_study(design="meta_analysis_rct", sample_size=400, title="Review")
    trial = make_study(sample_size=100, title="Trial")
    link(claim, review, certainty="high")
    link(claim, trial, certainty="high")
    both = scores(claim)
    trial.pooled_in.add(review)
    pooled = scores(claim)
    assert pooled[0] < both[0]  # the trial's patients now count once, through the review
    assert_scores_current()
    review.pools.clear()
    assert scores(claim) == both
    assert_scores_current()
    review.pools.add(trial)
    assert scores(claim) == pooled
    trial.pooled_in.remove(review)
    assert scores(claim) == both
    assert_scores_current()


def test_claim_edits_that_change_scoring_inputs_rescore_it():
    claim = make_claim()
    link(claim, make_study(sample_size=100), certainty="high")
    before = scores(claim)
    claim.publication_bias = True
    claim.publication_bias_reason = "Only positive trials were published."
    claim.save()
    after = scores(claim)
    assert after[:2] == before[:2]  # publication bias moves certainty, never points
    assert after[3] != before[3]
    assert_scores_current()


def test_accepting_a_submission_changes_no_score_until_it_is_appraised(member, editor):
    """The defect: accepting one community submission flipped 'Strong support 66/0' to
    'Leaning against 66/84' with a derived High certainty nobody had judged."""
    claim = make_claim()
    link(claim, make_study(sample_size=18, doi="10.1000/first"), certainty="moderate")
    Study.objects.create(doi="10.1000/known", title="Known", design="rct", sample_size=400)
    before = scores(claim)
    submission = Submission.objects.create(
        claim=claim, submitted_by=member, doi="10.1000/known", stance="contradicts", rationale="x"
    )
    acceptance = submission_accept(submission=submission, moderator=editor)
    assert acceptance.evidence.appraisal_status == Evidence.Appraisal.AWAITING
    assert scores(claim) == before
    assert claim_scorecard(claim).counted == 1
    assert_scores_current()
    evidence = acceptance.evidence
    evidence.appraisal_status = Evidence.Appraisal.APPRAISED
    evidence.save()
    assert scores(claim)[1] > 0
    assert_scores_current()


def test_publishing_an_analysis_records_the_scorecard_and_leaves_scores_current():
    claim = make_claim()
    link(claim, make_study(sample_size=18))
    analysis = analysis_publish(claim=claim, summary="First.")
    card = claim_scorecard(claim)
    assert (analysis.pro, analysis.against, analysis.verdict) == (
        card.pro,
        card.against,
        card.verdict,
    )
    assert analysis.certainty == card.certainty
    assert analysis.certainty_reasons == list(card.certainty_reasons)
    assert analysis.basis_digest == Claim.objects.get(pk=claim.pk).basis_digest
    assert_scores_current()


def test_a_bulk_write_is_repaired_by_rescore():
    claim = make_claim()
    evidence = link(claim, make_study(sample_size=100), certainty="high")
    Evidence.objects.filter(pk=evidence.pk).update(stance="contradicts")  # no signals
    assert stored_and_live(claim)[0] != stored_and_live(claim)[1]
    call_command("rescore", verbosity=0)
    assert_scores_current()


def test_loading_the_demo_fixture_leaves_stored_equal_to_live(db):
    call_command("loaddata", "demo", verbosity=0)  # no rescore: the fixture's own scores
    assert_scores_current()


def test_migrate_rescores_every_claim(db):
    claim = make_claim()
    evidence = link(claim, make_study(sample_size=100), certainty="high")
    Evidence.objects.filter(pk=evidence.pk).update(stance="contradicts")
    call_command("migrate", verbosity=0)  # nothing to apply; the post_migrate rescore runs
    assert_scores_current()


postgres_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: two connections writing at once",
)


def run_at_once(*jobs, before_join=None) -> list[Exception]:
    """Run each job on its own thread and connection; the errors they raised."""
    errors: list[Exception] = []

    def run(job):
        try:
            job()
        except Exception as error:  # noqa: BLE001 - the test asserts there are none
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    if before_join is not None:
        before_join()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def rescoring(times: int, barrier=None):
    def job():
        if barrier is not None:
            barrier.wait(timeout=10)
        for _ in range(times):
            claims_rescore()

    return job


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_evidence_writes_racing_leave_stored_equal_to_live():
    claim = make_claim()
    studies = [make_study(sample_size=100, title=f"S{i}") for i in range(6)]
    barrier = threading.Barrier(3)

    def adding(group):
        def job():
            barrier.wait(timeout=10)
            for study in group:
                Evidence.objects.create(
                    claim=claim,
                    study=study,
                    certainty="high",
                    stance=("supports" if study.pk % 2 else "contradicts"),
                )

        return job

    errors = run_at_once(adding(studies[:3]), adding(studies[3:]), rescoring(5, barrier))
    assert not errors
    assert Evidence.objects.filter(claim=claim).count() == 6
    assert_scores_current()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rescore_racing_an_acceptance_and_appraisal_leaves_stored_equal_to_live(member, editor):
    claim = make_claim()
    link(claim, make_study(sample_size=18, title="First"), certainty="moderate")
    Study.objects.create(doi="10.1000/race", title="Raced", design="rct", sample_size=400)
    submission = Submission.objects.create(
        claim=claim, submitted_by=member, doi="10.1000/race", stance="contradicts", rationale="x"
    )
    barrier = threading.Barrier(2)

    def accept_and_appraise():
        barrier.wait(timeout=10)
        evidence = submission_accept(submission=submission, moderator=editor).evidence
        evidence.appraisal_status = Evidence.Appraisal.APPRAISED
        evidence.save()

    assert not run_at_once(accept_and_appraise, rescoring(10, barrier))
    assert scores(claim)[1] > 0
    assert_scores_current()


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rescore_waits_for_an_open_write_and_then_scores_it():
    """The defect: `rescore` read without locks, so running while an editor's write was open
    it computed the old score and wrote it over the new one once the write had committed."""
    claim = make_claim()
    study = make_study(sample_size=100)
    # A stale stored score, so a rescore that read the evidence before the write committed
    # would have something to write: 0 over the writer's 86.
    Claim.objects.filter(pk=claim.pk).update(pro_score=5)
    written, release = threading.Event(), threading.Event()

    def editor_write():
        with transaction.atomic():
            Evidence.objects.create(claim=claim, study=study, stance="supports", certainty="high")
            written.set()
            release.wait(timeout=10)  # the rescore starts while this is uncommitted

    def rescore_once_written():
        written.wait(timeout=10)
        claims_rescore()

    def release_once_rescore_waits():
        written.wait(timeout=10)
        time.sleep(0.5)  # the rescore is now waiting for the claim's row lock
        release.set()

    errors = run_at_once(editor_write, rescore_once_written, before_join=release_once_rescore_waits)
    assert not errors
    assert scores(claim)[0] == 86
    assert_scores_current()
