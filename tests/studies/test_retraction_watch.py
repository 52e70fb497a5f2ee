"""The retraction watch (studies/retraction_watch.py, studies/retraction_tasks.py) on recorded
Crossref relations (tests/data/crossref/retractions/README.md), served by a real local server."""

from datetime import date

import pytest
from celery.exceptions import Retry
from django.urls import reverse

from claims.evidence_list import evidence_rows
from claims.models import Claim
from claims.services import approved_evidence, claim_scorecard
from core.audit import split_reason
from jobs.models import Job
from studies.http import FetchError
from studies.models import Study
from studies.retraction_tasks import check_retractions, check_study_retraction
from studies.retraction_watch import (
    NOT_FOUND_MESSAGE,
    apply_retraction,
    check_study,
    fetch_retraction,
    retraction_from_work,
    set_by_watch,
    update_status,
)
from tests.factories import assert_scores_current, link, make_claim, make_study
from tests.retraction_server import (
    MEHRA_LANCET,
    MEHRA_NEJM,
    SPRINGER_SELF,
    WAKEFIELD,
    WAKEFIELD_NOTICE,
    message,
)

# The pure reading of a work's relations.


def test_it_reads_a_retraction_beside_an_older_correction():
    assert retraction_from_work(message("wakefield-1998")) == (
        "retracted",
        WAKEFIELD_NOTICE,
        date(2010, 2, 6),  # from `updated.date-time`: this record has no date-parts
    )


def test_it_reads_a_correction_alone_as_corrected():
    assert retraction_from_work(message("wakefield-1998-corrected")) == (
        "corrected",
        "10.1016/s0140-6736(04)15715-2",
        date(2004, 3, 6),
    )


def test_it_reads_a_record_without_notices_as_none():
    assert retraction_from_work(message("wakefield-1998-lifted")) == ("none", "", None)


def test_a_retraction_notice_is_not_itself_retracted():
    # Its update-to names the Wakefield paper, and its updated-by is null.
    assert retraction_from_work(message("wakefield-notice-2010")) == ("none", "", None)


def test_an_update_to_naming_the_work_itself_counts():
    # The notice's own record, with its DOI set to the work it updates: a publisher that
    # deposits the notice on the article itself (derived from the recorded notice).
    notice = {**message("wakefield-notice-2010"), "DOI": WAKEFIELD}
    assert retraction_from_work(notice).status == "retracted"


def test_it_reads_an_expression_of_concern_without_a_date():
    assert retraction_from_work(message("mehra-nejm-2020")) == (
        "expression_of_concern",
        "10.1056/nejme2020822",
        None,
    )


def test_the_most_severe_notice_wins():
    # Expression of concern, correction, two retractions and an erratum; the paper's own
    # update-to names two of its notices, which say nothing more.
    found = retraction_from_work(message("mehra-lancet-2020"))
    assert found == ("retracted", "10.1016/s0140-6736(20)31324-6", None)


def test_a_notice_naming_only_the_work_itself_keeps_that_doi():
    assert retraction_from_work(message("springer-self-2015")) == (
        "retracted",
        SPRINGER_SELF,
        None,
    )


@pytest.mark.parametrize(
    "kind,status",
    [
        ("retraction", "retracted"),
        ("Retraction", "retracted"),
        ("withdrawal", "retracted"),
        ("removal", "retracted"),
        ("expression_of_concern", "expression_of_concern"),
        ("expression-of-concern", "expression_of_concern"),
        ("partial_retraction", "expression_of_concern"),
        ("correction", "corrected"),
        ("erratum", "corrected"),
        ("corrigendum", "corrected"),
        ("new_version", "none"),
        (None, "none"),
    ],
)
def test_it_maps_update_types(kind, status):
    assert update_status(kind) == status


# Asking Crossref.


def test_it_asks_crossref_politely(retractions, settings):
    settings.CROSSREF_CONTACT = "watch@example.org"
    assert fetch_retraction(MEHRA_NEJM).status == "expression_of_concern"
    (request,) = retractions.requests
    assert request["path"] == f"/works/{MEHRA_NEJM}"
    assert "mailto:watch@example.org" in request["headers"]["User-Agent"]


def test_a_404_is_a_readable_permanent_failure(retractions):
    with pytest.raises(FetchError) as error:
        fetch_retraction("10.5555/unknown")
    assert str(error.value) == NOT_FOUND_MESSAGE.format(doi="10.5555/unknown")
    assert not error.value.transient


def test_a_503_keeps_its_retry_after(retractions):
    retractions.fail(WAKEFIELD, 503, retry_after=7)
    with pytest.raises(FetchError) as error:
        fetch_retraction(WAKEFIELD)
    assert error.value.transient and error.value.retry_after == 7
    assert WAKEFIELD in str(error.value)


# Writing it down: both directions, on the claim's verdict.


def claim_counted(claim) -> set:
    """The studies the claim's live scorecard counts."""
    evidence = list(approved_evidence([claim.pk]))
    rows = evidence_rows(evidence, claim_scorecard(claim, evidence))
    return {row.study.pk for side in rows.values() for row in side if row.counted}


@pytest.fixture
def claim_with_wakefield(db):
    claim = make_claim()
    wakefield = make_study(doi=WAKEFIELD, title="Wakefield 1998", design="rct", sample_size=12)
    other = make_study(doi="10.5555/other", title="Another trial", design="rct", sample_size=80)
    link(claim, wakefield, appraisal_status="appraised")
    link(claim, other, appraisal_status="appraised")
    claim.refresh_from_db()
    return claim, wakefield


def test_a_retraction_takes_the_study_out_of_the_verdict(retractions, claim_with_wakefield):
    claim, study = claim_with_wakefield
    before = claim.pro_score
    counted = claim_counted(claim)
    change = check_study(study)
    study.refresh_from_db()
    assert (change.before, change.after) == ("none", "retracted")
    assert study.retraction_status == "retracted"
    assert study.retraction_notice_doi == WAKEFIELD_NOTICE
    assert study.retraction_date == date(2010, 2, 6)
    assert study.retraction_needs_review and set_by_watch(study)
    claim.refresh_from_db()
    assert claim_counted(claim) == counted - {study.pk}
    assert claim.pro_score < before
    assert_scores_current()


def test_the_audit_trail_names_the_watch_as_the_author_of_a_retraction(
    retractions, claim_with_wakefield
):
    _, study = claim_with_wakefield
    check_study(study)
    record = study.history.order_by("-history_date").first()
    assert record.retraction_status == "retracted"
    assert split_reason(record.history_change_reason) == ("task", "the retraction watch")


def test_lifting_restores_the_study(retractions, claim_with_wakefield):
    claim, study = claim_with_wakefield
    before = (claim_counted(claim), claim.pro_score)
    check_study(study)
    Study.objects.filter(pk=study.pk).update(retraction_needs_review=False)  # reviewed
    retractions.serve(WAKEFIELD, "wakefield-1998-lifted")
    study.refresh_from_db()
    change = check_study(study)
    study.refresh_from_db()
    assert (change.before, change.after, change.kept) == ("retracted", "none", False)
    assert (study.retraction_status, study.retraction_notice_doi, study.retraction_date) == (
        "none",
        "",
        None,
    )
    assert study.retraction_needs_review
    claim.refresh_from_db()
    assert (claim_counted(claim), claim.pro_score) == before
    assert_scores_current()


def test_a_second_check_changes_nothing(retractions, claim_with_wakefield):
    claim, study = claim_with_wakefield
    check_study(study)
    claim.refresh_from_db()
    scored = claim.scored_at
    study.refresh_from_db()
    assert check_study(study) is None
    study.refresh_from_db()
    assert set_by_watch(study)  # still the watch's: it may lift it later
    claim.refresh_from_db()
    assert claim.scored_at == scored  # no save, no rescore


def test_it_lowers_a_retraction_it_set_to_a_correction(retractions, claim_with_wakefield):
    _, study = claim_with_wakefield
    check_study(study)
    retractions.serve(WAKEFIELD, "wakefield-1998-corrected")
    study.refresh_from_db()
    change = check_study(study)
    assert change.after == "corrected"
    study.refresh_from_db()
    assert study.retraction_notice_doi == "10.1016/s0140-6736(04)15715-2"


def test_it_never_lifts_an_editors_retraction(retractions, db):
    study = make_study(
        doi=WAKEFIELD,
        retraction_status="retracted",
        retraction_notice_doi=WAKEFIELD_NOTICE,
        retraction_date=date(2010, 2, 2),
    )
    retractions.serve(WAKEFIELD, "wakefield-1998-lifted")
    change = check_study(study)
    assert change.kept and change.after == "none"
    assert "kept" in change.line()
    study.refresh_from_db()
    assert study.retraction_status == "retracted"
    assert study.retraction_date == date(2010, 2, 2)
    assert study.retraction_needs_review  # kept, and queued for an editor to look at
    assert study.retraction_checked_at is not None


def test_an_editors_save_of_other_fields_keeps_the_watchs_right_to_lift(
    retractions, claim_with_wakefield
):
    """Review: any save (ticking "design confirmed", unticking the review flag) used to hand
    the status to the editor, so a retraction Crossref lifted stayed on the page for good."""
    claim, study = claim_with_wakefield
    check_study(study)
    study.refresh_from_db()
    study.title, study.design_confirmed, study.retraction_needs_review = "Wakefield", True, False
    study.save()  # e.g. the change page, with the retraction fields untouched
    retractions.serve(WAKEFIELD, "wakefield-1998-lifted")
    change = check_study(study)
    assert not change.kept and change.after == "none"
    study.refresh_from_db()
    assert study.retraction_status == "none" and study.retraction_needs_review


def test_an_editors_own_status_is_kept_and_the_disagreement_queued(
    retractions, claim_with_wakefield
):
    _, study = claim_with_wakefield
    check_study(study)
    study.refresh_from_db()
    study.retraction_status = "expression_of_concern"  # the editor's judgement
    study.retraction_needs_review = False
    study.save()
    retractions.serve(WAKEFIELD, "wakefield-1998-lifted")
    assert check_study(study).kept
    study.refresh_from_db()
    assert study.retraction_status == "expression_of_concern"
    assert study.retraction_needs_review  # an editor is told Crossref now disagrees


def test_a_retraction_overrides_an_editors_lower_status(retractions, db):
    study = make_study(
        doi=WAKEFIELD, retraction_status="corrected", retraction_notice_doi="10.1234/c"
    )
    change = check_study(study)
    assert (change.before, change.after, change.kept) == ("corrected", "retracted", False)


def test_apply_takes_a_plain_tuple(db):
    study = make_study(doi="10.5555/tuple")
    change = apply_retraction(study, ("expression_of_concern", "10.1234/eoc", None))
    assert change.after == "expression_of_concern"
    study.refresh_from_db()
    assert study.retraction_notice_doi == "10.1234/eoc"


# The tasks.


def test_the_task_retries_a_503_after_its_retry_after(retractions, db):
    """As a worker runs it (not eager): the 503's Retry-After is the countdown; the retry
    (run inline here, with no broker) finds the retraction."""
    study = make_study(doi=WAKEFIELD)
    retractions.fail(WAKEFIELD, 503, retry_after=7)
    check_study_retraction.push_request(
        id="a-task",
        retries=0,
        is_eager=False,
        called_directly=False,
        args=(),
        kwargs={"study_id": study.pk},
    )
    try:
        with pytest.raises(Retry) as retry:
            check_study_retraction.run(study_id=study.pk)
    finally:
        check_study_retraction.pop_request()
    assert retry.value.when == 7
    assert retractions.requests_for(WAKEFIELD) == 2
    study.refresh_from_db()
    assert study.retraction_status == "retracted"


def test_a_404_fails_the_job_with_its_reason(retractions, db):
    study = make_study(doi="10.5555/unknown")
    assert check_retractions() == 1
    job = Job.objects.get(kind=Job.Kind.RETRACTION_CHECK)
    assert job.state == Job.State.FAILED
    assert job.reason == NOT_FOUND_MESSAGE.format(doi=study.doi)
    assert retractions.requests_for(study.doi) == 1  # not retried


def test_the_periodic_task_checks_due_studies_and_goes_on_after_a_failure(retractions, db):
    failing = make_study(doi="10.5555/unknown", title="Unknown")
    wakefield = make_study(doi=WAKEFIELD, title="Wakefield")
    make_study(doi="", title="No DOI")
    assert check_retractions() == 2
    states = dict(Job.objects.values_list("target_label", "state"))
    assert states == {str(failing): Job.State.FAILED, str(wakefield): Job.State.DONE}
    wakefield.refresh_from_db()
    assert wakefield.retraction_status == "retracted"
    # Both were checked just now: nothing is due until next week.
    failing.refresh_from_db()
    # Review: a 404 left the study unchecked, first in line every night, so a batch of DOIs
    # Crossref does not know crowded out the rest for good. A permanent failure counts as
    # checked (due again next week); a transient one does not.
    assert failing.retraction_checked_at is not None
    assert check_retractions() == 0


def test_the_nightly_batch_covers_a_week_of_due_studies(retractions, db, monkeypatch):
    monkeypatch.setattr("studies.retraction_tasks.BATCH_SIZE", 2)
    for i in range(30):
        make_study(doi=f"10.5555/batch-{i}", title=f"Batch {i}")
    assert check_retractions() == 5  # 30 due, spread over 7 nights: at least ceil(30 / 7)


def test_a_job_run_twice_does_nothing_more(retractions, claim_with_wakefield):
    claim, study = claim_with_wakefield
    check_study_retraction.delay(study_id=study.pk)
    claim.refresh_from_db()
    scored = claim.scored_at
    assert check_study_retraction.delay(study_id=study.pk).get() == f"unchanged {WAKEFIELD}"
    assert Claim.objects.get(pk=claim.pk).scored_at == scored


def test_the_lancet_record_through_the_server(retractions, db):
    study = make_study(doi=MEHRA_LANCET)
    check_study(study)
    study.refresh_from_db()
    assert study.retraction_notice_doi == "10.1016/s0140-6736(20)31324-6"


# The editors' queue in the admin.


def test_the_admin_queue_lists_and_clears_the_watchs_changes(retractions, editor_client):
    changed = make_study(doi=WAKEFIELD, title="Wakefield")
    quiet = make_study(doi="10.5555/quiet", title="Quiet")
    check_study(changed)
    url = reverse("admin:studies_study_changelist")
    queue = editor_client.get(url, {"retraction_needs_review__exact": "1"})
    assert queue.status_code == 200
    assert list(queue.context["cl"].result_list) == [Study.objects.get(pk=changed.pk)]
    assert "retraction change to review" in queue.content.decode().lower()
    response = editor_client.post(
        url,
        {"action": "mark_retraction_reviewed", "_selected_action": [changed.pk, quiet.pk]},
        follow=True,
    )
    assert "Marked 1 retraction change as reviewed." in response.content.decode()
    changed.refresh_from_db()
    assert not changed.retraction_needs_review
    assert set_by_watch(changed)  # reviewing keeps the watch's right to lift it
