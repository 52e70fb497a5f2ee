"""Workflows over several models: scoring a claim, publishing an analysis."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

import scoring

from .models import Analysis, Claim, Evidence


def approved_evidence(claim_ids):
    return (
        Evidence.objects.filter(claim_id__in=claim_ids, status=Evidence.Status.APPROVED)
        .select_related("study")
        .order_by("pk")
    )


def claim_scorecard(claim: Claim, evidence=None) -> scoring.Scorecard:
    """The live scorecard of a claim; pass its approved evidence to avoid a query."""
    if evidence is None:
        evidence = approved_evidence([claim.pk])
    return scoring.score([e.scoring_item() for e in evidence], claim_type=claim.claim_type)


def _apply(claim: Claim, card: scoring.Scorecard) -> bool:
    """Copy a scorecard onto the claim's stored fields; True if anything changed.

    scored_at moves only on a change (or the first scoring): feeds and the API's
    updated_since read it, and a rescore that changes nothing is not news. A change also
    moves content_changed_at, so cached pages showing the old scores are not served again
    (a change of the scoring constants changes scores without any edit to the claim).
    """
    new = (card.pro, card.against, card.verdict, card.fragile)
    old = (claim.pro_score, claim.against_score, claim.verdict, claim.fragile)
    changed = new != old or claim.scored_at is None
    if changed:
        claim.pro_score, claim.against_score, claim.verdict, claim.fragile = new
        claim.scored_at = claim.content_changed_at = timezone.now()
    return changed


@dataclass(frozen=True)
class ScoreChange:
    slug: str
    before: tuple[int, int, str]
    after: tuple[int, int, str]


STORED_SCORE_FIELDS = [
    "pro_score",
    "against_score",
    "verdict",
    "fragile",
    "scored_at",
    "content_changed_at",
]


@transaction.atomic
def claim_rescore(*, claim: Claim) -> scoring.Scorecard:
    card = claim_scorecard(claim)
    if _apply(claim, card):
        _write_scores([claim])
    return card


def claims_rescore(*, claims=None, batch_size: int = 1000) -> tuple[int, list[ScoreChange]]:
    """Rescore many claims in batches: three queries per batch, whatever the batch holds.

    Returns how many claims were scored and the ones whose scores or verdict changed.
    """
    claims = (claims if claims is not None else Claim.objects.all()).order_by("pk")
    ids = list(claims.values_list("pk", flat=True))
    changes: list[ScoreChange] = []
    for start in range(0, len(ids), batch_size):
        batch_ids = ids[start : start + batch_size]
        with transaction.atomic():
            batch = list(
                Claim.objects.filter(pk__in=batch_ids).only(
                    "pk", "slug", "claim_type", *STORED_SCORE_FIELDS
                )
            )
            by_claim = defaultdict(list)
            for evidence in approved_evidence(batch_ids).only(*Evidence.SCORING_FIELDS):
                by_claim[evidence.claim_id].append(evidence)
            changed = []
            for claim in batch:
                before = (claim.pro_score, claim.against_score, claim.verdict)
                if _apply(claim, claim_scorecard(claim, by_claim[claim.pk])):
                    changed.append(claim)
                    after = (claim.pro_score, claim.against_score, claim.verdict)
                    if after != before:
                        changes.append(ScoreChange(claim.slug, before, after))
            _write_scores(changed)
    return len(ids), changes


def _write_scores(claims: list[Claim]) -> None:
    """Write claims' stored score fields: one UPDATE each, sent as one batch.

    Django's bulk_update builds a CASE over the whole batch for every field, which took
    1.4 s per 1,000 claims on PostgreSQL against 0.3 s for this (docs/performance.md).
    """
    if not claims:
        return
    quote = connection.ops.quote_name
    fields = [Claim._meta.get_field(name) for name in STORED_SCORE_FIELDS]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(Claim._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    rows = [
        [field.get_db_prep_save(getattr(claim, field.attname), connection) for field in fields]
        + [claim.pk]
        for claim in claims
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def rescore_claims_of_study(study) -> None:
    for claim in Claim.objects.filter(evidence__study=study).distinct():
        claim_rescore(claim=claim)


def evidence_snapshot(claim: Claim, evidence=None) -> list[dict]:
    """What an analysis rested on: each approved study with its stance, certainty and points."""
    if evidence is None:
        evidence = list(approved_evidence([claim.pk]))
    card = claim_scorecard(claim, evidence)
    by_key = {c.key: c for c in card.contributions}
    return [
        {
            "study_id": e.study_id,
            "doi": e.study.doi,
            "title": e.study.title,
            "stance": e.stance,
            "certainty": by_key[e.pk].certainty,
            "points": round(by_key[e.pk].points, 1),
        }
        for e in evidence
    ]


@transaction.atomic
def analysis_publish(
    *, claim: Claim, author=None, summary: str = "", change_note: str = "", published_at=None
) -> Analysis:
    """Publish the next analysis version with the scorecard and evidence it rests on.

    Each version records its own basis when it is published, so History can compare
    versions exactly; a version published before that (no record) is frozen now.
    """
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    evidence = list(approved_evidence([claim.pk]))
    card = claim_scorecard(claim, evidence)
    snapshot = evidence_snapshot(claim, evidence)
    _apply(claim, card)
    _write_scores([claim])
    current = Analysis.objects.for_claim(claim).first()
    if current is not None and not current.is_frozen:
        record_basis(current, card, snapshot)
    analysis = Analysis(
        claim=claim,
        version=(current.version + 1) if current else 1,
        summary=summary,
        change_note=change_note,
        author=author,
        published_at=published_at or timezone.now(),
    )
    record_basis(analysis, card, snapshot)
    return analysis


def record_basis(analysis: Analysis, card: scoring.Scorecard, snapshot: list[dict]) -> None:
    analysis.pro, analysis.against, analysis.verdict = card.pro, card.against, card.verdict
    analysis.evidence_snapshot = snapshot
    analysis.save()
