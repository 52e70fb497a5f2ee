"""Appraising evidence: an editor's judgements on a link, and what they do to the verdict.

Community evidence arrives awaiting appraisal and counts for nothing (design.md §3.1). An editor
appraises it (risk of bias, GRADE concerns and upgrades, each with its reason); before saving,
the admin shows what the claim's verdict and certainty will become (verdict_preview).
"""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from studies.models import Study

from .models import Evidence
from .models.effect import EffectFields
from .services import approved_evidence, claim_scorecard, pooled_in_by_study
from .verdict_text import verdict_and_certainty

OWN_SUBMISSION = "This evidence comes from your own submission: another editor must appraise it."
OWN_PENDING = (
    "You submitted this study for this claim and it awaits review: another editor must accept it."
)
# What an appraisal may set, in the order readers see them (the Changes page lists a link's
# fields in this order); the appraisal status and who appraised it are set here.
APPRAISAL_FIELD_ORDER = (
    "stance",
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
    "strength",
    "finding",
)
APPRAISAL_FIELDS = frozenset(APPRAISAL_FIELD_ORDER)
# A change to any of these re-appraises an appraised link: who appraised it and when are
# recorded again (the finding line is a description, not a judgement).
JUDGEMENT_FIELDS = APPRAISAL_FIELDS - {"finding"}
# What the submitter of a link may never change once it comes from their own submission.
# The effect the study reports is the appraisal's input too: its CI decides imprecision and
# the forest plot shows it.
EFFECT_FIELDS = frozenset(field.name for field in EffectFields._meta.local_fields)
OWN_LINK_FIELDS = APPRAISAL_FIELDS | EFFECT_FIELDS | {"appraisal_status", "status", "study"}
# What can move the verdict or the certainty: an inline change to one is previewed first.
SCORED_FIELDS = frozenset(
    {"study", "status"}
    | {name for name in Evidence.SCORING_FIELDS if "__" not in name and not name.endswith("_id")}
)
# The key of an unsaved link in a preview: real keys are evidence pks, never a string.
UNSAVED_KEY = "unsaved"


def from_own_submission(*, claim_id, study_id, editor) -> bool:
    """Whether `editor` submitted this study for this claim (an accepted submission names
    the study it created or reused). Through the user's `submissions` (community.Submission):
    claims never imports community, which builds on it."""
    return editor.submissions.filter(claim_id=claim_id, study_id=study_id).exists()


def ensure_may_add(*, claim_id, study_id, editor) -> None:
    """Refuse an editor adding a link by hand for a study their own submission proposes for
    this claim and that awaits review: that would accept it by another door."""
    if claim_id is None or study_id is None:
        return
    pending = editor.submissions.filter(
        claim_id=claim_id,
        status="pending",
        doi__in=Study.objects.filter(pk=study_id).values("doi"),
    )
    if pending.exists():
        raise ValidationError(OWN_PENDING, code="own_pending")


def ensure_may_appraise(
    *, awaiting: bool, added_by_id, editor, claim_id=None, study_id=None
) -> None:
    """Refuse an editor appraising, or re-appraising, a link from their own submission: the
    second pair of eyes is the point of appraisal. A link they added awaiting appraisal counts
    as their submission; one they added as an editor (appraised) they may revise."""
    if added_by_id is None or added_by_id != editor.pk:
        return
    if awaiting or (
        claim_id is not None
        and study_id is not None
        and from_own_submission(claim_id=claim_id, study_id=study_id, editor=editor)
    ):
        raise ValidationError(OWN_SUBMISSION, code="own_submission")


def needs_appraisal_record(evidence: Evidence) -> bool:
    """Whether saving `evidence` as it is in memory appraises it: it says "appraised" and is
    new, stored as awaiting appraisal, or differs from the stored link in a judgement or its
    reason (a re-appraisal). One query for a stored link."""
    if evidence.appraisal_status != Evidence.Appraisal.APPRAISED:
        return False
    if evidence.pk is None:
        return True
    fields = sorted(JUDGEMENT_FIELDS)
    stored = Evidence.objects.filter(pk=evidence.pk).values("appraisal_status", *fields).first()
    if stored is None or stored["appraisal_status"] == Evidence.Appraisal.AWAITING:
        return True
    return any(stored[name] != getattr(evidence, name) for name in fields)


@transaction.atomic
def evidence_appraise(*, evidence: Evidence, editor, **judgements) -> Evidence:
    """Set the judgements, mark the link appraised by `editor` now, validate and save.

    Raises ValidationError for a judgement without its reason (Evidence.clean) and for an
    editor appraising or re-appraising their own submission; nothing is saved then. Saving
    rescores the claim (claims.receivers).
    """
    unknown = set(judgements) - APPRAISAL_FIELDS
    if unknown:
        raise TypeError(f"Not an appraisal field: {', '.join(sorted(unknown))}")
    if evidence.pk is not None:
        # The stored row decides, locked: the caller's object may already say "appraised".
        stored = (
            Evidence.objects.select_for_update()
            .filter(pk=evidence.pk)
            .values_list("appraisal_status", "added_by_id", "claim_id", "study_id")
            .first()
        )
        if stored is not None:
            status, added_by_id, claim_id, study_id = stored
            ensure_may_appraise(
                awaiting=status == Evidence.Appraisal.AWAITING,
                added_by_id=added_by_id,
                editor=editor,
                claim_id=claim_id,
                study_id=study_id,
            )
    else:
        ensure_may_add(claim_id=evidence.claim_id, study_id=evidence.study_id, editor=editor)
    for name, value in judgements.items():
        setattr(evidence, name, value)
    evidence.appraisal_status = Evidence.Appraisal.APPRAISED
    evidence.appraised_by = editor
    evidence.appraised_at = timezone.now()
    evidence.full_clean()
    evidence.save()
    return evidence


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
    return changes_preview(
        claim,
        replaced=[replace] if replace is not None else [],
        added=[add] if add is not None else [],
        removed=[remove] if remove is not None else [],
        evidence=evidence,
        pooled=pooled,
    )


def changes_preview(
    claim, *, edited_claim=None, replaced=(), added=(), removed=(), evidence=None, pooled=None
) -> str:
    """verdict_preview for many unsaved changes at once, as the claim's change form makes them:
    links `replaced` by edited copies, links `added` and `removed`, and the claim itself
    edited (`edited_claim`: its type and publication-bias flag score too). `claim` is the
    claim as stored; an unsaved claim has no evidence yet. Nothing is saved."""
    if evidence is None:
        evidence = list(approved_evidence([claim.pk])) if claim.pk is not None else []
    if pooled is None:
        studies = {e.study_id for e in evidence}
        studies |= {e.study_id for e in (*replaced, *added) if e.study_id}
        pooled = pooled_in_by_study(studies)
    before = claim_scorecard(claim, evidence, pooled)
    changed = _changed(evidence, replaced, added, removed)
    after = claim_scorecard(edited_claim or claim, changed, pooled)
    return _describe_change(before, after)


def _changed(evidence, replaced, added, removed) -> list:
    """The approved links with the changes made: an edited link keeps its place in the order
    (it decides ties between publications of one trial) and drops out unless approved."""
    replacing = {link.pk: link for link in replaced}
    removing = {link.pk for link in removed}
    links = []
    for link in evidence:
        if link.pk in replacing:
            edited = replacing.pop(link.pk)
            if _approved(edited):
                links.append(edited)
        elif link.pk not in removing:
            links.append(link)
    links += [edited for edited in replacing.values() if _approved(edited)]  # was pending
    for n, new in enumerate(link for link in added if _approved(link)):
        unsaved = copy.copy(new)
        unsaved.pk = f"{UNSAVED_KEY}-{n}"  # scoring keys items by pk: keep new ones unique
        links.append(unsaved)
    return links


def _approved(link) -> bool:
    return link is not None and link.status == Evidence.Status.APPROVED


def _describe_change(before, after) -> str:
    was = verdict_and_certainty(before.verdict, before.certainty)
    will_be = verdict_and_certainty(after.verdict, after.certainty)
    scores = f"Pro {_move(before.pro, after.pro)}, Against {_move(before.against, after.against)}"
    if was == will_be:
        return f"Verdict and certainty unchanged: {was} ({scores})"
    return f"{was} → {will_be} ({scores})"


def _move(before: int, after: int) -> str:
    return str(before) if before == after else f"{before} → {after}"
