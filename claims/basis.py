"""Whether the published analysis still rests on the evidence that counts now, and what moved
since it was written (the claim page's notice and the JSON record's analysis_out_of_date)."""

from dataclasses import dataclass

from django.template.defaultfilters import pluralize

from .models import Analysis
from .services import basis_digest


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
