"""Workflows over several models: scoring a claim, publishing an analysis.

One source of truth: a claim's stored scores (pro_score, against_score, verdict, fragile,
certainty, basis_digest) are always its live scorecard. Every scorer locks the claim row
before it reads the evidence, so of two writes racing the last to score sees both; the
receivers in claims.receivers call claim_rescore after every ORM write of a scoring input.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

import scoring
from core.query_plan import planner_without
from studies.models import Study

from .models import Analysis, Claim, Evidence, ScoringLink
from .page_version import versions_moved
from .signals import ClaimChange, ClaimState, announce
from .version_snapshot import carry_mechanisms, freeze_mechanisms


def approved_evidence(claim_ids):
    """Approved links, appraised or awaiting appraisal (scoring counts only the appraised)."""
    return (
        Evidence.objects.filter(claim_id__in=claim_ids, status=Evidence.Status.APPROVED)
        .select_related("study")
        .order_by("pk")
    )


def claim_evidence(claim) -> list[Evidence]:
    """The claim's approved links, each knowing its claim: reading a link's interval needs the
    claim's threshold, which would otherwise cost a query per link."""
    evidence = list(approved_evidence([claim.pk]))
    for item in evidence:
        item.claim = claim
    return evidence


def pooled_in_by_study(study_ids) -> dict[int, list[int]]:
    """study id -> ids of the reviews that pool it (one query)."""
    pairs = Study.pooled_in.through.objects.filter(from_study_id__in=study_ids).values_list(
        "from_study_id", "to_study_id"
    )
    pooled = defaultdict(list)
    for study_id, review_id in pairs:
        pooled[study_id].append(review_id)
    return pooled


def scoring_items(evidence, pooled=None) -> list[dict]:
    """The appraised links of one claim as scoring items, with "pooled in" named by the
    claim's own links to those reviews. Links awaiting appraisal are not items (§3.1)."""
    appraised = [e for e in evidence if not e.is_awaiting_appraisal]
    if pooled is None:
        pooled = pooled_in_by_study([e.study_id for e in appraised])
    key_of_study = {e.study_id: e.pk for e in appraised}
    return [
        e.scoring_item(
            included_in=[key_of_study[r] for r in pooled.get(e.study_id, ()) if r in key_of_study]
        )
        for e in appraised
    ]


def claim_scorecard(claim: Claim, evidence=None, pooled=None) -> scoring.Scorecard:
    """The live scorecard of a claim; pass its approved evidence to avoid a query."""
    if evidence is None:
        evidence = approved_evidence([claim.pk])
    return scoring.score(
        scoring_items(evidence, pooled),
        claim_type=claim.claim_type,
        publication_bias=claim.publication_bias,
    )


# What of each counted study an analysis rests on: a change to any of these (a study added,
# removed, moved side, re-appraised, resized) can move the verdict or the certainty.
BASIS_FIELDS = (
    "study_id",
    "stance",
    "certainty",
    "points",
    "strength",
    "risk_of_bias",
    "indirectness",
    "imprecise",
)


def basis_row(evidence: Evidence, contribution: scoring.Contribution) -> dict:
    """One link's BASIS_FIELDS (reads only Evidence.SCORING_FIELDS: no query per row)."""
    return {
        "study_id": evidence.study_id,
        "stance": evidence.stance,
        "certainty": contribution.certainty,
        "points": round(contribution.points, 1) if contribution.counted else 0.0,
        "strength": evidence.strength,
        "risk_of_bias": evidence.risk_of_bias_judgement,
        "indirectness": evidence.indirectness,
        "imprecise": evidence.imprecise,
    }


def basis_digest(snapshot) -> str:
    """A fingerprint of the counted evidence and its appraisal (BASIS_FIELDS of each counted
    row): an analysis whose digest differs from its claim's was written on other evidence.
    Rows recorded before a field existed read it as None, so such analyses read as out of date."""
    rows = sorted(
        [row.get(name) for name in BASIS_FIELDS] for row in snapshot if row.get("counted", True)
    )
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def _apply(claim: Claim, card: scoring.Scorecard, evidence) -> bool:
    """Copy a scorecard onto the claim's stored fields; True if anything changed.

    scored_at moves only on a change (or the first scoring): feeds and the API's
    updated_since read it, and a rescore that changes nothing is not news. A change also
    moves content_changed_at, so cached pages showing the old scores are not served again
    (a change of the scoring constants changes scores without any edit to the claim).
    """
    by_key = {c.key: c for c in card.contributions}
    digest = basis_digest(
        basis_row(e, by_key[e.pk]) for e in evidence if e.pk in by_key and by_key[e.pk].counted
    )
    new = {
        "pro_score": card.pro,
        "against_score": card.against,
        "verdict": card.verdict,
        "fragile": bool(card.fragile),
        "certainty": card.certainty or "",
        "basis_digest": digest,
    }
    changed = claim.scored_at is None or any(
        getattr(claim, name) != value for name, value in new.items()
    )
    if changed:
        for name, value in new.items():
            setattr(claim, name, value)
        claim.scored_at = claim.content_changed_at = timezone.now()
    return changed


@dataclass(frozen=True)
class ScoreChange:
    slug: str
    before: tuple[int, int, str, str]  # pro, against, verdict, certainty ("" when none)
    after: tuple[int, int, str, str]


STORED_SCORE_FIELDS = [
    "pro_score",
    "against_score",
    "verdict",
    "fragile",
    "certainty",
    "basis_digest",
    "scored_at",
    "content_changed_at",
]
# What scoring a claim reads of the claim itself.
SCORING_INPUT_FIELDS = ["pk", "slug", "claim_type", "publication_bias"]


def _locked(claims):
    """Lock the claims' rows before their evidence is read (FOR NO KEY UPDATE: an evidence
    insert's FOR KEY SHARE on its claim does not wait on it, so two inserts cannot deadlock)."""
    return claims.select_for_update(no_key=True).only(*SCORING_INPUT_FIELDS, *STORED_SCORE_FIELDS)


@transaction.atomic
def claim_rescore(*, claim: Claim) -> scoring.Scorecard:
    """Score one claim from its evidence as committed now and store the result.

    The row lock makes racing scorers take turns, and each reads the evidence only once it
    holds the lock, so the last writer always writes the newest result.
    """
    locked = _locked(Claim.objects.filter(pk=claim.pk)).first()
    if locked is None:  # deleted meanwhile
        return claim_scorecard(claim, [])
    evidence = list(approved_evidence([locked.pk]))
    card = claim_scorecard(locked, evidence)
    _store(locked, card, evidence)
    for name in STORED_SCORE_FIELDS:
        setattr(claim, name, getattr(locked, name))
    return card


def claims_rescore(*, claims=None, batch_size: int = 1000) -> tuple[int, list[ScoreChange]]:
    """Rescore many claims in batches: three queries per batch, whatever the batch holds, each
    batch its own transaction when not inside one (a job's chunk locks its claims only while it
    scores them); then the claims listing a moved verdict are touched.

    Returns how many claims were scored and the ones whose scores or verdict changed.
    """
    claims = (claims if claims is not None else Claim.objects.all()).order_by("pk")
    ids = list(claims.values_list("pk", flat=True))
    changes: list[ScoreChange] = []
    verdict_moved: list[int] = []
    for start in range(0, len(ids), batch_size):
        batch_ids = ids[start : start + batch_size]
        with transaction.atomic():
            # Locked before the evidence is read, in pk order: see claim_rescore.
            batch = list(_locked(Claim.objects.filter(pk__in=batch_ids).order_by("pk")))
            by_claim = defaultdict(list)
            links = approved_evidence(batch_ids)
            # Each link's study by its index: PostgreSQL's default costs chose to hash-join all
            # of the studies (0.4-0.5 s a batch at 500,000 studies, against 0.1 s), and JIT-
            # compiled it (55 ms).
            with planner_without(links.db, "enable_hashjoin", "enable_mergejoin", "jit"):
                rows = list(links.values_list(*ScoringLink.COLUMNS))
            for link in map(ScoringLink.from_row, rows):
                by_claim[link.claim_id].append(link)
            # The studies as a subquery: a list of 20,000 ids cost more to send than to look up.
            pooled = pooled_in_by_study(links.values("study_id"))
            changed, news = [], []
            for claim in batch:
                before = (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)
                stored = ClaimState.of(claim)
                evidence = by_claim[claim.pk]
                if _apply(claim, claim_scorecard(claim, evidence, pooled), evidence):
                    changed.append(claim)
                    news.append(ClaimChange.between(stored, claim))
                    after = (claim.pro_score, claim.against_score, claim.verdict, claim.certainty)
                    if after != before:
                        changes.append(ScoreChange(claim.slug, before, after))
                    if after[2] != before[2]:
                        verdict_moved.append(claim.pk)
            _write_scores(changed)
            announce(news)  # followers hear of it once the batch commits
    # Once every batch has committed, each claim listing a moved verdict once (claims sharing
    # a study with thousands would otherwise be touched by every batch), in chunks that lock
    # in pk order: chunks rescored at once (manage.py rescore on several workers) touch each
    # other's claims, and a batch holding its locks while touching another's could deadlock.
    _touch_related_in_chunks(verdict_moved, batch_size)
    return len(ids), changes


def _touch_related_in_chunks(claim_ids, chunk_size: int) -> None:
    """touch_related for many claims: a lookup and a short transaction a chunk."""
    related = set()
    for start in range(0, len(claim_ids), chunk_size):
        chunk = claim_ids[start : start + chunk_size]
        studies = Evidence.objects.filter(claim__in=chunk).values("study_id")
        sharing = Evidence.objects.filter(study__in=studies).values("claim_id")
        related.update(Claim.objects.filter(pk__in=sharing).values_list("pk", flat=True))
    related = sorted(related - set(claim_ids))  # the moved ones were written: a new version
    for start in range(0, len(related), chunk_size):
        chunk = Claim.objects.filter(pk__in=related[start : start + chunk_size])
        with transaction.atomic():
            list(chunk.order_by("pk").select_for_update(no_key=True).values_list("pk"))
            chunk.touch_related_list()


def _store(claim: Claim, card: scoring.Scorecard, evidence) -> None:
    """Store one claim's scorecard if it changed; a new verdict refreshes its related claims,
    and a move of what readers are told is announced (claims.signals) after the commit."""
    verdict, stored = claim.verdict, ClaimState.of(claim)
    if _apply(claim, card, evidence):
        _write_scores([claim])
        announce([ClaimChange.between(stored, claim)])
        if claim.verdict != verdict:
            touch_related([claim.pk])


def _write_scores(claims: list[Claim]) -> None:
    """Write claims' stored score fields: on PostgreSQL one UPDATE for them all, elsewhere one
    UPDATE each, sent as one batch."""
    if not claims:
        return
    # Hand-written: bulk_update took make bench's full rescore to 26-40 s (target 30 s), and
    # on PostgreSQL one UPDATE from arrays (a parameter a column, not 9,000) takes a batch's
    # writes from ~0.3 ms to ~0.1 ms a claim.
    quote = connection.ops.quote_name
    fields = [Claim._meta.get_field(name) for name in STORED_SCORE_FIELDS]
    values = [
        [field.get_db_prep_save(getattr(claim, field.attname), connection) for field in fields]
        for claim in claims
    ]
    pks = [claim.pk for claim in claims]
    table, pk = quote(Claim._meta.db_table), quote("id")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Text arrays for the character columns: a cast to varchar(n) would cut an
            # over-long value where the column refuses it.
            types = [
                "text" if f.get_internal_type() == "CharField" else f.db_type(connection)
                for f in fields
            ]
            pk_type = Claim._meta.pk.db_type(connection)  # bigint
            arrays = ", ".join(f"%s::{t}[]" for t in [pk_type, *types])
            columns = ", ".join([pk, *(quote(f.column) for f in fields)])
            assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({columns}) "
                f"WHERE {table}.{pk} = v.{pk}",
                [pks, *(list(column) for column in zip(*values, strict=True))],
            )
        else:
            assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
            sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"
            cursor.executemany(sql, [[*row, pk] for row, pk in zip(values, pks, strict=True)])
    versions_moved()  # content_changed_at moved: the versions anonymous pages read


def touch_related(claim_ids) -> None:
    """Touch the claims that list these under "Related claims" (those sharing a study with
    them), so their pages are not served from the cache with the old wording or verdict.
    Scorers call it when a verdict moves (the list shows the verdict, not the scores)."""
    if not claim_ids:
        return
    studies = Evidence.objects.filter(claim__in=claim_ids).values("study_id")
    Claim.objects.filter(evidence__study__in=studies).exclude(pk__in=claim_ids).touch_related_list()


def snapshot_rows(card: scoring.Scorecard, evidence) -> list[dict]:
    """Each appraised study with its stance, certainty, points and whether it counted."""
    by_key = {c.key: c for c in card.contributions}
    return [
        {
            **basis_row(e, by_key[e.pk]),
            "doi": e.study.doi,
            "title": e.study.title,
            "counted": by_key[e.pk].counted,
            "not_counted": by_key[e.pk].not_counted or "",
        }
        for e in evidence
        if e.pk in by_key
    ]


def evidence_snapshot(claim: Claim, evidence=None) -> list[dict]:
    """What an analysis rested on: each appraised study with its stance, certainty, points."""
    if evidence is None:
        evidence = list(approved_evidence([claim.pk]))
    return snapshot_rows(claim_scorecard(claim, evidence), evidence)


@transaction.atomic
def analysis_publish(
    *, claim: Claim, author=None, summary: str = "", change_note: str = "", published_at=None
) -> Analysis:
    """Publish the next analysis version with the scorecard and evidence it rests on.

    Each version records its own basis when it is published, so History can compare
    versions exactly and show each as it was published.
    """
    claim = _locked(Claim.objects.filter(pk=claim.pk)).get()
    evidence = list(approved_evidence([claim.pk]))
    card = claim_scorecard(claim, evidence)
    snapshot = snapshot_rows(card, evidence)
    _store(claim, card, evidence)
    # A version published before bases were recorded stays unrecorded: giving it this
    # version's scores would show today's figures under its old date (History says so).
    current = Analysis.objects.for_claim(claim).first()
    if current:
        freeze_mechanisms(current.pk)  # it stops being current: its page keeps them as now
    analysis = Analysis(
        claim=claim,
        version=(current.version + 1) if current else 1,
        summary=summary,
        change_note=change_note,
        author=author,
        published_at=published_at or timezone.now(),
    )
    analysis.what_would_change = scoring.what_would_change(
        scoring_items(evidence),
        claim_type=claim.claim_type,
        publication_bias=claim.publication_bias,
        card=card,  # scored once above: not again
    )
    record_basis(analysis, card, snapshot)
    if current:
        carry_mechanisms(current.pk, analysis)
    return analysis


def record_basis(analysis: Analysis, card: scoring.Scorecard, snapshot: list[dict]) -> None:
    analysis.pro, analysis.against, analysis.verdict = card.pro, card.against, card.verdict
    analysis.certainty = card.certainty or ""
    analysis.certainty_reasons = list(card.certainty_reasons)
    analysis.evidence_snapshot = snapshot
    analysis.basis_digest = basis_digest(snapshot)
    analysis.save()
