"""A study's authors as people: family name, given names, suffix, or one literal name.

`Study.authors` is stored as "Family, Given; Family, Given; …" (what Crossref, PubMed and RIS
imports write). A suffix is a third part ("King, Martin Luther, Jr.") or the last word of the
given names ("King, Martin Luther Jr."); a name without a comma is one literal name (a
consortium, or a name written in one piece). Every export and the API read names through
`parse_authors`, so all of them split a name the same way.
"""

import re
from dataclasses import dataclass

SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "2nd", "3rd", "junior"})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Author:
    family: str = ""
    given: str = ""
    suffix: str = ""
    literal: str = ""  # a name not split into parts (a group or one-piece name)

    @property
    def display(self) -> str:
        """ "Given Family, Suffix" or the literal name."""
        if self.literal:
            return self.literal
        name = " ".join(part for part in (self.given, self.family) if part)
        return f"{name}, {self.suffix}" if self.suffix else name

    @property
    def inverted(self) -> str:
        """ "Family, Given, Suffix" (RIS AU, Highwire citation_author)."""
        if self.literal:
            return self.literal
        return ", ".join(part for part in (self.family, self.given, self.suffix) if part)

    def as_dict(self) -> dict:
        """The API's and CSL-JSON's shape: family/given/suffix, or literal."""
        if self.literal:
            return {"literal": self.literal}
        return {
            key: value
            for key, value in (
                ("family", self.family),
                ("given", self.given),
                ("suffix", self.suffix),
            )
            if value
        }


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parse_author(name: str) -> Author | None:
    name = _clean(name)
    if not name:
        return None
    parts = [_clean(part) for part in name.split(",")]
    if len(parts) == 1:
        return Author(literal=name)
    family, given, *rest = parts
    suffix = ", ".join(part for part in rest if part)
    if not suffix and " " in given and given.rsplit(" ", 1)[1].lower() in SUFFIXES:
        given, suffix = given.rsplit(" ", 1)
    if not suffix and given.lower() in SUFFIXES:
        given, suffix = "", given  # "Smith, Jr." with no given names
    if not family:
        return Author(literal=", ".join(part for part in (given, suffix) if part))
    return Author(family=family, given=given, suffix=suffix)


def parse_authors(authors: str) -> list[Author]:
    """ "Family, Given; Family, Given, Jr." → [Author, Author]."""
    return [author for author in (parse_author(n) for n in (authors or "").split(";")) if author]
