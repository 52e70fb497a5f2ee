"""What the claim pages show, built from models and a scorecard (no HTTP here)."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

import scoring
from studies.models import CERTAINTY_LABELS, DESIGN_LABELS

from .models import Analysis, Claim, Evidence
from .services import basis_digest, snapshot_rows

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

AWAITING_APPRAISAL = "awaiting appraisal"  # the words readers see, everywhere
NOTICE_DATE = "j F Y"  # "5 March 2024", as the templates' |date:"j F Y"
NO_CERTAINTY = "Nothing has been appraised yet, so there is no certainty to report."
NO_CERTAINTY_COUNTED = "No appraised study counts yet, so there is no certainty to report."


def certainty_words(certainty: str | None) -> str:
    """ "Low certainty", "Very low certainty"; "" when nothing has been rated."""
    return f"{CERTAINTY_LABELS[certainty]} certainty" if certainty else ""


def verdict_with_certainty(card: scoring.Scorecard, *, brackets: bool = False) -> str:
    """ "Moderate support, low certainty" (ClaimReview's label), or with brackets the
    "Moderate support (low certainty)" of the page's descriptions; the verdict alone when no
    certainty has been rated."""
    if not card.certainty:
        return card.verdict
    words = certainty_words(card.certainty).lower()
    return f"{card.verdict} ({words})" if brackets else f"{card.verdict}, {words}"


def page_description(card: scoring.Scorecard, text: str) -> str:
    """og:description and the meta description: the capped verdict and the certainty first
    ("Moderate support (low certainty): This may be true. …"), then `text` (the claim)."""
    return f"{verdict_with_certainty(card, brackets=True)}: {card.statement} {text}"


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
    tally = {"supports": 0, "contradicts": 0, "not_counted": 0, "awaiting": 0}
    for item in evidence:
        contribution = by_key.get(item.pk)
        if contribution is None:
            tally["awaiting"] += 1
        elif contribution.counted:
            tally[contribution.stance] += 1
        else:
            tally["not_counted"] += 1
    return EvidenceCounts(
        tally["supports"], tally["contradicts"], tally["not_counted"], tally["awaiting"]
    )


_LEVELS = {1: "one level", 2: "two levels", 3: "three levels", 4: "four levels"}
_COUNTS = {1: "one", 2: "two"}
_SERIOUSNESS = {1: "Serious", 2: "Very serious"}
# The GRADE concerns that rate a study's own certainty down (Evidence.downgrades), in GRADE's
# order: (field, what it is called, its reason field).
_DOWNGRADES = (
    ("risk_of_bias", "risk of bias", "risk_of_bias_reason"),
    ("inconsistency", "inconsistency", "inconsistency_reason"),
    ("indirectness", "indirectness", "indirectness_reason"),
    ("imprecision", "imprecision", "imprecision_reason"),
    ("publication_bias", "publication bias", "publication_bias_reason"),
)
_RISK_OF_BIAS_WORDS = {"low": "low", "some": "some concerns", "high": "high"}
# Said beside a judgement that moves only the certainty of the body of evidence (scoring reads
# the RoB judgement, indirectness and the `imprecise` flag there), so a reader tells it from the
# concerns that rated this study down, which its certainty line names.
BODY_ONLY = "affects the certainty of the whole body of evidence, not this study's points"
SET_DIRECTLY = "not applied: a certainty set directly is used as it is"
IMPRECISE = "Its confidence interval includes both an important effect and none"

# The words labels are made of. An editor's reason that opens with a short clause of these
# alone ("Some concerns (RoB 2).", "Not assessed:", "Indirect for this claim:") restates the
# label the page puts in front of it, so that clause is left out.
_LABEL_WORDS = frozenset(
    " ".join(
        (
            "a an the this for of in is at",
            "low some moderate high very serious seriously concern concerns certainty level levels",
            "risk bias rob 2 robins-i d1 d2 d3 d4 d5 overall judgement not yet assessed unclear",
            "inconsistent inconsistency indirect indirectly indirectness imprecise imprecision",
            "publication suspected claim study rated down up large effect",
        )
    ).split(" ")
)
_OPENING_CLAUSE = re.compile(r"^\s*([^.:;—]{1,60}?)\s*(?:[.:;]|\s—)\s+(?=\S)")
_BIAS_DOMAIN = re.compile(r"^(?P<name>.+) \((?P<tool>RoB 2|ROBINS-I)(?:, (?P<code>D\d))?\)$")


def _levels(count: int) -> str:
    return _LEVELS.get(count, f"{count} levels")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _lower_first(label: str) -> str:
    """ "Meta-analysis of RCTs" -> "meta-analysis of RCTs": only the first letter, and not
    that of an acronym."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def own_words(reason: str) -> str:
    """The editor's reason, whitespace collapsed, without an opening clause that only restates
    the label it is shown under ("Some concerns (RoB 2). Each person's legs…" -> "Each
    person's legs…")."""
    reason = " ".join((reason or "").split())
    match = _OPENING_CLAUSE.match(reason)
    if match:
        words = re.findall(r"[\w-]+", match.group(1).lower())
        if 0 < len(words) <= 6 and set(words) <= _LABEL_WORDS:
            rest = reason[match.end() :]
            reason = rest[:1].upper() + rest[1:]
    elif set(re.findall(r"[\w-]+", reason.lower())) <= _LABEL_WORDS:
        return ""  # the reason is the label again ("Some concerns.")
    return reason


def _with_reason(text: str, reason: str, separator: str = ": ") -> str:
    reason = own_words(reason)
    return f"{text}{separator}{reason}" if reason else f"{text}."


def appraisal_reasons(evidence: Evidence, contribution: scoring.Contribution | None) -> list[str]:
    """Why this study has its certainty for this claim, with the reasons the editor recorded:
    where it starts (or the certainty the editor set) and what rated it down, its risk of bias,
    each concern, its imprecision and any upgrade. Each reads "<label>: <editor's reason>";
    a judgement that does not move this study's own certainty says so beside it. Nothing for
    a link awaiting appraisal: nobody has judged it. Reads only the link and its study (no
    query)."""
    if contribution is None:
        return []
    e, derived = evidence, contribution.certainty_derived
    reasons = [_certainty_reason(e, contribution), _risk_of_bias_reason(e, derived)]
    for field, name, reason_field in _DOWNGRADES[1:]:
        value = getattr(e, field)
        if value:
            label = f"{_serious(value)} {name}"
            if not derived:  # the editor's certainty is used as it is
                label += f" ({BODY_ONLY if field == 'indirectness' else SET_DIRECTLY})"
            reasons.append(_with_reason(label, getattr(e, reason_field)))
        if field == "imprecision" and e.imprecise:
            flag = f"{IMPRECISE} ({BODY_ONLY})"
            # The reason once: beside the level of imprecision when there is one.
            reasons.append(f"{flag}." if value else _with_reason(flag, e.imprecision_reason))
    if e.upgrades:
        reasons.append(_upgrade_reason(e, contribution))
    return reasons


def _serious(level: int) -> str:
    return _SERIOUSNESS.get(level, "Serious")


def _design_with_article(design: str) -> str:
    noun = _lower_first(DESIGN_LABELS.get(design, design))
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _certainty_reason(e: Evidence, contribution: scoring.Contribution) -> str:
    level = CERTAINTY_LABELS[contribution.certainty]
    if not contribution.certainty_derived:
        if not own_words(e.certainty_reason):
            return f"{level} certainty, set by an editor (no reason recorded)."
        return _with_reason(f"{level} certainty, set by an editor", e.certainty_reason)
    start = CERTAINTY_LABELS[contribution.start_level].lower()
    steps = [f"{_design_with_article(e.study.design)} starts at {start} certainty"]
    if rated_down := _rated_down(e):
        steps.append(rated_down)
    if e.upgrades and not _upgrade_refused(e, contribution):
        steps.append(f"rated up {_levels(e.upgrades)}")
    return f"{level} certainty: {', '.join(steps)}."


def _rated_down(e: Evidence) -> str:
    """ "rated down two levels for risk of bias and indirectness", or with different levels
    "rated down three levels (two for risk of bias, one for publication bias)"; "" for none."""
    concerns = [(getattr(e, field), name) for field, name, _ in _DOWNGRADES if getattr(e, field)]
    if not concerns:
        return ""
    total = sum(levels for levels, _ in concerns)
    if all(levels == 1 for levels, _ in concerns):
        return f"rated down {_levels(total)} for {_and([name for _, name in concerns])}"
    each = ", ".join(f"{_COUNTS.get(levels, levels)} for {name}" for levels, name in concerns)
    return f"rated down {_levels(total)} ({each})"


def _risk_of_bias_reason(e: Evidence, derived: bool) -> str:
    """The risk-of-bias tool's judgement, as the tool words it ("Risk of bias (RoB 2): some
    concerns, driven by measurement of the outcome (D4)"). The GRADE concern that rates the
    study down for it is named in the certainty line; without it, the judgement feeds only the
    body of evidence."""
    judgement = e.risk_of_bias_judgement
    if judgement == Evidence.RiskOfBias.NOT_ASSESSED:
        text = "Risk of bias not yet assessed, counted as some concerns"
    else:
        tool, domain = _bias_domain(e)
        text = f"Risk of bias ({tool})" if tool else "Risk of bias"
        text += f": {_RISK_OF_BIAS_WORDS[judgement]}"
        if domain:
            text += f", driven by {domain}"
    if judgement != Evidence.RiskOfBias.LOW and not (derived and e.risk_of_bias):
        text += f" ({BODY_ONLY})"
    return _with_reason(text, e.risk_of_bias_reason, " — ")


def _bias_domain(e: Evidence) -> tuple[str, str]:
    """(tool, domain in words): ("RoB 2", "measurement of the outcome (D4)"), ("ROBINS-I",
    "confounding"), or ("", "") when no domain is recorded."""
    if not e.risk_of_bias_domain:
        return "", ""
    label = e.get_risk_of_bias_domain_display()
    match = _BIAS_DOMAIN.match(label)
    if not match:
        return "", _lower_first(label)
    name = _lower_first(match["name"])
    if e.risk_of_bias_domain == Evidence.BiasDomain.RANDOMISATION:
        name = f"the {name}"
    return match["tool"], f"{name} ({match['code']})" if match["code"] else name


def _upgrade_reason(e: Evidence, contribution: scoring.Contribution) -> str:
    kinds = []
    if e.large_effect:
        kinds.append("a very large effect" if e.large_effect > 1 else "a large effect")
    if e.dose_response:
        kinds.append("a dose-response gradient")
    if e.plausible_confounding:
        kinds.append("confounding that would reduce the effect")
    words = " and ".join(kinds)
    if why_not := _upgrade_refused(e, contribution):
        return _with_reason(f"Upgrade for {words} (not applied: {why_not})", e.upgrade_reason)
    return _with_reason(f"Rated up for {words}", e.upgrade_reason)


def _upgrade_refused(e: Evidence, contribution: scoring.Contribution) -> str:
    """Why an upgrade the editor recorded moves nothing (design.md §3.2), or ""."""
    if not contribution.certainty_derived:
        return "a certainty set directly is used as it is"
    if e.study.design not in scoring.weights.OBSERVATIONAL_DESIGNS:
        return "only observational studies are rated up"
    if e.downgrades:
        return "a study rated down is not rated up"
    return ""


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
        return "Pro" if self.evidence.stance == "supports" else "Against"

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
        "supports": [row for row in rows if row.evidence.stance == "supports"],
        "contradicts": [row for row in rows if row.evidence.stance == "contradicts"],
    }


@dataclass(frozen=True)
class BasisChange:
    """How the counted evidence moved between two evidence snapshots (services.snapshot_rows
    rows): studies that now count, that no longer count, and that count with another stance or
    certainty (what basis_digest fingerprints)."""

    added: int
    removed: int
    changed: int

    @property
    def sentence(self) -> str:
        """ "1 study added since this summary was written; an editor is updating it." """
        parts = [
            (count, words)
            for count, words in (
                (self.added, "added"),
                (self.removed, "no longer counted"),
                (self.changed, "re-appraised"),
            )
            if count
        ]
        if not parts:
            return (
                "The evidence has changed since this summary was written; an editor is updating it."
            )
        (count, words), *rest = parts
        said = [f"{count} stud{pluralize(count, 'y,ies')} {words}"]
        said += [f"{count} {words}" for count, words in rest]
        text = said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"
        return f"{text} since this summary was written; an editor is updating it."


def basis_change(before: list[dict], after: list[dict]) -> BasisChange:
    """Compare the counted rows of two evidence snapshots, study by study."""

    def counted(rows):
        return {row["study_id"]: row for row in rows if row.get("counted", True)}

    old, new = counted(before), counted(after)
    changed = sum(
        1
        for study_id in old.keys() & new.keys()
        if (old[study_id]["stance"], old[study_id]["certainty"])
        != (new[study_id]["stance"], new[study_id]["certainty"])
    )
    return BasisChange(
        added=len(new.keys() - old.keys()), removed=len(old.keys() - new.keys()), changed=changed
    )


def analysis_out_of_date(analysis: Analysis | None, live_rows: list[dict]) -> BasisChange | None:
    """What changed in the counted evidence since the analysis was written, or None while it
    still rests on the evidence that counts now (or recorded no basis to compare with).
    `live_rows` is services.snapshot_rows() of the live scorecard."""
    if analysis is None or not analysis.basis_digest:
        return None
    if analysis.basis_digest == basis_digest(live_rows):
        return None
    return basis_change(analysis.evidence_snapshot, live_rows)


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


# What a certainty level means, in GRADE's own definitions (Balshem et al. 2011): how close
# the true effect is likely to be to what the studies found. Not a prediction about further
# research, which the page's "what would change the verdict" line can contradict.
CERTAINTY_MEANS = {
    "high": "High certainty means we are very confident that the true effect is close to what "
    "the studies found.",
    "moderate": "Moderate certainty means we are moderately confident: the true effect is "
    "probably close to what the studies found, but it may be substantially different.",
    "low": "Low certainty means our confidence is limited: the true effect may be substantially "
    "different from what the studies found.",
    "very_low": "Very low certainty means we have very little confidence: the true effect is "
    "likely to be substantially different from what the studies found.",
}


def verdict_sentence(card: scoring.Scorecard) -> str:
    """The plain sentences under the verdict: the scores, read off the scorecard, how the
    certainty caps the verdict when it does, and what the certainty means, so nothing here
    reads stronger than the capped verdict."""
    if not card.counted:
        return "No study counts for this claim yet, so there is no verdict either way."
    if not card.against_effective:
        scores = f"Supporting studies score {card.pro} out of 100; no study contradicts it yet."
    elif not card.pro_effective:
        scores = f"Contradicting studies score {card.against} out of 100; no study supports it yet."
    else:
        if card.pro == card.against:
            lead = "neither side leads"
        elif card.pro > card.against:
            lead = f"support leads by {card.pro - card.against}"
        else:
            lead = f"the evidence against leads by {card.against - card.pro}"
        scores = (
            f"Supporting studies score {card.pro} and contradicting studies {card.against}, "
            f"each out of 100: {lead}."
        )
    sentences = [scores]
    if card.verdict == scoring.INSUFFICIENT:
        sentences.append("That is too little for a verdict either way.")
    elif card.verdict == scoring.VERY_UNCERTAIN:
        sentences.append(
            "At very low certainty the verdict is very uncertain whatever the scores: they show "
            "which way the studies point, not whether the claim is true."
        )
    elif _capped(card):
        # "Moderate support" beside "Low certainty": two uses of one scale's words, explained.
        strong = "strong support" if card.pro > card.against else "strong contradiction"
        level = CERTAINTY_LABELS[scoring.weights.STRONG_NEEDS_AT_LEAST].lower()
        sentences.append(
            f"The scores alone would read as {strong}, but {strong} needs at least {level} "
            f"certainty, so at {CERTAINTY_LABELS[card.certainty].lower()} certainty the verdict "
            f"stops at {card.verdict.lower()}: “moderate” says how far the studies lean, not "
            "how sure anyone can be."
        )
    if card.certainty:
        sentences.append(CERTAINTY_MEANS[card.certainty])
    return " ".join(sentences)


def _capped(card: scoring.Scorecard) -> bool:
    """Whether the scores alone would give a strong verdict that the certainty caps (§3.4)."""
    w = scoring.weights
    high, low = max(card.pro, card.against), min(card.pro, card.against)
    return (
        card.certainty in w.LEVELS
        and w.LEVELS.index(card.certainty) < w.LEVELS.index(w.STRONG_NEEDS_AT_LEAST)
        and card.verdict in (scoring.MODERATE_SUPPORT, scoring.MODERATELY_CONTRADICTED)
        and high >= w.STRONG_AT_LEAST
        and low < w.STRONG_OTHER_BELOW
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
    "retracted": "Retracted",
    "pooled_in": "Pooled in a review that counts",
    "same_trial": "Another publication of the same trial",
    "observational_for_correlational_or_descriptive_claim": (
        "Human observational study, for a correlational or descriptive claim"
    ),
    "serious": "Levels down for a serious concern",
    "very_serious": "Levels down for a very serious concern",
    "risk_of_bias_share": "Risk of bias: share of the weight that decides",
    "risk_of_bias_not_assessed": "Risk of bias not yet assessed counts as",
    "inconsistency_very_serious_at": "Inconsistency very serious from this share against",
    "inconsistency_serious_at": "Inconsistency serious from this share against",
    "inconsistency_on_a_tie": "Inconsistency share when the sides tie",
    "indirectness_most": "Indirectness: most levels down",
    "imprecision_very_serious_below": "Imprecision very serious below this many participants",
    "publication_bias": "Levels down when publication bias is suspected",
    "upgrade_most": "Most levels up for observational evidence",
    "very_uncertain_at": "Very uncertain at",
    "strong_needs_at_least": "Strong: the certainty at least",
    "high_against": "High, against",
    "moderate_against": "Moderate, against",
    "low_against": "Low, against",
    "evenly_split": "Sides even",
    "no_certainty": "Nothing counted",
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
    "some": "Some concerns",
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
                    "retraction_status": row.study.retraction_status,
                    "retraction_notice_doi": row.study.retraction_notice_doi or None,
                    "trial_registration": row.study.trial_registration or None,
                    "url": absolute(row.study.get_absolute_url()),
                },
                "finding": row.evidence.finding,
                "appraisal_status": row.evidence.appraisal_status,
                "counted": row.counted,
                "not_counted": row.not_counted,
                "not_counted_note": row.not_counted_note or None,
                "certainty": row.certainty,
                "certainty_derived": row.contribution.certainty_derived
                if row.contribution
                else None,
                "reasons": row.reasons,
                "risk_of_bias": row.evidence.risk_of_bias_judgement,
                "strength": row.evidence.strength,
                "points": round(row.points, 2),
                "rank": row.contribution.rank if row.contribution else None,
                "weight": round(row.contribution.weight, 2) if row.contribution else 0.0,
                "share": round(row.contribution.share, 4) if row.contribution else 0.0,
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
    """schema.org ClaimReview: the capped verdict as a rating on a 1–5 scale (5 = strongly
    supported), its label carrying the certainty ("Moderate support, low certainty"); see
    VERDICT_RATING for the verdicts that are a label only.

    Its `url` is also the page's canonical URL and og:url. The claim records no external
    source, so itemReviewed has no `appearance` (that would be this page itself)."""
    published = analysis.published_at if analysis else claim.created_at
    rating = {"@type": "Rating", "alternateName": verdict_with_certainty(card)}
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
