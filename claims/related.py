"""Related claims that disagree: a claim sharing a study with this one whose verdict points
the other way (issue 18). Both pages say so; the touches that keep Related claims fresh
(claims.services.touch_related on a new verdict, claims.receivers on a link) keep this fresh
too, since it is shown inside the same cached fragment."""

from dataclasses import dataclass

from django.db.models import F, Q

import scoring

from .models import Claim, Evidence

# Which way a verdict points: towards the claim, against it, or neither (insufficient, mixed).
SUPPORTING_VERDICTS = (scoring.STRONG_SUPPORT, scoring.MODERATE_SUPPORT, scoring.LEANING_SUPPORT)
AGAINST_VERDICTS = (
    scoring.STRONGLY_CONTRADICTED,
    scoring.MODERATELY_CONTRADICTED,
    scoring.LEANING_AGAINST,
)
SUPPORTS, CONTRADICTS = "supports", "contradicts"


def direction(claim: Claim) -> str | None:
    """Which way `claim`'s evidence points. "Very uncertain" names no side, yet its scores may
    lean one way as far as "Leaning" needs (the four demo claims at 66 / 0 do): they point that
    way, so two very uncertain claims reading one study apart are named too."""
    if claim.verdict in SUPPORTING_VERDICTS:
        return SUPPORTS
    if claim.verdict in AGAINST_VERDICTS:
        return CONTRADICTS
    if claim.verdict == scoring.VERY_UNCERTAIN:
        gap = claim.pro_score - claim.against_score
        if abs(gap) >= scoring.weights.LEANING_GAP:
            return SUPPORTS if gap > 0 else CONTRADICTS
    return None


def pointing(way: str) -> Q:
    """The claims whose evidence points `way`, as `direction` reads them, in SQL."""
    verdicts, leads = (
        (SUPPORTING_VERDICTS, Q(pro_score__gte=F("against_score") + scoring.weights.LEANING_GAP))
        if way == SUPPORTS
        else (AGAINST_VERDICTS, Q(against_score__gte=F("pro_score") + scoring.weights.LEANING_GAP))
    )
    return Q(verdict__in=verdicts) | (Q(verdict=scoring.VERY_UNCERTAIN) & leads)


@dataclass(frozen=True)
class Disagreement:
    claim: Claim  # the other claim, with its verdict
    studies: list  # the studies both rest on, in title order

    @property
    def reads(self) -> str:
        """The other claim's verdict, with the way it leans when the verdict names none."""
        if self.claim.verdict != scoring.VERY_UNCERTAIN:
            return self.claim.verdict
        way = "towards the claim" if direction(self.claim) == SUPPORTS else "against the claim"
        return f"{self.claim.verdict}, its studies leaning {way}"


def disagreeing(claim: Claim) -> list[Disagreement]:
    """Published claims sharing an approved study with `claim` whose verdict points the other
    way, most shared first, each with the shared studies: two queries, however many there are
    (none when the claim's own evidence points nowhere)."""
    way = direction(claim)
    if way is None:
        return []
    others = list(
        Claim.objects.published()
        .related_to(claim)
        .filter(pointing(CONTRADICTS if way == SUPPORTS else SUPPORTS))
        .only(
            "pk", "slug", "plain_statement", "verdict", "pro_score", "against_score", "created_at"
        )
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
