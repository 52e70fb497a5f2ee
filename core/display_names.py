"""Display names: the name a member is credited by, and how alike two names look.

Core imports no app: `display_name` reads the user's `profile` relation (accounts.Profile) by
name, so claims can credit people without importing accounts.
"""

import re
import unicodedata

from django.core.exceptions import ObjectDoesNotExist

FORMER_MEMBER = "a former member"

# Letters from other scripts (and Latin letters outside ASCII) that render like ASCII ones,
# and digits or pairs read as letters. Looked up after NFKC, casefolding and dropping accents
# (NFD, marks removed), so "é" is already "e" and "Ｍ" already "m" here. The pairs go last:
# "rn" reads as "m" once every letter is Latin.
CONFUSABLE_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
CONFUSABLE_CHARS = str.maketrans(
    {
        # Latin letters that are not ASCII (IPA and the like; ł has no decomposition)
        "ı": "i", "ɑ": "a", "ɐ": "a", "ɒ": "a", "ł": "l", "ƅ": "b", "ɓ": "b", "ƀ": "b",
        "ɔ": "c", "ɗ": "d", "đ": "d", "ə": "e", "ɛ": "e", "ɡ": "g", "ɦ": "h", "ħ": "h",
        "ɨ": "i", "ɩ": "i", "ɪ": "i", "ĸ": "k", "ŀ": "l", "ɯ": "w", "ɲ": "n", "ŋ": "n",
        "ɵ": "o", "ø": "o", "ʀ": "r", "ʋ": "u", "ʏ": "y", "ƶ": "z", "ß": "ss", "þ": "p",
        # Cyrillic (after casefolding, so only the small letters)
        "а": "a", "б": "b", "в": "b", "ь": "b", "ъ": "b", "г": "r", "д": "d", "е": "e",
        "ё": "e", "з": "e", "и": "u", "й": "u", "к": "k", "л": "n", "м": "m", "н": "h",
        "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "ү": "y", "х": "x",
        "ц": "u", "ш": "w", "щ": "w", "ы": "bl", "э": "e", "ю": "io", "я": "r",
        "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
        "ӏ": "l", "ҽ": "e", "ɜ": "e",
        # Greek
        "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "ζ": "z", "η": "n", "θ": "o",
        "ι": "i", "κ": "k", "λ": "a", "μ": "u", "ν": "v", "ο": "o", "π": "n", "ρ": "p",
        "σ": "o", "ς": "c", "τ": "t", "υ": "u", "φ": "o", "χ": "x", "ψ": "w", "ω": "w",
        # Digits and symbols
        "0": "o", "1": "l", "2": "z", "3": "e", "4": "a", "5": "s", "6": "b", "7": "t",
        "8": "b", "9": "g", "@": "a", "$": "s", "|": "l",
    }
)  # fmt: skip
NOT_A_LETTER = re.compile(r"[\W_]+")


def skeleton(name: str) -> str:
    """What a name looks like, for comparing: NFKC, casefolded, accents dropped, confusables
    mapped to one ASCII letter, spaces and punctuation dropped. "Ed1tor", "еditor" (Cyrillic
    е), "e.d.i.t.o.r" and "édıtor" all read "edltor"."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = unicodedata.normalize("NFD", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    text = text.translate(CONFUSABLE_CHARS)
    text = NOT_A_LETTER.sub("", text)
    # After mapping, "i" and "l" are told apart by nobody in a sans-serif font.
    text = text.replace("i", "l")
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
