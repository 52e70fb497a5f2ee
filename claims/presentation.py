"""What the claim pages show, built from models and a scorecard (no HTTP here)."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

import scoring
from studies.models import CERTAINTY_LABELS, DESIGN_LABELS

from .models import Analysis, Claim, Evidence

# ClaimReview ratings run 1 (contradicted) to 5 (supported); our verdicts map onto that scale.
# "Insufficient evidence" is not a point on it: its rating has only the label (alternateName).
VERDICT_RATING = {
    "Strong support": 5,
    "Moderate support": 4,
    "Leaning support": 4,
    "Mixed evidence": 3,
    "Leaning against": 2,
    "Moderately contradicted": 2,
    "Strongly contradicted": 1,
}


@dataclass(frozen=True)
class EvidenceRow:
    evidence: Evidence
    contribution: scoring.Contribution

    @property
    def study(self):
        return self.evidence.study

    @property
    def certainty_label(self) -> str:
        return CERTAINTY_LABELS[self.contribution.certainty]

    @property
    def share_percent(self) -> int:
        return round(100 * self.contribution.share)


def evidence_rows(evidence: list[Evidence], card: scoring.Scorecard) -> dict[str, list]:
    """Each side's evidence with its contribution, strongest first."""
    by_key = {contribution.key: contribution for contribution in card.contributions}
    rows = [EvidenceRow(item, by_key[item.pk]) for item in evidence]
    rows.sort(key=lambda row: row.contribution.rank)
    return {
        "supports": [row for row in rows if row.evidence.stance == "supports"],
        "contradicts": [row for row in rows if row.evidence.stance == "contradicts"],
    }


def claim_data(
    claim: Claim,
    card: scoring.Scorecard,
    analysis: Analysis | None,
    evidence: list[Evidence],
    request=None,
) -> dict:
    """The claim as plain data: the JSON endpoint and the API serve this."""

    def absolute(url: str) -> str:
        return request.build_absolute_uri(url) if request is not None else url

    rows = evidence_rows(evidence, card)
    return {
        "slug": claim.slug,
        "url": absolute(claim.get_absolute_url()),
        "statement": claim.statement,
        "plain_statement": claim.plain_statement,
        "claim_type": claim.claim_type,
        "topic": claim.topic,
        "population": claim.population,
        "summary": claim.summary,
        "explanation": claim.explanation,
        "verdict": card.verdict,
        "scores": {"pro": card.pro, "against": card.against},
        "caption": card.caption,
        "fragile": card.fragile,
        "analysis_version": analysis.version if analysis else None,
        "updated_at": claim.last_changed_at.isoformat(),
        "evidence": [
            {
                "stance": row.evidence.stance,
                "study": {
                    "doi": row.study.doi or None,
                    "title": row.study.title,
                    "authors": row.study.authors,
                    "journal": row.study.journal,
                    "year": row.study.year,
                    "design": row.study.design,
                    "sample_size": row.study.sample_size,
                    "url": absolute(row.study.get_absolute_url()),
                },
                "finding": row.evidence.finding,
                "certainty": row.contribution.certainty,
                "certainty_derived": row.contribution.certainty_derived,
                "strength": row.contribution.strength,
                "points": round(row.contribution.points, 2),
                "rank": row.contribution.rank,
                "weight": round(row.contribution.weight, 2),
                "share": round(row.contribution.share, 4),
            }
            for side in ("supports", "contradicts")
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


def site_url(request, path: str) -> str:
    """An absolute URL on SITE_URL, or on the request's own origin when SITE_URL is unset."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def claim_review_jsonld(claim: Claim, card: scoring.Scorecard, analysis, request) -> dict:
    """schema.org ClaimReview: the verdict as a rating on a 1–5 scale (5 = strongly supported).

    Its `url` is also the page's canonical URL and og:url. The claim records no external
    source, so itemReviewed has no `appearance` (that would be this page itself)."""
    published = analysis.published_at if analysis else claim.created_at
    rating = {"@type": "Rating", "alternateName": card.verdict}
    if card.verdict in VERDICT_RATING:
        rating |= {"ratingValue": VERDICT_RATING[card.verdict], "bestRating": 5, "worstRating": 1}
    rating["ratingExplanation"] = f"Pro {card.pro}, Against {card.against}. {card.caption}"
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": site_url(request, claim.get_absolute_url()),
        "claimReviewed": claim.statement,
        "datePublished": published.date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": f"{settings.SITE_NAME} editors",
            "url": site_url(request, reverse("home")),
        },
        "itemReviewed": {"@type": "Claim", "text": claim.plain_statement},
        "reviewRating": rating,
    }
