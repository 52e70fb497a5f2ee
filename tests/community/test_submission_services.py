"""submission_create / submission_accept / submission_reject, against a real Crossref stand-in."""

import socket

import pytest
from django.core.exceptions import ValidationError

from claims.models import Evidence
from community.models import Submission
from community.services import (
    ALREADY_LINKED_ON_ACCEPT,
    FINDING_MAX_LENGTH,
    GONE,
    NOT_PENDING,
    RATE_LIMITED,
    REJECT_NOTE_REQUIRED,
    STANCE_INVALID,
    SubmissionError,
    finding_from,
    submission_accept,
    submission_create,
    submission_reject,
)
from core.limits import RateLimitExceeded
from studies import crossref as client
from studies.models import Study
from studies.services import DEFAULT_DESIGN
from tests.factories import link, make_claim, make_study, make_submission

pytestmark = pytest.mark.django_db

REFALO = "10.1080/02640414.2024.2321021"


@pytest.fixture
def claim():
    return make_claim()


@pytest.fixture
def closed_port(settings):
    """Crossref unreachable: nothing listens on the port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CROSSREF_API_URL = f"http://127.0.0.1:{port}"


def test_it_creates_a_pending_submission(claim, member):
    submission = submission_create(
        claim=claim, user=member, doi=f"doi:{REFALO}", stance="supports", rationale=" Why. "
    )
    assert (submission.doi, submission.rationale, submission.status) == (REFALO, "Why.", "pending")


def test_it_raises_the_rate_limit_as_its_own_error(claim, member, settings):
    settings.SUBMISSIONS_PER_HOUR = 1
    submission_create(claim=claim, user=member, doi="10.5555/a", stance="supports", rationale="r")
    with pytest.raises(RateLimitExceeded) as error:
        submission_create(
            claim=claim, user=member, doi="10.5555/b", stance="supports", rationale="r"
        )
    assert error.value.messages == [RATE_LIMITED.format(limit=1)]


def test_it_refuses_an_unknown_stance(claim, member):
    with pytest.raises(ValidationError) as error:
        submission_create(claim=claim, user=member, doi=REFALO, stance="meh", rationale="r")
    assert error.value.message_dict == {"stance": [STANCE_INVALID]}


def test_it_accepts_with_a_new_study_from_crossref(crossref, claim, member, editor):
    submission = make_submission(claim, member, doi=REFALO, stance="contradicts")
    accepted = submission_accept(submission=submission, moderator=editor)

    study = Study.objects.get(doi=REFALO)
    assert study.title.startswith("Similar muscle hypertrophy")
    assert study.design == DEFAULT_DESIGN
    assert accepted.study_created
    assert "Check the design" in accepted.design_notice
    evidence = Evidence.objects.get()
    assert evidence == accepted.evidence
    assert (evidence.claim, evidence.study, evidence.stance) == (claim, study, "contradicts")
    assert (evidence.status, evidence.added_by) == ("approved", member)
    assert evidence.certainty == ""  # derived from the design until an editor judges it
    assert evidence.appraisal_status == "awaiting"  # and it counts for nothing until then
    assert evidence.finding == "Failure and 1-2 RIR gave similar growth."
    submission.refresh_from_db()
    assert (submission.status, submission.study, submission.moderator) == (
        "accepted",
        study,
        editor,
    )
    assert submission.moderated_at is not None
    assert submission.title == study.title
    claim.refresh_from_db()
    assert (claim.against_score, claim.pro_score, claim.verdict) == (0, 0, "Insufficient evidence")


def test_it_reuses_a_known_study_without_asking_crossref(closed_port, claim, member, editor):
    study = make_study(doi=REFALO, design="rct", sample_size=18)
    submission = make_submission(claim, member, doi=REFALO, stance="supports")
    accepted = submission_accept(submission=submission, moderator=editor)
    assert accepted.evidence.study == study
    assert not accepted.study_created
    assert accepted.design_notice == ""
    assert Study.objects.count() == 1
    claim.refresh_from_db()
    assert claim.pro_score == 0  # awaiting appraisal
    evidence = accepted.evidence
    evidence.appraisal_status = Evidence.Appraisal.APPRAISED
    evidence.save()
    claim.refresh_from_db()
    assert claim.pro_score > 0


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_an_editor_cannot_moderate_their_own_submission(claim, editor, action):
    submission = make_submission(claim, editor)
    with pytest.raises(SubmissionError, match="another editor"):
        if action == "accept":
            submission_accept(submission=submission, moderator=editor)
        else:
            submission_reject(submission=submission, moderator=editor, note="no")
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_it_keeps_the_submission_pending_when_crossref_fails(crossref, claim, member, editor):
    submission = make_submission(claim, member, doi="10.5555/unknown")
    with pytest.raises(client.CrossrefError) as error:
        submission_accept(submission=submission, moderator=editor)
    assert str(error.value) == client.NOT_FOUND_MESSAGE.format(doi="10.5555/unknown")
    submission.refresh_from_db()
    assert (submission.status, submission.moderator, submission.study) == ("pending", None, None)
    assert not Study.objects.exists()
    assert not Evidence.objects.exists()


def test_it_keeps_the_submission_pending_when_crossref_is_unreachable(
    closed_port, claim, member, editor
):
    submission = make_submission(claim, member)
    with pytest.raises(client.CrossrefError):
        submission_accept(submission=submission, moderator=editor)
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert not Evidence.objects.exists()


def test_it_accepts_a_submission_only_once(closed_port, claim, member, editor):
    make_study(doi=REFALO)
    submission = make_submission(claim, member, doi=REFALO)
    stale = Submission.objects.get(pk=submission.pk)  # loaded before the first accept
    submission_accept(submission=submission, moderator=editor)
    with pytest.raises(SubmissionError) as error:
        submission_accept(submission=stale, moderator=editor)
    assert str(error.value) == NOT_PENDING.format(status="accepted")
    assert Evidence.objects.count() == 1


def test_it_refuses_to_accept_a_rejected_submission(claim, member, editor):
    submission = make_submission(claim, member)
    submission_reject(submission=submission, moderator=editor, note="Off topic.")
    with pytest.raises(SubmissionError) as error:
        submission_accept(submission=submission, moderator=editor)
    assert str(error.value) == NOT_PENDING.format(status="rejected")


def test_it_refuses_to_accept_a_study_linked_meanwhile(closed_port, claim, member, editor):
    submission = make_submission(claim, member, doi=REFALO, stance="contradicts")
    link(claim, make_study(doi=REFALO), stance="supports")
    with pytest.raises(SubmissionError) as error:
        submission_accept(submission=submission, moderator=editor)
    assert str(error.value) == ALREADY_LINKED_ON_ACCEPT.format(doi=REFALO, stance="supports")
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert Evidence.objects.count() == 1


def test_it_rejects_with_a_note(claim, member, editor):
    submission = make_submission(claim, member)
    submission_reject(submission=submission, moderator=editor, note="  An animal study.  ")
    submission.refresh_from_db()
    assert (submission.status, submission.moderator) == ("rejected", editor)
    assert submission.moderator_note == "An animal study."
    assert submission.moderated_at is not None
    assert not Evidence.objects.exists()


def test_it_needs_a_note_to_reject(claim, member, editor):
    submission = make_submission(claim, member)
    with pytest.raises(SubmissionError) as error:
        submission_reject(submission=submission, moderator=editor, note="  ")
    assert str(error.value) == REJECT_NOTE_REQUIRED
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_it_rejects_only_pending_submissions(claim, member, editor):
    submission = make_submission(claim, member)
    submission_reject(submission=submission, moderator=editor, note="No.")
    with pytest.raises(SubmissionError) as error:
        submission_reject(submission=submission, moderator=editor, note="Again.")
    assert str(error.value) == NOT_PENDING.format(status="rejected")


def test_it_takes_the_finding_from_the_first_line_of_the_rationale():
    assert finding_from("\n\n## Found **no** difference\nmore") == "Found no difference"
    assert finding_from("- a bullet & [a link](https://e.org)") == "a bullet & a link"
    long = finding_from("x" * 900)
    assert len(long) == FINDING_MAX_LENGTH and long.endswith("…")


@pytest.mark.parametrize("moderate", ["accept", "reject"])
def test_it_refuses_to_moderate_a_submission_deleted_meanwhile(claim, member, editor, moderate):
    submission = make_submission(claim, member, doi=REFALO)
    Submission.objects.filter(pk=submission.pk).delete()
    with pytest.raises(SubmissionError) as error:
        if moderate == "accept":
            submission_accept(submission=submission, moderator=editor)
        else:
            submission_reject(submission=submission, moderator=editor, note="No")
    assert str(error.value) == GONE
    assert not Evidence.objects.exists()
