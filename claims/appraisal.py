"""Appraising evidence: an editor's judgements on a link, and what they do to the verdict.

Community evidence arrives awaiting appraisal and counts for nothing (design.md §3.1). An editor
appraises it (risk of bias, GRADE concerns and upgrades, each with its reason); before saving,
the admin shows what the claim's verdict and certainty will become (verdict_preview).
"""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scoring import CERTAINTIES

from .models import Evidence
from .services import approved_evidence, claim_scorecard, pooled_in_by_study

OWN_SUBMISSION = "This evidence comes from your own submission: another editor must appraise it."
CERTAINTY_WORDS = {value: label.lower() for value, label in CERTAINTIES}
# What an appraisal may set; the appraisal status and who appraised it are set here.
APPRAISAL_FIELDS = frozenset(
    {
        "stance",
        "finding",
        "strength",
        "certainty",
        "certainty_reason",
        "risk_of_bias_judgement",
        "risk_of_bias_domain",
        "risk_of_bias",
        "risk_of_bias_reason",
        "inconsistency",
        "inconsistency_reason",
        "indirectness",
        "indirectness_reason",
        "imprecision",
        "imprecise",
        "imprecision_reason",
        "publication_bias",
        "publication_bias_reason",
        "large_effect",
        "dose_response",
        "plausible_confounding",
        "upgrade_reason",
    }
)
# The key of an unsaved link in a preview: real keys are evidence pks, never a string.
UNSAVED_KEY = "unsaved"


def ensure_may_appraise(*, awaiting: bool, added_by_id, editor) -> None:
    """Refuse an editor appraising a link from their own submission (still awaiting appraisal):
    the second pair of eyes is the point of appraisal."""
    if awaiting and added_by_id is not None and added_by_id == editor.pk:
        raise ValidationError(OWN_SUBMISSION, code="own_submission")


def needs_appraisal_record(evidence: Evidence) -> bool:
    """Whether saving `evidence` as it is in memory appraises it: it says "appraised" and is
    new or stored as awaiting appraisal (one query for a stored link)."""
    if evidence.appraisal_status != Evidence.Appraisal.APPRAISED:
        return False
    if evidence.pk is None:
        return True
    stored = Evidence.objects.filter(pk=evidence.pk).values_list("appraisal_status", flat=True)
    return stored.first() in (None, Evidence.Appraisal.AWAITING)


@transaction.atomic
def evidence_appraise(*, evidence: Evidence, editor, **judgements) -> Evidence:
    """Set the judgements, mark the link appraised by `editor` now, validate and save.

    Raises ValidationError for a judgement without its reason (Evidence.clean) and for an
    editor appraising their own submission; nothing is saved then. Saving rescores the claim
    (claims.score_sync).
    """
    unknown = set(judgements) - APPRAISAL_FIELDS
    if unknown:
        raise TypeError(f"Not an appraisal field: {', '.join(sorted(unknown))}")
    if evidence.pk is not None:
        # The stored row decides, locked: the caller's object may already say "appraised".
        stored = (
            Evidence.objects.select_for_update()
            .filter(pk=evidence.pk)
            .values_list("appraisal_status", "added_by_id")
            .first()
        )
        if stored is not None:
            status, added_by_id = stored
            ensure_may_appraise(
                awaiting=status == Evidence.Appraisal.AWAITING,
                added_by_id=added_by_id,
                editor=editor,
            )
    for name, value in judgements.items():
        setattr(evidence, name, value)
    evidence.appraisal_status = Evidence.Appraisal.APPRAISED
    evidence.appraised_by = editor
    evidence.appraised_at = timezone.now()
    evidence.full_clean()
    evidence.save()
    return evidence


def verdict_text(verdict: str, certainty: str | None) -> str:
    """ "Moderate support, low certainty"; the verdict alone when no certainty is rated."""
    if not certainty:
        return verdict
    return f"{verdict}, {CERTAINTY_WORDS.get(certainty, certainty)} certainty"


def verdict_preview(
    claim, *, replace=None, add=None, remove=None, evidence=None, pooled=None
) -> str:
    """What the claim's verdict and certainty become with one unsaved change to its evidence:
    `replace` an approved link by an edited copy (same pk), `add` a new link, `remove` one.

    "Strong support, low certainty → Mixed evidence, very low certainty (Pro 66 → 40, …)", or
    "Verdict and certainty unchanged: …". Pass the claim's approved evidence (and the pooled-in
    map, claims.services.pooled_in_by_study) to preview many claims without a query each.
    Nothing is saved.
    """
    if evidence is None:
        evidence = list(approved_evidence([claim.pk]))
    if pooled is None:
        studies = {e.study_id for e in evidence}
        studies |= {e.study_id for e in (replace, add) if e is not None and e.study_id}
        pooled = pooled_in_by_study(studies)
    before = claim_scorecard(claim, evidence, pooled)
    after = claim_scorecard(claim, _changed(evidence, replace, add, remove), pooled)
    return _describe_change(before, after)


def _changed(evidence, replace, add, remove) -> list:
    """The approved links with the change made: an edited link keeps its place in the order
    (it decides ties between publications of one trial) and drops out unless approved."""
    links, replaced = [], False
    for link in evidence:
        if replace is not None and link.pk == replace.pk:
            replaced = True
            if _approved(replace):
                links.append(replace)
        elif remove is None or link.pk != remove.pk:
            links.append(link)
    if _approved(replace) and not replaced:  # stored as pending: approving it adds it
        links.append(replace)
    if _approved(add):
        unsaved = copy.copy(add)
        unsaved.pk = UNSAVED_KEY  # scoring keys items by pk: keep the new one's unique
        links.append(unsaved)
    return links


def _approved(link) -> bool:
    return link is not None and link.status == Evidence.Status.APPROVED


def _describe_change(before, after) -> str:
    was = verdict_text(before.verdict, before.certainty)
    will_be = verdict_text(after.verdict, after.certainty)
    scores = f"Pro {_move(before.pro, after.pro)}, Against {_move(before.against, after.against)}"
    if was == will_be:
        return f"Verdict and certainty unchanged: {was} ({scores})"
    return f"{was} → {will_be} ({scores})"


def _move(before: int, after: int) -> str:
    return str(before) if before == after else f"{before} → {after}"
