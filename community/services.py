"""Workflows over a member's submission: submit, accept, reject.

Every function is keyword-only and runs its database work in one transaction. Crossref is
asked *before* any row is locked, so a slow Crossref never holds a lock; a Crossref failure
raises `CrossrefError` and changes nothing.
"""

import html
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from claims.models import Claim, Evidence
from claims.text import render_markdown
from core.audit import SUBMISSION, audit_path
from core.limits import hold_to_hourly_limit
from studies import crossref
from studies.doi import normalize_doi
from studies.models import Stance, Study
from studies.services import DESIGN_DEFAULT_NOTICE, study_create_or_update

from .models import Submission

RATIONALE_MAX_LENGTH = 5000
FINDING_MAX_LENGTH = 500

RATIONALE_REQUIRED = "Explain in a sentence or two why this study bears on the claim."
STANCE_INVALID = "Choose whether the study supports or contradicts the claim."
ALREADY_LINKED = {
    Stance.SUPPORTS: "This study is already listed as supporting this claim.",
    Stance.CONTRADICTS: "This study is already listed as contradicting this claim.",
}
ALREADY_PENDING = "This study is already awaiting review for this claim."
RATE_LIMITED = (
    "You have sent {limit} submissions in the last hour, the most we accept. "
    "Please try again later."
)
NOT_PENDING = "This submission has already been {status}."
GONE = "This submission no longer exists (the member or another editor deleted it)."
ALREADY_LINKED_ON_ACCEPT = (
    "{doi} is already linked to this claim (as {stance}); reject this submission with a note."
)
OWN_SUBMISSION = "You submitted this study yourself: another editor must moderate it."
REJECT_NOTE_REQUIRED = "Give the member a reason: the note is shown on their submissions page."


class SubmissionError(Exception):
    """A moderation step that cannot be done; str(error) says why."""


@dataclass(frozen=True)
class Acceptance:
    evidence: Evidence
    study_created: bool

    @property
    def design_notice(self) -> str:
        """What the moderator must check, when the study was created with the default design."""
        if not self.study_created:
            return ""
        study = self.evidence.study
        return DESIGN_DEFAULT_NOTICE.format(title=study.title, label=study.design_label)


def submission_create(*, claim: Claim, user, doi: str, stance: str, rationale: str) -> Submission:
    """File a member's study for a claim; ValidationError if refused (RateLimitExceeded)."""
    doi = _field(normalize_doi, "doi", doi)
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": RATIONALE_REQUIRED})
    if stance not in Stance.values:
        raise ValidationError({"stance": STANCE_INVALID})
    with transaction.atomic():
        hold_to_hourly_limit(
            user=user,
            recent=Submission.objects.filter(submitted_by=user),
            limit=settings.SUBMISSIONS_PER_HOUR,
            message=RATE_LIMITED,
        )
        linked = (
            Evidence.objects.filter(claim=claim, study__doi=doi)
            .values_list("stance", flat=True)
            .first()
        )
        if linked:
            raise ValidationError({"doi": ALREADY_LINKED[linked]})
        if Submission.objects.pending().filter(claim=claim, doi=doi).exists():
            raise ValidationError({"doi": ALREADY_PENDING})
        known = Study.objects.filter(doi=doi).values_list("title", flat=True).first()
        try:
            with transaction.atomic():
                return Submission.objects.create(
                    claim=claim,
                    submitted_by=user,
                    doi=doi,
                    title=known or "",
                    stance=stance,
                    rationale=rationale,
                )
        except IntegrityError:  # another member filed the same DOI a moment ago
            raise ValidationError({"doi": ALREADY_PENDING}) from None


def submission_accept(*, submission: Submission, moderator) -> Acceptance:
    """Accept a pending submission: study, evidence link, moderator, rescore, in one transaction.

    Raises SubmissionError if it is no longer pending, and CrossrefError when the study is new
    and Crossref cannot describe it; either way the submission stays as it was.
    """
    if submission.submitted_by_id == moderator.pk:
        raise SubmissionError(OWN_SUBMISSION)
    _ensure_pending(Submission.objects.filter(pk=submission.pk))
    work = None
    if not Study.objects.filter(doi=submission.doi).exists():
        work = crossref.fetch_work(submission.doi)
    # The audit trail: the study and link written here came through a member's submission.
    with transaction.atomic(), audit_path(SUBMISSION, user=moderator):
        locked = _ensure_pending(
            Submission.objects.select_for_update().select_related("claim").filter(pk=submission.pk)
        )
        study = Study.objects.filter(doi=locked.doi).first()
        created = False
        if study is None:
            study, created = study_create_or_update(
                doi=locked.doi, work=work or crossref.fetch_work(locked.doi)
            )
        existing = Evidence.objects.filter(claim=locked.claim, study=study).first()
        if existing is not None:
            stance = existing.get_stance_display().lower()
            raise SubmissionError(ALREADY_LINKED_ON_ACCEPT.format(doi=locked.doi, stance=stance))
        # Community evidence counts for nothing until an editor appraises it (design.md §3.1);
        # creating it rescores the claim (claims.receivers), which keeps its scores as they were.
        evidence = Evidence.objects.create(
            claim=locked.claim,
            study=study,
            stance=locked.stance,
            status=Evidence.Status.APPROVED,
            appraisal_status=Evidence.Appraisal.AWAITING,
            added_by=locked.submitted_by,
            finding=finding_from(locked.rationale),
        )
        _moderate(locked, Submission.Status.ACCEPTED, moderator, study=study, title=study.title)
    _copy_moderation(locked, submission)
    return Acceptance(evidence=evidence, study_created=created)


def submission_reject(*, submission: Submission, moderator, note: str) -> Submission:
    """Reject a pending submission with a note the member will read."""
    if submission.submitted_by_id == moderator.pk:
        raise SubmissionError(OWN_SUBMISSION)
    note = (note or "").strip()
    if not note:
        raise SubmissionError(REJECT_NOTE_REQUIRED)
    with transaction.atomic():
        locked = _ensure_pending(Submission.objects.select_for_update().filter(pk=submission.pk))
        _moderate(locked, Submission.Status.REJECTED, moderator, moderator_note=note)
    _copy_moderation(locked, submission)
    return submission


def finding_from(rationale: str) -> str:
    """The evidence's one-line finding: the rationale's first line, as plain text."""
    for line in rationale.splitlines():
        text = html.unescape(strip_tags(render_markdown(line.strip()))).strip()
        if text:
            return Truncator(text).chars(FINDING_MAX_LENGTH)
    return ""


def _ensure_pending(submissions) -> Submission:
    submission = submissions.first()
    if submission is None:
        raise SubmissionError(GONE)
    if submission.status != Submission.Status.PENDING:
        status = submission.get_status_display().lower()
        raise SubmissionError(NOT_PENDING.format(status=status))
    return submission


def _moderate(submission: Submission, status: str, moderator, **fields) -> None:
    submission.status = status
    submission.moderator = moderator
    submission.moderated_at = timezone.now()
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.save(
        update_fields=["status", "moderator", "moderated_at", *fields],
    )


def _copy_moderation(source: Submission, target: Submission) -> None:
    """Keep the caller's object in step with the row."""
    if source is target:
        return
    for name in ("status", "study", "title", "moderator", "moderated_at", "moderator_note"):
        setattr(target, name, getattr(source, name))


def _field(function, name: str, value):
    """Call a validator, keying its ValidationError to a form field."""
    try:
        return function(value)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None
