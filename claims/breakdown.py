"""The claim page's score breakdown: each side's strongest contributions, or every study's.

At 5,000 links the whole table was 1.70 MB of a 1.74 MB page (issue 20), so the page shows the
first BREAKDOWN_SHOWN rows a side (the counted strongest first, as the evidence lists) and a
"Show all" link: without JavaScript it loads the page with `?breakdown=all`; with htmx it asks
the same address for the table alone (PageKey.fragment "breakdown") and swaps it in place."""

from collections.abc import Callable
from dataclasses import dataclass

from studies.models import Stance

from .evidence_list import EvidenceRow

# How many rows each side of the breakdown shows before "Show all".
BREAKDOWN_SHOWN = 10
BREAKDOWN_ALL = "all"


def breakdown_mode(value: str | None) -> str:
    """The `breakdown` query parameter: "all" (every study), else "" (the strongest a side)."""
    return BREAKDOWN_ALL if value == BREAKDOWN_ALL else ""


@dataclass(frozen=True)
class Breakdown:
    """The table's rows, a side at a time, and the link that lists them whole."""

    rows: dict[str, list[EvidenceRow]]
    expanded: bool
    # The no-JavaScript "Show all" link's query: the page's other parameters kept.
    show_all_query: str

    def _shown(self, stance: str) -> list[EvidenceRow]:
        rows = self.rows[stance]
        return rows if self.expanded else rows[:BREAKDOWN_SHOWN]

    @property
    def supports(self) -> list[EvidenceRow]:
        return self._shown(Stance.SUPPORTS)

    @property
    def contradicts(self) -> list[EvidenceRow]:
        return self._shown(Stance.CONTRADICTS)

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    @property
    def hidden_count(self) -> int:
        return self.total - len(self.supports) - len(self.contradicts)

    @property
    def caption(self) -> str:
        if self.hidden_count:
            return f"The strongest contributions, up to {BREAKDOWN_SHOWN} a side"
        return "Every study's contribution"


def claim_breakdown(
    rows: dict[str, list[EvidenceRow]], mode: str, query: Callable[..., str]
) -> Breakdown:
    """`query`: the page's query string with a parameter changed (PageKey.query), so the "Show
    all" link keeps the wording, the evidence lists and the forest plots."""
    return Breakdown(
        rows=rows,
        expanded=mode == BREAKDOWN_ALL,
        show_all_query=query(breakdown=BREAKDOWN_ALL),
    )
