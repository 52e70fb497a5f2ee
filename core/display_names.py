"""Display names: the name a member is credited by, and how alike two names look.

Core imports no app: `display_name` reads the user's `profile` relation (accounts.Profile) by
name, so claims can credit people without importing accounts.
"""

import re
import unicodedata

from django.core.exceptions import ObjectDoesNotExist

FORMER_MEMBER = "a former member"

# Letters from other scripts that render like Latin ones, and digits or pairs read as letters.
# The pairs go first: "rn" reads as "m" before "r" and "n" are looked at one by one.
CONFUSABLE_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
CONFUSABLE_CHARS = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        # Digits and symbols
        "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
        "@": "a", "$": "s", "|": "l",
        # After casefolding, "i" and "l" are told apart by nobody in a sans-serif font.
        "i": "l",
    }
)  # fmt: skip
NOT_A_LETTER = re.compile(r"[\W_]+")


def skeleton(name: str) -> str:
    """What a name looks like, for comparing: NFKC, casefolded, confusables mapped to one
    Latin letter, spaces and punctuation dropped. "Ed1tor", "еditor" (Cyrillic е) and
    "e.d.i.t.o.r" all read "edltor"."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = text.translate(CONFUSABLE_CHARS)
    text = NOT_A_LETTER.sub("", text)
    for pair, letter in CONFUSABLE_PAIRS:
        text = text.replace(pair, letter)
    return text


def display_name(user) -> str:
    """The name `user` is credited by: their profile's display name, else their username;
    "a former member" for a deleted account (None). Select `profile` with the user to read it
    without a query."""
    if user is None:
        return FORMER_MEMBER
    try:
        name = user.profile.display_name
    except ObjectDoesNotExist:  # no profile yet (an account made before profiles, the shell)
        name = ""
    return name or user.get_username()
