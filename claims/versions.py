"""A permanent page per analysis version (/claims/<slug>/v/<n>/) and "Cite this claim".

A version page shows what was recorded when the version was published: the verdict, Pro,
Against, certainty and its reasons, and the studies of its evidence snapshot (Analysis fields,
as the History page reads them), never today's scorecard. Versions published before bases were
recorded say so (history.NOT_RECORDED).

What the model keeps per version, and so what the page can honestly show:
- the scores and snapshot: recorded on the Analysis at publishing, never edited after;
- the claim's wording and its "What the research says": read from the claim's audit trail
  (HistoricalClaim) as it stood at `published_at`; a version published before the trail
  started falls back to today's wording and the page says so;
- its bottom line, who it applies to and "How it might work": the same audit-trail row;
- "What would change the verdict": recorded at publishing (none for older versions);
- the version's mechanisms, steps and their levels: recorded when the next version replaced it
  (claims.version_snapshot); the current version, and a version replaced before records
  began, show the rows stored for that version (the page says which).

The citation (APA text, BibTeX, RIS) is plain strings built with the exports' escapers.
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

import scoring
from core.site import site_url
from studies.models import Stance, Study

from .exports import _verbatim, bibtex_title, latex_escape, one_line, ris_url
from .history import NOT_RECORDED
from .models import Analysis, Claim
from .models.analysis import citation_title
from .verdict_text import certainty_words
from .version_snapshot import FrozenAnalysis

# Versions are numbered from 1; a larger number than a database integer is no version.
MAX_VERSION = 2**31 - 1
WORDING_NOT_RECORDED = (
    "The claim's wording when this version was published was not recorded: shown is today's "
    "(its bottom line and explanation then were not recorded either)."
)
MECHANISMS_NOT_RECORDED = (
    "This version was replaced before mechanisms were recorded: shown are its mechanisms and "
    "steps as they stand today, with levels from today's appraisals."
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def published_versions(claim: Claim):
    """The claim's analysis versions whose publication date has come."""
    return Analysis.objects.filter(claim=claim, published_at__lte=timezone.now())


def version_or_none(claim: Claim, number: int, *, mechanisms: bool = True) -> Analysis | None:
    """Version `number` of a published claim, or None; with `mechanisms`, its mechanisms,
    steps and their studies too (5 queries)."""
    if not 1 <= number <= MAX_VERSION:
        return None
    analyses = published_versions(claim).filter(version=number)
    return (analyses.with_mechanisms() if mechanisms else analyses).first()


def worded_at(claim: Claim, moment):
    """The claim as its audit trail had it at `moment` (one query), else today's claim."""
    record = (
        claim.history.filter(history_date__lte=moment)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return record or claim


@dataclass
class SnapshotStudy:
    """One study of a version's evidence snapshot, as recorded then."""

    row: dict
    study: Study | None  # None: the study was deleted since

    @property
    def name(self) -> str:
        if self.study is not None:
            return self.study.short_citation or self.study.title
        return self.row.get("title") or self.row.get("doi") or "A study since removed"

    @property
    def counted(self) -> bool:
        return self.row.get("counted", True)

    @property
    def certainty(self) -> str:
        return dict(scoring.CERTAINTIES).get(self.row.get("certainty"), "")

    @property
    def points(self):
        return self.row.get("points")

    @property
    def not_counted(self) -> str:
        return self.row.get("not_counted", "")


class VersionPage:
    """Everything claim_version.html shows, computed on first use."""

    def __init__(self, request: HttpRequest, claim: Claim, analysis: Analysis):
        self.request = request
        self.claim = claim
        self.analysis = analysis
        self.recorded = analysis.is_frozen
        self.not_recorded = NOT_RECORDED
        self.out_of_date = None  # _mechanisms.html's note: a version page has the banner

    @cached_property
    def current_version(self) -> int:
        latest = published_versions(self.claim).order_by("-version").first()
        return latest.version

    @property
    def is_current(self) -> bool:
        return self.analysis.version == self.current_version

    @cached_property
    def worded(self):
        """The claim (wording, headline, summary) as it stood when the version was published:
        its audit-trail row, else today's claim (`wording_recorded` False)."""
        return worded_at(self.claim, self.analysis.published_at)

    @property
    def wording_recorded(self) -> bool:
        return self.worded is not self.claim

    @property
    def wording_note(self) -> str:
        return "" if self.wording_recorded else WORDING_NOT_RECORDED

    @property
    def title(self) -> str:
        return self.analysis.cited_title or citation_title(self.worded)

    @cached_property
    def mechanisms(self):
        """What `_mechanisms.html` shows: the record taken when the version was replaced, else
        the version's own rows (the current version; one replaced before records began)."""
        if self.analysis.mechanisms_recorded_at is not None:
            return FrozenAnalysis(self.analysis)
        return self.analysis

    @property
    def mechanisms_note(self) -> str:
        if self.analysis.mechanisms_recorded_at is not None:
            moment = timezone.localdate(self.analysis.mechanisms_recorded_at)
            return (
                f"Mechanisms and step levels as recorded on {moment.day} {moment:%B %Y}, "
                "when the next version replaced this one."
            )
        return "" if self.is_current else MECHANISMS_NOT_RECORDED

    @property
    def counted(self) -> bool:
        return any(row.get("counted", True) for row in self.analysis.evidence_snapshot or [])

    @property
    def statement(self) -> str:
        """GRADE's statement from the recorded certainty and lead; "" when not recorded (a
        version scored before certainty was recorded has no certainty but counted studies:
        "not enough evidence to say" would be false of it)."""
        certainty = self.analysis.certainty
        if not self.recorded or (not certainty and self.counted):
            return ""
        lead = scoring.lead_side(self.analysis.pro, self.analysis.against)
        return scoring.statement_for(certainty or None, lead)

    @property
    def certainty_words(self) -> str:
        if self.analysis.certainty:
            return certainty_words(self.analysis.certainty)
        return "Certainty not recorded" if self.counted else ""

    @cached_property
    def studies(self) -> dict[str, list[SnapshotStudy]]:
        """The snapshot's studies by side, in recorded order (one query for their pages)."""
        snapshot = self.analysis.evidence_snapshot or []
        ids = {row["study_id"] for row in snapshot}
        found = Study.objects.in_bulk(ids) if ids else {}
        sides = {Stance.SUPPORTS: [], Stance.CONTRADICTS: []}
        for row in snapshot:
            sides.setdefault(row["stance"], []).append(
                SnapshotStudy(row, found.get(row["study_id"]))
            )
        return sides

    @property
    def supporting(self) -> list[SnapshotStudy]:
        return self.studies[Stance.SUPPORTS]

    @property
    def contradicting(self) -> list[SnapshotStudy]:
        return self.studies[Stance.CONTRADICTS]


@dataclass(frozen=True)
class Citation:
    """How to cite one version of a claim: APA text, a BibTeX entry and a RIS record."""

    site: str
    title: str
    version: int
    published: object  # a date
    url: str
    accessed: object  # a date
    key: str
    bib_href: str
    ris_href: str

    @property
    def apa_date(self) -> str:
        d = self.published
        return f"{d.year}, {d:%B} {d.day}"

    @property
    def apa(self) -> str:
        # APA 7: a page that does not change (a version's permanent link) needs no
        # retrieval date, and the URL stands alone without "Retrieved from".
        return f"{self.site}. ({self.apa_date}). {self.title} (Version {self.version}). {self.url}"

    @property
    def highwire(self) -> list[tuple[str, str]]:
        """The `citation_*` meta tags a reference manager reads off the version page (Zotero's
        Embedded Metadata, Google Scholar): the same facts as the files."""
        return [
            ("citation_title", self.title),
            ("citation_author", self.site),
            ("citation_publication_date", f"{self.published:%Y/%m/%d}"),
            ("citation_publisher", self.site),
            ("citation_public_url", self.url),
        ]

    @property
    def bibtex(self) -> str:
        fields = [
            ("title", bibtex_title(self.title)),
            ("author", "{" + latex_escape(self.site) + "}"),  # a body, not a person's name
            ("howpublished", "\\url{" + _verbatim(self.url) + "}"),
            ("url", _verbatim(self.url)),
            ("note", f"Version {self.version}"),
            ("year", str(self.published.year)),
            ("month", MONTHS[self.published.month - 1]),  # BibTeX's own macro, unbraced
            ("urldate", self.accessed.isoformat()),
        ]
        body = ",\n".join(
            f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
            for name, value in fields
        )
        return f"@misc{{{self.key},\n{body}\n}}\n"

    @property
    def ris(self) -> str:
        lines = [
            ("TY", "ELEC"),
            ("TI", self.title),
            ("AU", self.site),  # a body: one name without a comma, as reference managers read it
            ("UR", ris_url(self.url)),
            ("PY", str(self.published.year)),
            ("DA", f"{self.published:%Y/%m/%d}"),
            ("ET", f"Version {self.version}"),
            ("PB", self.site),
            ("Y2", f"{self.accessed:%Y/%m/%d}"),  # accessed
            ("ER", ""),
        ]
        return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)


def version_citation(
    request: HttpRequest, claim: Claim, analysis: Analysis, title: str = ""
) -> Citation:
    """The citation of `analysis`'s version page, titled with the wording as that version was
    published (`title` when the caller has it, else as recorded at publishing, else from the
    audit trail: one query), so the claim page's block and the version's files agree."""
    path = reverse("claim-version", args=[claim.slug, analysis.version])
    return Citation(
        site=settings.SITE_NAME,
        title=title
        or analysis.cited_title
        or citation_title(worded_at(claim, analysis.published_at)),
        version=analysis.version,
        published=timezone.localdate(analysis.published_at),
        url=site_url(request, path),
        accessed=timezone.localdate(),
        key=f"{claim.slug}-v{analysis.version}",
        bib_href=reverse("claim-version-cite", args=[claim.slug, analysis.version, "bib"]),
        ris_href=reverse("claim-version-cite", args=[claim.slug, analysis.version, "ris"]),
    )
