"""Related claims that disagree: a claim sharing a study with this one whose verdict points
the other way (issue 18). Both pages say so; the touches that keep Related claims fresh
(claims.services.touch_related on a new verdict, claims.receivers on a link) keep this fresh
too, since it is shown inside the same cached fragment."""

from dataclasses import dataclass

import scoring

from .models import Claim, Evidence

# Which way a verdict points: towards the claim, against it, or neither (insufficient, very
# uncertain, mixed).
SUPPORTING_VERDICTS = (scoring.STRONG_SUPPORT, scoring.MODERATE_SUPPORT, scoring.LEANING_SUPPORT)
AGAINST_VERDICTS = (
    scoring.STRONGLY_CONTRADICTED,
    scoring.MODERATELY_CONTRADICTED,
    scoring.LEANING_AGAINST,
)
OPPOSITE = {
    **dict.fromkeys(SUPPORTING_VERDICTS, AGAINST_VERDICTS),
    **dict.fromkeys(AGAINST_VERDICTS, SUPPORTING_VERDICTS),
}


@dataclass(frozen=True)
class Disagreement:
    claim: Claim  # the other claim, with its verdict
    studies: list  # the studies both rest on, in title order


def disagreeing(claim: Claim) -> list[Disagreement]:
    """Published claims sharing an approved study with `claim` whose verdict points the other
    way, most shared first, each with the shared studies: two queries, however many there are
    (none when the claim's own verdict points nowhere)."""
    opposite = OPPOSITE.get(claim.verdict)
    if not opposite:
        return []
    others = list(
        Claim.objects.published()
        .related_to(claim)
        .filter(verdict__in=opposite)
        .only("pk", "slug", "plain_statement", "verdict", "created_at")
    )
    if not others:
        return []
    mine = Evidence.objects.filter(claim=claim, status=Evidence.Status.APPROVED)
    shared = (
        Evidence.objects.filter(
            claim__in=others,
            status=Evidence.Status.APPROVED,
            study__in=mine.values("study_id"),
        )
        .select_related("study")
        .order_by("study__title", "study_id")
    )
    studies = {other.pk: {} for other in others}
    for link in shared:
        studies[link.claim_id].setdefault(link.study_id, link.study)
    return [Disagreement(other, list(studies[other.pk].values())) for other in others]
