"""The claim page's schema.org ClaimReview (JSON-LD), for search engines and fact-check
aggregators."""

from django.conf import settings
from django.urls import reverse

import scoring
from core.site import site_url

from .models import Claim
from .trust import claim_dates
from .verdict_text import certainty_words, verdict_with_certainty

# ClaimReview ratings run 1 (contradicted) to 5 (supported); our verdicts map onto that scale.
# A capped verdict is rated as it reads: "Strong support" capped at low certainty is "Moderate
# support", a 4. Two verdicts are no point on the scale, so their rating has only the label
# (alternateName): "Insufficient evidence" (too little to rate), and "Very uncertain": at very low
# certainty GRADE says "we are very uncertain whether this is true", so a 4 would assert the
# support the certainty denies, and a 3 would say the evidence is balanced, which it need not be.
VERDICT_RATING = {
    scoring.STRONG_SUPPORT: 5,
    scoring.MODERATE_SUPPORT: 4,
    scoring.LEANING_SUPPORT: 4,
    scoring.MIXED: 3,
    scoring.LEANING_AGAINST: 2,
    scoring.MODERATELY_CONTRADICTED: 2,
    scoring.STRONGLY_CONTRADICTED: 1,
}


def claim_review_jsonld(claim: Claim, card: scoring.Scorecard, analysis, request) -> dict:
    """schema.org ClaimReview: the capped verdict as a rating on a 1–5 scale (5 = strongly
    supported), its label carrying the certainty ("Moderate support, low certainty"); see
    VERDICT_RATING for the verdicts that are a label only.

    Its `url` is also the page's canonical URL and og:url. `claimReviewed` is the claim's
    short statement (Google shows at most 75 characters); itemReviewed says who made the claim,
    when and where only as far as the editors recorded it (never this page itself)."""
    # The dates the page's trust block shows: first published, last changed.
    dates = claim_dates(claim, analysis)
    # `name` is the verdict as the page shows it; `alternateName` adds the certainty.
    rating = {
        "@type": "Rating",
        "name": card.verdict,
        "alternateName": verdict_with_certainty(card),
    }
    if card.verdict in VERDICT_RATING:
        rating |= {"ratingValue": VERDICT_RATING[card.verdict], "bestRating": 5, "worstRating": 1}
    rating["ratingExplanation"] = " ".join(
        [
            card.statement,
            *([f"{certainty_words(card.certainty)}."] if card.certainty else []),
            *card.certainty_reasons,
            f"Pro {card.pro}, Against {card.against}.",
            card.caption,
        ]
    ).strip()
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": site_url(request, claim.get_absolute_url()),
        "claimReviewed": claim.short_statement,
        "datePublished": dates.first_published.date().isoformat(),
        "dateModified": dates.last_changed.date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": f"{settings.SITE_NAME} editors",
            "url": site_url(request, reverse("home")),
        },
        "itemReviewed": reviewed_claim(claim),
        "reviewRating": rating,
    }


def reviewed_claim(claim: Claim) -> dict:
    """The schema.org Claim: its text, and its author, date and appearance when recorded."""
    item = {"@type": "Claim", "text": claim.plain_statement}
    if claim.source_name:
        kind = "Person" if claim.source_is_person else "Organization"
        item["author"] = {"@type": kind, "name": claim.source_name}
    if claim.source_date:
        item["datePublished"] = claim.source_date.isoformat()
    if claim.source_url:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.source_url}
    return item
