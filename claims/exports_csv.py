"""A claim's studies as CSV: one row per study, its appraisal, its effect, the claim's verdict
and PICO on every row. A pure function over the claim's evidence rows, in page order
(claims/exports.py says which order, and holds the BibTeX and RIS writers).

The text opens with a UTF-8 byte order mark: without it Excel on Windows reads the file in the
machine's code page and shows "Müller" as "MÃ¼ller". Python's csv reads it with
`encoding="utf-8-sig"`, pandas and LibreOffice skip it."""

import csv
import io
from collections.abc import Iterable

import scoring
from scoring import DESIGN_LABELS
from studies.work_types import work_kind

from . import effects
from .evidence_list import EvidenceRow
from .exports import one_line, pages_text, study_label

# A link's effect; the claim's PICO, the same on every row (like claim_verdict).
EFFECT_NUMBERS = ("effect_estimate", "effect_ci_lower", "effect_ci_upper")  # may be negative
EFFECT_FIELDS = ("outcome", "effect_measure", *EFFECT_NUMBERS, "effect_unit")
EFFECT_FIELDS += ("effect_time_point", "n_analysed", "effect_reported_in")
PICO_TEXT = ("population", "intervention", "comparator", "outcome", "time_frame")
PICO_THRESHOLD = (
    "important_effect",
    "important_effect_measure",
    "important_effect_unit",
    "expected_direction",
)
CSV_COLUMNS = [
    "stance",
    "doi",
    "title",
    "authors",
    "journal",
    "year",
    "design",
    "design_label",
    "design_confirmed",
    "sample_size",
    "certainty",
    "certainty_derived",
    "strength",
    "points",
    "rank",
    "weight",
    "share",
    "finding",
    "url",
    # Added with the second edition of scoring; new columns go last, so positions stay.
    "appraisal_status",
    "counted",
    "not_counted",
    "not_counted_because",
    "risk_of_bias_judgement",
    "certainty_reasons",
    "claim_verdict",
    "claim_certainty",
    "claim_verdict_statement",
    # Added with effect sizes and PICO (issue 14).
    *EFFECT_FIELDS,
    "effect_reading",
    "effect_reading_words",
    "imprecise",
    "imprecise_derived",
    *(f"claim_{name}" for name in PICO_TEXT + PICO_THRESHOLD),
    # The study facts readers ask for (issue 14).
    "funding",
    "conflicts_of_interest",
    "trial_registration",
    # The interval's kind ("ci", "cri", "hdi"): the bounds above are one of these.
    "effect_ci_kind",
    # Where the study was published, and what kind of work it is (issue 17).
    "volume",
    "issue",
    "pages",
    "issn",
    "publication_type",
    # What the other exports hold too: the title is "title" plus "subtitle" (issue 17).
    "subtitle",
    "pmid",
]
BOM = "\ufeff"
# A spreadsheet would run a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = one_line(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Iterable[EvidenceRow], card: scoring.Scorecard | None = None, claim=None) -> str:
    """One row per study. A study that does not count has 0 points, weight and share and no
    rank; one awaiting appraisal has no certainty either (nobody has judged it yet). With
    `claim`, its PICO on every row and each CI read against its threshold."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        study, evidence, contribution = row.study, row.evidence, row.contribution
        counted = row.counted
        writer.writerow(
            {
                "stance": evidence.stance,
                "doi": study.doi,
                "title": _cell(study.title),
                "authors": _cell(study.authors),
                "journal": _cell(study.journal),
                "year": study.year or "",
                "design": study.design,
                "design_label": DESIGN_LABELS.get(study.design, study.design),
                "design_confirmed": _yes_no(study.design_confirmed),
                "sample_size": study.sample_size or "",
                "certainty": row.certainty or "",
                "certainty_derived": _yes_no(contribution.certainty_derived)
                if contribution
                else "",
                "strength": evidence.strength,
                "points": f"{row.points:.2f}",
                "rank": contribution.rank if counted else "",
                "weight": f"{contribution.weight if counted else 0:.2f}",
                "share": f"{contribution.share if counted else 0:.4f}",
                "finding": _cell(evidence.finding),
                "url": study.doi_url or study.url,
                "funding": _cell(study.funding),
                "conflicts_of_interest": _cell(study.conflicts_of_interest),
                "trial_registration": study.trial_registration,
                "volume": _cell(study.volume),
                "issue": _cell(study.issue),
                "pages": _cell(pages_text(study.pages)),
                "issn": study.issn,
                "publication_type": work_kind(study).name,
                "subtitle": _cell(study.subtitle),
                "pmid": study.pmid,
                "appraisal_status": evidence.appraisal_status,
                "counted": _yes_no(counted),
                "not_counted": row.not_counted or "",
                "not_counted_because": _cell(study_label(row.instead.study)) if row.instead else "",
                "risk_of_bias_judgement": evidence.risk_of_bias_judgement,
                "certainty_reasons": _cell(" ".join(row.reasons)),
                "claim_verdict": card.verdict if card else "",
                "claim_certainty": (card.certainty or "") if card else "",
                "claim_verdict_statement": card.statement if card else "",
                **_effect_cells(evidence, claim),
            }
        )
    return out.getvalue()


def _effect_cells(evidence, claim) -> dict:
    read = effects.reading(evidence, claim)
    cells = {
        name: _blank(value) if name in EFFECT_NUMBERS else _cell(_blank(value))
        for name in EFFECT_FIELDS
        for value in [getattr(evidence, name)]
    }
    cells |= {
        "effect_reading": read.kind or "",
        "effect_reading_words": read.words,
        "imprecise": _yes_no(evidence.imprecise),
        "imprecise_derived": _yes_no(effects.has_ci(evidence)),
        "effect_ci_kind": evidence.effect_ci_kind if effects.has_ci(evidence) else "",
    }
    if claim is not None:
        names = PICO_TEXT + PICO_THRESHOLD
        cells |= {f"claim_{name}": _cell(_blank(getattr(claim, name))) for name in names}
        cells["claim_important_effect"] = _blank(claim.important_effect)  # a number, not _cell
    return cells


def _blank(value) -> str:
    return "" if value is None else str(value)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
