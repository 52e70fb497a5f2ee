"""A word-level diff as plain segments: the templates wrap them in <del> and <ins>, so no
HTML is built in Python (only claims/text.py marks text safe)."""

import difflib
import re
from dataclasses import dataclass

# Words, runs of white space and single punctuation marks: a changed comma is one token.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

SHORT = 3  # an unchanged run this short between two changes joins them

SAME = "same"
DELETED = "del"
INSERTED = "ins"


@dataclass(frozen=True)
class Segment:
    kind: str  # SAME, DELETED or INSERTED
    text: str


@dataclass(frozen=True)
class Diff:
    before: list[Segment]  # the current text: unchanged and deleted runs
    after: list[Segment]  # the proposed text: unchanged and inserted runs

    @property
    def changed(self) -> bool:
        return any(segment.kind != SAME for segment in (*self.before, *self.after))


def as_text(value) -> str:
    """A field's value as readers see it: nothing for None, digits for a year."""
    return "" if value is None else str(value)


def word_diff(old, new) -> Diff:
    old_tokens, new_tokens = TOKEN.findall(as_text(old)), TOKEN.findall(as_text(new))
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    # [equal?, old text, new text]; two changes with only a space or a short word ("to", ",")
    # between them read as one, not as a patchwork of kept two-letter words.
    chunks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        chunk = [tag == "equal", "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])]
        if chunks and not chunk[0] and not chunks[-1][0]:
            chunks[-1][1] += chunk[1]
            chunks[-1][2] += chunk[2]
        elif (
            len(chunks) >= 2
            and not chunk[0]
            and chunks[-1][0]
            and len(chunks[-1][1].strip()) <= SHORT
            and not chunks[-2][0]
        ):
            space = chunks.pop()
            chunks[-1][1] += space[1] + chunk[1]
            chunks[-1][2] += space[2] + chunk[2]
        else:
            chunks.append(chunk)
    before, after = [], []
    for equal, old_text, new_text in chunks:
        if equal:
            before.append(Segment(SAME, old_text))
            after.append(Segment(SAME, new_text))
            continue
        if old_text:
            before += _marked(DELETED, old_text)
        if new_text:
            after += _marked(INSERTED, new_text)
    return Diff(before=before, after=after)


def _marked(kind: str, text: str) -> list[Segment]:
    """A changed run without its surrounding spaces: "<del>older</del> ", not "<del> older</del>"
    (a change of spaces alone stays marked, or it would not show)."""
    core = text.strip()
    if not core:
        return [Segment(kind, text)]
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return [s for s in (Segment(SAME, lead), Segment(kind, core), Segment(SAME, trail)) if s.text]
