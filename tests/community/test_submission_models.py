"""The Submission model: one pending submission per claim and DOI, DOIs normalised."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from community.models import Submission
from community.services import submission_accept
from studies.doi import INVALID_DOI_MESSAGE
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_it_refuses_two_pending_submissions_of_one_doi_for_one_claim(member):
    claim = make_claim()
    fields = {"claim": claim, "submitted_by": member, "doi": "10.1000/x", "rationale": "r"}
    Submission.objects.create(stance="supports", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(stance="contradicts", **fields)


def test_it_normalises_a_submission_doi_link_before_validating_it(member):
    submission = Submission(
        claim=make_claim(),
        submitted_by=member,
        doi="https://doi.org/10.1080/ABC",
        stance="supports",
        rationale="r",
    )
    submission.full_clean()
    assert submission.doi == "10.1080/abc"


def test_it_still_refuses_a_submission_doi_that_is_not_a_doi(member):
    submission = Submission(
        claim=make_claim(), submitted_by=member, doi="nonsense", stance="supports", rationale="r"
    )
    with pytest.raises(ValidationError) as error:
        submission.full_clean()
    assert error.value.message_dict["doi"] == [INVALID_DOI_MESSAGE]


def test_it_normalises_a_doi_link_on_a_submission(member):
    """Editors no longer add submissions in the admin (a forged submitter could then be
    accepted and appraised); a submission's model still normalises a DOI link."""
    submission = Submission(
        claim=make_claim(),
        submitted_by=member,
        doi="https://doi.org/10.1080/ABC",
        stance="supports",
        rationale="Relevant.",
    )
    submission.full_clean()
    submission.save()
    assert Submission.objects.get().doi == "10.1080/abc"


def test_it_marks_a_study_created_from_a_submission_as_design_not_confirmed(
    crossref, editor, member
):
    claim = make_claim()
    submission = Submission.objects.create(
        claim=claim,
        submitted_by=member,
        doi="10.1080/02640414.2024.2321021",
        stance="supports",
        rationale="r",
    )
    accepted = submission_accept(submission=submission, moderator=editor)
    assert accepted.study_created
    assert accepted.evidence.study.design_confirmed is False
