"""The claim page's view model: everything claim_detail.html shows, computed on first use.

A cached `{% cache %}` fragment reads none of the properties it would need, so nothing runs for
a fragment served from the cache. The small, request-independent part (scorecard, current
analysis and whether it is out of date, evidence counts, pending submissions, wording warning)
is itself cached under the claim's version (PageKey.summary); evidence rows, sentences,
mechanisms and related claims are computed only when a fragment misses.
"""

import dataclasses
from functools import cached_property

from django.core.cache import cache
from django.db.models import Subquery

import scoring
from studies.models import RetractionStatus, Stance

from . import effects
from .basis import analysis_out_of_date
from .breakdown import BREAKDOWN_ALL, BREAKDOWN_SHOWN, Breakdown, claim_breakdown
from .credits import APPRAISED, Credits, Reviewer, claim_credits
from .evidence_list import (
    EVIDENCE_EXPANDS,
    EVIDENCE_SHOWN,
    evidence_counts,
    evidence_rows,
    evidence_sides,
    wording_toggle,
)
from .findings import (
    DIRECTION_ONLY_SHOWN,
    FOREST_SHOWN,
    SummaryOfFindings,
    claim_forest,
    summary_of_findings,
)
from .forest_plot import Forest
from .models import Analysis, Claim
from .page_cache import FRAGMENT_TIMEOUT, PageKey
from .page_evidence import page_evidence, whole_rows
from .related import Disagreement, disagreeing
from .services import scoring_items, snapshot_rows
from .structured_data import claim_review_jsonld
from .trust import ClaimDates, claim_dates, legend
from .verdict_text import certainty_meaning, certainty_words, page_description, verdict_sentence
from .wording import wording_warning

RELATED_SHOWN = 5
BANNER_STATUSES = (RetractionStatus.RETRACTED, RetractionStatus.EXPRESSION_OF_CONCERN)


def retraction_notices(evidence) -> list:
    """The distinct studies of appraised links whose status warns readers (retracted, under
    an expression of concern), in link order: the page's banner and the claim JSON."""
    studies = {}
    for link in evidence:
        study = link.study
        if not link.is_awaiting_appraisal and study.retraction_status in BANNER_STATUSES:
            studies.setdefault(study.pk, study)
    return list(studies.values())


class ClaimPage:
    timeout = FRAGMENT_TIMEOUT

    def __init__(self, claim: Claim, key: PageKey):
        self.claim = claim
        self.key = key
        self.full = key.full
        self.wording = key.wording
        self.evidence = key.evidence
        # Sign-up and log-in links come back here; without the query string, so a cached
        # anonymous page does not carry one reader's parameters to the next.
        self.next_path = claim.get_absolute_url()

    @cached_property
    def pico(self) -> list[tuple[str, str]]:
        return effects.pico_rows(self.claim)

    @cached_property
    def _loaded(self) -> tuple[list, dict]:
        return page_evidence(self.claim)

    @property
    def evidence_links(self) -> list:
        """Every approved link, holding what scoring, the counts, the banner and the forest
        plot read (claims.evidence_list.page_evidence); the rows listed are loaded whole."""
        return self._loaded[0]

    @cached_property
    def summary(self) -> dict:
        summary = cache.get(self.key.summary)
        if summary is None:
            summary = self._summary()
            cache.set(self.key.summary, summary, FRAGMENT_TIMEOUT)
        return summary

    def _summary(self) -> dict:
        """Small enough to unpickle in microseconds: no evidence rows, no mechanism tree."""
        claim, evidence, card = self.claim, self.evidence_links, self.full_card
        # The latest analysis, with when the first was published (the page's dates).
        first = Analysis.objects.filter(claim=claim).order_by("published_at", "version")
        analysis = (
            Analysis.objects.for_claim(claim)
            .annotate(first_published_at=Subquery(first.values("published_at")[:1]))
            .first()
        )
        return {
            "card": dataclasses.replace(card, contributions=()),
            "analysis": analysis,
            "counts": evidence_counts(evidence, card),
            # None while the analysis text rests on the evidence that counts now.
            # The live basis (a row per appraised link) only when there is one to compare with.
            "out_of_date": analysis_out_of_date(analysis, snapshot_rows(card, evidence))
            if analysis is not None and analysis.basis_digest
            else None,
            # A submission's save touches its claim, so this count is as fresh as the rest;
            # the credits query counts it (claim_credits).
            "credits": claim_credits(claim),
            # The standing links' designs, as the admin's wording flag reads them: a retracted
            # or unappraised trial does not back causal wording.
            "wording_warning": wording_warning(
                [claim.statement, claim.plain_statement],
                [e.study.design for e in evidence if e.is_standing],
            ),
        }

    # From the cached summary: cheap.

    @property
    def card(self) -> scoring.Scorecard:
        """The scorecard without per-study contributions (full_card has them)."""
        return self.summary["card"]

    @property
    def analysis(self):
        return self.summary["analysis"]

    @property
    def counts(self):
        return self.summary["counts"]

    @property
    def out_of_date(self):
        return self.summary["out_of_date"]

    @property
    def pending_submissions(self) -> int:
        return self.summary["credits"].pending_submissions

    @property
    def credits(self) -> Credits:
        return self.summary["credits"]

    @property
    def reviewed_by(self) -> list[Reviewer]:
        """The editors who appraised the claim's evidence: an editor who only edited its
        text did not review it (claims.credits)."""
        return [r for r in self.credits.reviewers if r.role == APPRAISED]

    @property
    def wording_warning(self):
        return self.summary["wording_warning"]

    @cached_property
    def dates(self) -> ClaimDates:
        return claim_dates(self.claim, self.analysis)

    @cached_property
    def legend(self) -> dict:
        return legend()

    @cached_property
    def verdict_sentence(self) -> str:
        return verdict_sentence(self.card)

    @cached_property
    def certainty_words(self) -> str:
        return certainty_words(self.card.certainty)

    @property
    def certainty_meaning(self) -> str:
        return certainty_meaning(self.card.certainty)

    @cached_property
    def description(self) -> str:
        # Follows the wording shown, as the title does (`?wording=scientific`).
        scientific = self.wording == "scientific"
        statement = self.claim.statement if scientific else self.claim.plain_statement
        return page_description(self.card, statement)

    @property
    def og_description(self) -> str:
        return self.description  # one description, in the wording shown

    @cached_property
    def jsonld(self) -> dict:
        return claim_review_jsonld(self.claim, self.card, self.analysis, self.key.request)

    @cached_property
    def wording_toggle(self):
        return wording_toggle(self.claim.get_absolute_url(), self.wording, self.key.query)

    # Computed only when a fragment misses.

    @property
    def _pooled(self) -> dict:
        """study id -> the reviews pooling it, read with the links (page_evidence)."""
        return self._loaded[1]

    @cached_property
    def full_card(self) -> scoring.Scorecard:
        """The full scorecard, with every study's contribution: claim_scorecard's, scored off
        the page's own items (checked once for it and for "what would change")."""
        claim = self.claim
        return scoring.score_checked(self._items, claim.claim_type, claim.publication_bias)

    @cached_property
    def _items(self) -> list[scoring.Item]:
        """The scoring items, checked once (scoring.as_items)."""
        return scoring.as_items(scoring_items(self.evidence_links, self._pooled))

    @cached_property
    def study_links(self) -> dict[str, str]:
        """DOI → the page of each study linked to the claim, for the DOIs in its explanation."""
        return {e.study.doi: e.study.link_url for e in self.evidence_links if e.study.doi}

    @cached_property
    def rows(self):
        return evidence_rows(self.evidence_links, self.full_card)

    @cached_property
    def listed_rows(self):
        """The rows with whole links where the evidence lists or the breakdown show them: each
        side's first few, or all of a side shown whole."""
        expanded = EVIDENCE_EXPANDS.get(self.evidence, set())
        every = self.key.breakdown == BREAKDOWN_ALL
        few = max(EVIDENCE_SHOWN, BREAKDOWN_SHOWN)
        limits = {stance: None if every or stance in expanded else few for stance in self.rows}
        return whole_rows(self.rows, limits, self.claim)

    @cached_property
    def sides(self) -> dict:
        scores = {Stance.SUPPORTS: self.card.pro, Stance.CONTRADICTS: self.card.against}
        return evidence_sides(self.listed_rows, self.evidence, scores, self.key.query)

    @cached_property
    def side(self):
        """The one side an htmx "Show all" asks for (the evidence-list partial)."""
        return self.sides.get(self.evidence)

    @cached_property
    def breakdown(self) -> Breakdown:
        """The score breakdown: each side's strongest contributions, or every study's."""
        return claim_breakdown(self.listed_rows, self.key.breakdown, self.key.query)

    @cached_property
    def forest_plot(self) -> Forest:
        """One plot per outcome and measure of the counted links' effects, off the loaded rows:
        the strongest FOREST_SHOWN a side each, or every study (`?forest=all`); the first
        DIRECTION_ONLY_SHOWN of those without an effect size (the evidence lists have all)."""
        shown = None if self.key.forest else FOREST_SHOWN
        return claim_forest(self.claim, self.rows, shown=shown, listed=DIRECTION_ONLY_SHOWN)

    @property
    def forest_show_all_query(self) -> str:
        """The no-JavaScript "Show all" link of the forest plots: the other lists kept."""
        return self.key.query(forest="all")

    @cached_property
    def summary_of_findings(self) -> SummaryOfFindings:
        return summary_of_findings(self.claim, self.card, self.forest_plot)

    @cached_property
    def analysis_with_mechanisms(self):
        return Analysis.objects.current_for(self.claim)

    def _what_if(self) -> dict:
        """The claim's scoring arguments and its scorecard: "what would change" and the
        sensitivity line read the sorted points off it instead of scoring the claim again."""
        claim = self.claim
        return {
            "claim_type": claim.claim_type,
            "publication_bias": claim.publication_bias,
            "card": self.full_card,
        }

    @cached_property
    def what_would_change(self) -> str:
        return scoring.what_would_change(self._items, **self._what_if())

    @cached_property
    def sensitivity(self) -> str:
        """How much the scores lean on weak studies, or "" (the page then says nothing): also
        when no study counts, where there is nothing to lean on."""
        if not self.card.counted:
            return ""
        return scoring.sensitivity_sentence(self._items, **self._what_if())

    @cached_property
    def retraction_notices(self) -> list:
        """The appraised studies this verdict rests on that were retracted or are under an
        expression of concern (the banner above the verdict); read off the loaded links, so
        no query per study. A save of the study touches the claim, which moves the page."""
        return retraction_notices(self.evidence_links)

    @cached_property
    def related(self) -> list[Claim]:
        return list(Claim.objects.published().related_to(self.claim)[:RELATED_SHOWN])

    @cached_property
    def related_disagreeing(self) -> list[Disagreement]:
        """Related claims whose verdict points the other way, each with the shared studies
        (claims.related): shown above the list, whether or not they are among its first five."""
        return disagreeing(self.claim)
