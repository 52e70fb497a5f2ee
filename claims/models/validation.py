"""Validation messages and helpers that several claims models share."""

import unicodedata

from scoring import CERTAINTIES, VERDICTS

CERTAINTY_VALUES = [value for value, _ in CERTAINTIES]
VERDICT_INVALID = "The verdict must be one of the scoring labels: " + ", ".join(VERDICTS) + "."
RANK_INVALID = "The rank must be 1 or more (1 = strongest)."


def visible(text: str) -> str:
    """The text without whitespace and invisible format characters (zero-width spaces…)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")
