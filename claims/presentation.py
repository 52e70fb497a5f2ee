"""What the claim pages show, built from models and a scorecard (no HTTP here)."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


# How many studies each side of the claim page lists before "Show all …".
EVIDENCE_SHOWN = 10
# The `evidence` query parameter: which sides are listed whole.
EVIDENCE_EXPANDS = {
    "supports": {"supports"},
    "contradicts": {"contradicts"},
    "all": {"supports", "contradicts"},
}


def page_query(**params: str) -> str:
    """A claim page's query string ("?wording=scientific&evidence=all") of the non-empty
    params, or "": a link that changes one parameter passes the others on, so none is lost."""
    present = {name: value for name, value in params.items() if value}
    return f"?{urlencode(present)}" if present else ""


def _wording_param(wording: str) -> str:
    """The `wording` query parameter of a page link: plain is the default, so it is left out."""
    return wording if wording == "scientific" else ""


@dataclass(frozen=True)
class WordingToggle:
    """The link that switches the statement's wording and keeps the evidence lists as shown."""

    href: str  # the page in the other wording, also the URL htmx pushes
    hx_get: str  # the statement partial in the other wording (htmx needs `wording` either way)


def wording_toggle(url: str, wording: str, evidence: str) -> WordingToggle:
    other = "plain" if wording == "scientific" else "scientific"
    return WordingToggle(
        href=url + page_query(wording=_wording_param(other), evidence=evidence),
        hx_get=url + page_query(wording=other, evidence=evidence),
    )


@dataclass(frozen=True)
class EvidenceSide:
    """One side's list on the claim page: its strongest studies, or all of them."""

    stance: str
    rows: list
    expanded: bool
    # The query string of the no-JavaScript "Show all" link: it keeps the other side as it is,
    # and the wording.
    show_all_query: str

    @property
    def key(self) -> str:
        return "supporting" if self.stance == "supports" else "contradicting"

    @property
    def heading(self) -> str:
        return "Supporting" if self.stance == "supports" else "Contradicting"

    @property
    def shown(self) -> list:
        return self.rows if self.expanded else self.rows[:EVIDENCE_SHOWN]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown)

    @property
    def more_from(self) -> int | None:
        """The position of the first study "Show all" added, when the list is shown whole."""
        return EVIDENCE_SHOWN + 1 if self.expanded and len(self.rows) > EVIDENCE_SHOWN else None


def evidence_mode(value: str | None) -> str:
    """The `evidence` query parameter, or "" (each side's strongest studies) when unknown."""
    return value if value in EVIDENCE_EXPANDS else ""


def evidence_sides(
    rows: dict[str, list], mode: str, wording: str = "plain"
) -> dict[str, EvidenceSide]:
    expanded = EVIDENCE_EXPANDS.get(mode, set())
    sides = {}
    for stance in ("supports", "contradicts"):
        other = "contradicts" if stance == "supports" else "supports"
        show_all = "all" if other in expanded else stance
        sides[stance] = EvidenceSide(
            stance=stance,
            rows=rows[stance],
            expanded=stance in expanded,
            show_all_query=page_query(wording=_wording_param(wording), evidence=show_all),
        )
    return sides


DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/[^\s()\[\],;]+")


def with_doi_breaks(text: str) -> SafeString:
    """The text, escaped, with a line-break opportunity (<wbr>) after each "/" and "." of the
    DOIs in it: on a phone a long DOI then wraps at a separator, not in the middle of a number."""
    html, last = [], 0
    for match in DOI_IN_TEXT.finditer(text or ""):
        html.append(escape(text[last : match.start()]))
        html.append("<wbr>".join(escape(part) for part in re.split(r"(?<=[/.])", match.group())))
        last = match.end()
    html.append(escape((text or "")[last:]))
    return mark_safe("".join(html))  # noqa: S308 - every piece escaped above


def verdict_sentence(card: scoring.Scorecard) -> str:
    """One plain sentence under the verdict label, read off the scorecard."""
    has_pro, has_against = card.pro_effective > 0, card.against_effective > 0
    if not has_pro and not has_against:
        return "No study has been scored for this claim yet, so there is no verdict either way."
    if not has_against:
        return f"Supporting studies score {card.pro} out of 100; no study contradicts it yet."
    if not has_pro:
        return f"Contradicting studies score {card.against} out of 100; no study supports it yet."
    if card.pro == card.against:
        lead = "neither side leads"
    elif card.pro > card.against:
        lead = f"support leads by {card.pro - card.against}"
    else:
        lead = f"the evidence against leads by {card.against - card.pro}"
    return (
        f"Supporting studies score {card.pro} and contradicting studies {card.against}, "
        f"each out of 100: {lead}."
    )


_WEIGHT_NAMES = {
    "mechanistic_for_mechanistic_claim": "Mechanistic study in humans, for a mechanistic claim",
    "level_per_downgrade": "Levels down per serious concern",
    "level_per_upgrade": "Levels up per reason to upgrade",
    "levels": "Levels, lowest to highest",
    "optimal_information_size": "Full weight from this many participants",
    "floor": "Smallest sample-size factor",
    "unknown": "Sample size not reported",
    "decay": "Each next study on a side counts this much of the one before",
    "scale": "Curve constant: the points at which a score reaches 63",
    "insufficient_below": "Insufficient evidence while both scores are below",
    "strong_at_least": "Strong: the leading score at least",
    "strong_other_below": "Strong: the other score below",
    "moderate_gap": "Moderate: a lead of at least",
    "leaning_gap": "Leaning: a lead of at least",
    "design": "Design",
    "certainty": "Certainty",
    "sample_size": "Sample size",
    "strength": "Finding strength",
}
_VALUE_LABELS = {
    **DESIGN_LABELS,
    **CERTAINTY_LABELS,
    "clear": "Clear finding",
    "partial": "Partial finding (tended to…)",
}


@dataclass(frozen=True)
class WeightRow:
    """A row of the "How scores work" page: the scoring table's entry in words."""

    label: str
    value: object
    why: str


def weight_groups() -> list[tuple]:
    """scoring.weights.grouped() with human labels for names and enum values."""

    def label(group, name):
        if group == scoring.weights.REFERENCE:
            return _WEIGHT_NAMES[name]
        return _VALUE_LABELS.get(name) or _WEIGHT_NAMES.get(name, name)

    def value(raw):
        return _VALUE_LABELS.get(raw, raw) if isinstance(raw, str) else raw

    return [
        (
            group.title,
            group.summary,
            [WeightRow(label(group.title, w.name), value(w.value), w.why) for w in group.rows],
        )
        for group in scoring.weights.grouped()
    ]


def claim_data(
    claim: Claim,
    card: scoring.Scorecard,
    analysis: Analysis | None,
    evidence: list[Evidence],
    request=None,
) -> dict:
    """The claim as plain data: the JSON endpoint and the API serve this."""

    def absolute(url: str) -> str:
        return site_url(request, url) if request is not None else url

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
    """An absolute URL on SITE_URL, or on the request's own origin when SITE_URL is unset.

    Every absolute URL a reader or a machine gets is built here (pages, JSON, API, exports,
    sitemap); `site_url(request, "")` is the origin alone."""
    origin = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return iri_to_uri(origin + path)


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
