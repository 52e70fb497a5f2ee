"""The API's JSON records: a claim (in a list and in full) and a study (in a list, in full,
and as a reference from another study). Plain dicts built from models and scorecards."""

from collections import defaultdict

from django.http import HttpRequest
from django.urls import reverse

import scoring
from claims.basis import analysis_out_of_date
from claims.effects import effect_record, pico_record
from claims.evidence_list import evidence_counts, evidence_rows
from claims.exports import stored_statement
from claims.findings import claim_forest, summary_of_findings
from claims.models import Analysis, Claim, Evidence
from claims.page import retraction_notices
from claims.services import (
    approved_evidence,
    claim_evidence,
    claim_scorecard,
    pooled_in_by_study,
    snapshot_rows,
)
from core.site import site_url
from scoring import DESIGN_LABELS
from studies.authors import parse_authors
from studies.models import Stance, Study

# Claims


def claim_header(claim: Claim, url: str) -> dict:
    """What every claim record opens with, in a list or whole."""
    return {
        "slug": claim.slug,
        "url": url,
        "statement": claim.statement,
        "plain_statement": claim.plain_statement,
        "claim_type": claim.claim_type,
        "topic": claim.topic,
        "population": claim.population,
    }


def claim_summary(claim: Claim, request: HttpRequest) -> dict:
    """One claim in a list (the full record is at api_url)."""
    return {
        **claim_header(claim, site_url(request, claim.get_absolute_url())),
        "api_url": site_url(request, reverse("api-claim", args=[claim.slug])),
        # Stored fields, equal to the live scorecard after every write (claims.receivers).
        "verdict": claim.verdict,
        "certainty": claim.certainty or None,
        "verdict_statement": stored_statement(claim),
        "scores": {"pro": claim.pro_score, "against": claim.against_score},
        # As on the scorecard: no lead to overturn when the scores are equal.
        "fragile": claim.fragile if claim.pro_score != claim.against_score else None,
        "supporting_count": claim.supporting_count,
        "contradicting_count": claim.contradicting_count,
        "awaiting_appraisal_count": claim.awaiting_count,
        "created_at": claim.created_at.isoformat(),
        "updated_at": claim.last_changed_at.isoformat(),
        "scored_at": claim.scored_at.isoformat() if claim.scored_at else None,
    }


def claim_record(claim: Claim, request: HttpRequest) -> dict:
    """The full claim: /api/claims/<slug>/ and /claims/<slug>.json."""
    evidence = claim_evidence(claim)
    card = claim_scorecard(claim, evidence)
    return claim_data(claim, card, Analysis.objects.current_for(claim), evidence, request)


def claim_data(
    claim: Claim,
    card: scoring.Scorecard,
    analysis: Analysis | None,
    evidence: list[Evidence],
    request=None,
) -> dict:
    """The claim as plain data: the JSON endpoint and the API serve this.

    `statement` stays the claim's scientific wording (as in the API's lists); GRADE's
    informative statement is `verdict_statement`, beside `verdict`, `certainty` and
    `certainty_reasons`."""

    def absolute(url: str) -> str:
        return site_url(request, url) if request is not None else url

    rows = evidence_rows(evidence, card)
    counts = evidence_counts(evidence, card)
    out_of_date = analysis_out_of_date(analysis, snapshot_rows(card, evidence))
    return {
        **claim_header(claim, absolute(claim.get_absolute_url())),
        "pico": pico_record(claim),
        # The claim page's GRADE summary-of-findings table, from the same scorecard.
        "summary_of_findings": summary_of_findings(
            claim, card, claim_forest(claim, rows)
        ).as_record(),
        "summary": claim.summary,
        "explanation": claim.explanation,
        "bottom_line": claim.bottom_line,  # "What this means for you" (markdown)
        "verdict": card.verdict,
        "certainty": card.certainty,
        "certainty_reasons": list(card.certainty_reasons),
        "verdict_statement": card.statement,
        "scores": {"pro": card.pro, "against": card.against},
        "caption": card.caption,
        "fragile": card.fragile,
        "publication_bias": claim.publication_bias,
        "publication_bias_reason": claim.publication_bias_reason if claim.publication_bias else "",
        "evidence_counts": {
            "supporting": counts.supporting,
            "contradicting": counts.contradicting,
            "not_counted": counts.not_counted,
            "awaiting_appraisal": counts.awaiting,
        },
        "analysis_version": analysis.version if analysis else None,
        "analysis_out_of_date": (
            {
                "added": out_of_date.added,
                "no_longer_counted": out_of_date.removed,
                "reappraised": out_of_date.changed,
                "note": out_of_date.sentence,
            }
            if out_of_date
            else None
        ),
        "updated_at": claim.last_changed_at.isoformat(),
        # The claim page's banner: appraised studies retracted or under an expression of concern.
        "retractions": [
            {
                "doi": study.doi or None,
                "title": study.title,
                "url": absolute(study.get_absolute_url()),
                "retraction_status": study.retraction_status,
                "notice_doi": study.retraction_notice_doi or None,
                "notice_url": study.retraction_notice_url or None,
                "date": study.retraction_date.isoformat() if study.retraction_date else None,
            }
            for study in retraction_notices(evidence)
        ],
        "evidence": [
            {
                "stance": row.evidence.stance,
                "study": {
                    "doi": row.study.doi or None,
                    "title": row.study.title,
                    **study_authors(row.study),
                    "journal": row.study.journal,
                    "year": row.study.year,
                    "design": row.study.design,
                    "sample_size": row.study.sample_size,
                    "retraction_status": row.study.retraction_status,
                    "retraction_notice_doi": row.study.retraction_notice_doi or None,
                    "trial_registration": row.study.trial_registration or None,
                    "funding": row.study.funding,
                    "conflicts_of_interest": row.study.conflicts_of_interest,
                    "url": absolute(row.study.get_absolute_url()),
                },
                **link_reading(row, claim),
            }
            for side in (Stance.SUPPORTS, Stance.CONTRADICTS)
            for row in rows[side]
        ],
        "mechanisms": [
            {
                "kind": mechanism.kind,
                "rank": mechanism.rank,
                "simple_summary": mechanism.simple_summary,
                "scientific_summary": mechanism.scientific_summary,
                "steps": [
                    {
                        "order": step.order,
                        "text": step.text,
                        "evidence_level": step.evidence_level,
                        "citations": [study.doi or study.title for study in step.citations.all()],
                        # Studies the step is inferred from: they do not raise evidence_level.
                        "inferred_from": [
                            study.doi or study.title for study in step.inferred_from.all()
                        ],
                    }
                    for step in mechanism.steps.all()
                ],
            }
            for mechanism in (analysis.mechanisms.all() if analysis else [])
        ],
        "gold_standard": [
            {
                "rank": ideal.rank,
                "design": ideal.design,
                "design_label": DESIGN_LABELS[ideal.design],
                "description": ideal.description,
                "why": ideal.why,
            }
            for ideal in claim.ideal_studies.published()
        ],
    }


# Studies


def study_api_url(study: Study) -> str:
    if study.doi:
        return reverse("api-study", kwargs={"doi": study.doi})
    return reverse("api-study-by-id", kwargs={"pk": study.pk})


def study_authors(study: Study) -> dict:
    """`authors` as people, the shape Crossref and OpenAlex give ({family, given, suffix} or
    {literal}), and the stored "Family, Given; …" text as `authors_text` (the old `authors`)."""
    return {
        "authors": [author.as_dict() for author in parse_authors(study.authors)],
        "authors_text": study.authors,
    }


def study_summary(study: Study, request: HttpRequest) -> dict:
    data = {
        "id": study.pk,
        "doi": study.doi or None,
        "doi_url": study.doi_url or None,
        "url": site_url(request, study.get_absolute_url()),
        "api_url": site_url(request, study_api_url(study)),
        "title": study.title,
        **study_authors(study),
        "journal": study.journal,
        "year": study.year,
        "design": study.design,
        "design_label": DESIGN_LABELS.get(study.design, study.design),
        "design_confirmed": study.design_confirmed,
        "sample_size": study.sample_size,
        "population": study.population,
        "duration_weeks": study.duration_weeks,
        "source_url": study.url or None,
        # What scoring reads of the study, named as in the claim JSON's evidence study.
        "retraction_status": study.retraction_status,
        "retraction_notice_doi": study.retraction_notice_doi or None,
        "retraction_date": study.retraction_date.isoformat() if study.retraction_date else None,
        "trial_registration": study.trial_registration or None,
    }
    if hasattr(study, "claim_count"):
        data["claim_count"] = study.claim_count
    return data


def study_reference(study: Study, request: HttpRequest) -> dict:
    """Another study, in a few fields: a review that pools this one, or a study a review pools."""
    return {
        "id": study.pk,
        "doi": study.doi or None,
        "title": study.title,
        "url": site_url(request, study.get_absolute_url()),
        "api_url": site_url(request, study_api_url(study)),
    }


def study_record(study: Study, request: HttpRequest) -> dict:
    """The full study: /api/studies/<doi>/ and /api/studies/id/<pk>/."""
    return {
        **study_summary(study, request),
        "abstract": study.abstract,
        # What readers ask of a paper beside its design (issue 14): who paid, who declared what.
        "funding": study.funding,
        "conflicts_of_interest": study.conflicts_of_interest,
        "full_text_url": study.full_text_url or None,
        "pooled_in": [
            study_reference(review, request) for review in study.pooled_in.order_by("pk")
        ],
        "pools": [study_reference(pooled, request) for pooled in study.pools.order_by("pk")],
        "claims": _study_claims(study, request),
    }


def _study_claims(study: Study, request: HttpRequest) -> list[dict]:
    """The published claims the study informs, each with what this study's link is worth
    there: read off the claim's live scorecard, as the claim JSON reads it (its certainty, and
    whether it counts or why not). Three queries, however many claims."""
    links = list(
        study.evidence.filter(status=Evidence.Status.APPROVED, claim__status=Claim.Status.PUBLISHED)
        .select_related("claim")
        .order_by("claim__slug")
    )
    by_claim = defaultdict(list)
    for item in approved_evidence([link.claim_id for link in links]):
        by_claim[item.claim_id].append(item)
    pooled = pooled_in_by_study({item.study_id for items in by_claim.values() for item in items})
    claims = []
    for link in links:
        claim, evidence = link.claim, by_claim[link.claim_id]
        for item in evidence:  # their readings need the claim's threshold (no query each)
            item.claim = claim
        card = claim_scorecard(claim, evidence, pooled)
        rows = {row.evidence.pk: row for row in evidence_rows(evidence, card)[link.stance]}
        row = rows.get(link.pk)
        if row is None:  # unlinked between the two reads
            continue
        claims.append(
            {
                "slug": claim.slug,
                "url": site_url(request, claim.get_absolute_url()),
                "api_url": site_url(request, reverse("api-claim", args=[claim.slug])),
                "plain_statement": claim.plain_statement,
                "statement": claim.statement,
                # The claim's stored verdict and certainty, as in the claim list.
                "verdict": claim.verdict,
                "claim_certainty": claim.certainty or None,
                "verdict_statement": stored_statement(claim),
                "scores": {"pro": claim.pro_score, "against": claim.against_score},
                "stance": link.stance,
                "finding": link.finding,
                # This study's link: it counts for nothing until an editor appraises it.
                "appraisal_status": link.appraisal_status,
                "certainty": row.certainty,
                "counted": row.counted,
                "not_counted": row.not_counted,
                "not_counted_note": row.not_counted_note or None,
                # The effect this link reports, as in the claim record's evidence.
                "effect": effect_record(link, claim),
            }
        )
    return claims


def link_reading(row, claim) -> dict:
    """What the scorecard makes of one link (an evidence_list row): the claim JSON's
    `evidence` entries and the bulk dump's links both carry it."""
    contribution = row.contribution
    return {
        "finding": row.evidence.finding,
        "appraisal_status": row.evidence.appraisal_status,
        "counted": row.counted,
        "not_counted": row.not_counted,
        "not_counted_note": row.not_counted_note or None,
        "certainty": row.certainty,
        "certainty_derived": contribution.certainty_derived if contribution else None,
        "reasons": row.reasons,
        "risk_of_bias": row.evidence.risk_of_bias_judgement,
        "strength": row.evidence.strength,
        "points": round(row.points, 2),
        "rank": contribution.rank if contribution else None,
        "weight": round(contribution.weight, 2) if contribution else 0.0,
        "share": round(contribution.share, 4) if contribution else 0.0,
        "effect": effect_record(row.evidence, claim),
    }
