"""The claim page's evidence lists: each approved link as a row with its contribution, the
counts, the two sides (shown in part or whole) and the query strings their links carry."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.template.defaultfilters import pluralize
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator

import scoring
from scoring import CERTAINTY_LABELS, STANCE_WORDS
from studies.models import Stance

from .appraisal_reasons import appraisal_reasons
from .models import Evidence
from .verdict_text import NO_CERTAINTY, NO_CERTAINTY_COUNTED

AWAITING_APPRAISAL = "awaiting appraisal"  # the words readers see, everywhere
NOTICE_DATE = "j F Y"  # "5 March 2024", as the templates' |date:"j F Y"


@dataclass(frozen=True)
class EvidenceCounts:
    """How many of a claim's approved links count, on which side, and how many do not."""

    supporting: int  # counted
    contradicting: int  # counted
    not_counted: int  # retracted, pooled in a review, or the same trial as another
    awaiting: int  # awaiting appraisal: listed, scored nothing

    @property
    def counted(self) -> int:
        return self.supporting + self.contradicting

    @property
    def sentence(self) -> str:
        """ "1 study counted, none against; 1 awaiting appraisal." """
        if not self.counted:
            text = "No study counted yet"
        else:
            text = f"{self.counted} stud{pluralize(self.counted, 'y,ies')} counted"
            if not self.contradicting:
                text += ", none against"
            elif not self.supporting:
                text += ", none in support"
            else:
                text += f": {self.supporting} supporting, {self.contradicting} against"
        if self.not_counted:
            text += f"; {self.not_counted} not counted"
        if self.awaiting:
            text += f"; {self.awaiting} {AWAITING_APPRAISAL}"
        return text + "."

    @property
    def no_certainty(self) -> str:
        """Why the verdict panel has no certainty line."""
        if self.not_counted:
            return NO_CERTAINTY_COUNTED
        return NO_CERTAINTY


def evidence_counts(evidence: list[Evidence], card: scoring.Scorecard) -> EvidenceCounts:
    by_key = {contribution.key: contribution for contribution in card.contributions}
    tally = {Stance.SUPPORTS: 0, Stance.CONTRADICTS: 0, "not_counted": 0, "awaiting": 0}
    for item in evidence:
        contribution = by_key.get(item.pk)
        if contribution is None:
            tally["awaiting"] += 1
        elif contribution.counted:
            tally[contribution.stance] += 1
        else:
            tally["not_counted"] += 1
    return EvidenceCounts(
        tally[Stance.SUPPORTS], tally[Stance.CONTRADICTS], tally["not_counted"], tally["awaiting"]
    )


@dataclass(frozen=True)
class EvidenceRow:
    """One approved link as the page lists it. `contribution` is None for a link awaiting
    appraisal (it is not a scoring item); `instead` is the link that counts in a not-counted
    link's place: the review that pools it, or the publication of the same trial that counts."""

    evidence: Evidence
    contribution: scoring.Contribution | None
    instead: Evidence | None = None

    @property
    def study(self):
        return self.evidence.study

    @property
    def is_awaiting(self) -> bool:
        return self.contribution is None

    @property
    def counted(self) -> bool:
        return self.contribution is not None and self.contribution.counted

    @property
    def not_counted(self) -> str | None:
        """scoring's reason ("retracted", "pooled in", "same trial"), "awaiting appraisal", or
        None for a counted link."""
        if self.contribution is None:
            return AWAITING_APPRAISAL
        return self.contribution.not_counted

    @property
    def points(self) -> float:
        """What the link adds to its side: nothing unless it counts."""
        return self.contribution.points if self.counted else 0.0

    @property
    def certainty(self) -> str | None:
        return self.contribution.certainty if self.contribution else None

    @property
    def certainty_label(self) -> str:
        return CERTAINTY_LABELS[self.contribution.certainty] if self.contribution else ""

    @property
    def share_percent(self) -> int:
        return round(100 * self.contribution.share) if self.counted else 0

    @property
    def side_name(self) -> str:
        return "Pro" if self.evidence.stance == Stance.SUPPORTS else "Against"

    @property
    def instead_citation(self) -> str:
        return citation(self.instead.study) if self.instead else ""

    @property
    def trial(self) -> str:
        """The trial's registration, as the publication that counts for it spells it
        (registrations match whatever their case), else as this one does."""
        counted = self.instead.study.trial_registration if self.instead else ""
        return counted or self.study.trial_registration

    @property
    def not_counted_note(self) -> str:
        """Why it scores nothing, in words: "retracted (notice 10.1/x, 3 May 2024)", "same trial
        as Refalo et al. 2024 (NCT01234567)", "pooled in Smith et al. 2023", "awaiting
        appraisal"; "" for a counted link."""
        reason, study = self.not_counted, self.study
        if reason == scoring.RETRACTED:
            notice = [
                *([study.retraction_notice_doi] if study.retraction_notice_doi else []),
                *(
                    [date_format(study.retraction_date, NOTICE_DATE)]
                    if study.retraction_date
                    else []
                ),
            ]
            return f"retracted (notice {', '.join(notice)})" if notice else "retracted"
        if reason == scoring.SAME_TRIAL:
            trial = f" ({self.trial})" if self.trial else ""
            return f"same trial as {self.instead_citation or 'another publication'}{trial}"
        if reason == scoring.POOLED_IN:
            return f"pooled in {self.instead_citation or 'a review on this claim'}"
        return reason or ""

    @property
    def reasons(self) -> list[str]:
        return appraisal_reasons(self.evidence, self.contribution)


def citation(study) -> str:
    """A study in a few words: "Refalo et al. 2024", or its title cut short."""
    return study.short_citation or Truncator(study.title).words(8)


def evidence_rows(
    evidence: list[Evidence], card: scoring.Scorecard
) -> dict[str, list[EvidenceRow]]:
    """Each side's approved links with their contributions: the counted strongest first, then
    those that do not count (with the link counting instead), then those awaiting appraisal."""
    by_key = {contribution.key: contribution for contribution in card.contributions}
    by_pk = {item.pk: item for item in evidence}
    rows = []
    for item in evidence:
        contribution = by_key.get(item.pk)
        instead = None
        if contribution is not None and contribution.not_counted in (
            scoring.SAME_TRIAL,
            scoring.POOLED_IN,
        ):
            instead = by_pk.get(contribution.not_counted_because)
        rows.append(EvidenceRow(item, contribution, instead))

    def order(row: EvidenceRow):
        if row.counted:
            return (0, row.contribution.rank)
        return (1 if row.contribution is not None else 2, 0)

    rows.sort(key=order)  # stable: links that do not count keep their order
    return {
        Stance.SUPPORTS: [row for row in rows if row.evidence.stance == Stance.SUPPORTS],
        Stance.CONTRADICTS: [row for row in rows if row.evidence.stance == Stance.CONTRADICTS],
    }


# How many studies each side of the claim page lists before "Show all …".
EVIDENCE_SHOWN = 10
# The `evidence` query parameter: which sides are listed whole.
EVIDENCE_EXPANDS = {
    Stance.SUPPORTS: {Stance.SUPPORTS},
    Stance.CONTRADICTS: {Stance.CONTRADICTS},
    "all": {Stance.SUPPORTS, Stance.CONTRADICTS},
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


def wording_toggle(url: str, wording: str, query: Callable[..., str]) -> WordingToggle:
    """`query`: the page's query string with a parameter changed (PageKey.query), so the link
    keeps the lists as shown."""
    other = "plain" if wording == "scientific" else "scientific"
    return WordingToggle(
        href=url + query(wording=_wording_param(other)),
        hx_get=url + query(wording=other),
    )


@dataclass(frozen=True)
class EvidenceSide:
    """One side's list on the claim page: its strongest studies, or all of them."""

    stance: str
    rows: list
    expanded: bool
    score: int  # the side's score, 0-100, as the heading shows it ("Supporting (1) · 66")
    # The query string of the no-JavaScript "Show all" link: it keeps the other side as it is,
    # and the wording.
    show_all_query: str

    @property
    def key(self) -> str:
        return STANCE_WORDS[self.stance]

    @property
    def heading(self) -> str:
        return STANCE_WORDS[self.stance].capitalize()

    @property
    def shown(self) -> list:
        return self.rows if self.expanded else self.rows[:EVIDENCE_SHOWN]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown)

    @property
    def uncounted(self) -> int:
        """How many listed here score nothing (not counted, or awaiting appraisal)."""
        return sum(1 for row in self.rows if not row.counted)

    @property
    def counts_note(self) -> str:
        """ "2 counted · 1 not counted · 1 awaiting appraisal" """
        awaiting = sum(1 for row in self.rows if row.is_awaiting)
        parts = [
            (len(self.rows) - self.uncounted, "counted"),
            (self.uncounted - awaiting, "not counted"),
            (awaiting, AWAITING_APPRAISAL),
        ]
        return " · ".join(f"{count} {words}" for count, words in parts if count)

    @property
    def more_from(self) -> int | None:
        """The position of the first study "Show all" added, when the list is shown whole."""
        return EVIDENCE_SHOWN + 1 if self.expanded and len(self.rows) > EVIDENCE_SHOWN else None


def evidence_mode(value: str | None) -> str:
    """The `evidence` query parameter, or "" (each side's strongest studies) when unknown."""
    return value if value in EVIDENCE_EXPANDS else ""


def evidence_sides(
    rows: dict[str, list], mode: str, scores: dict[str, int], query: Callable[..., str]
) -> dict[str, EvidenceSide]:
    """Each side's list; `scores` is each stance's side score (the scorecard's pro, against);
    `query` the page's query string with a parameter changed (PageKey.query), so the "Show
    all" links keep the wording, the other side, the breakdown and the forest plots."""
    expanded = EVIDENCE_EXPANDS.get(mode, set())
    sides = {}
    for stance in (Stance.SUPPORTS, Stance.CONTRADICTS):
        other = Stance.CONTRADICTS if stance == Stance.SUPPORTS else Stance.SUPPORTS
        show_all = "all" if other in expanded else stance
        sides[stance] = EvidenceSide(
            stance=stance,
            rows=rows[stance],
            expanded=stance in expanded,
            score=scores[stance],
            show_all_query=query(evidence=show_all),
        )
    return sides
