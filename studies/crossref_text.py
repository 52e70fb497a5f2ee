"""Crossref's marked-up strings (JATS, HTML, MathML) as readable plain text.

Crossref passes on what publishers deposit: titles with <i>/<sup>, abstracts in JATS with
MathML formulas, sometimes markup escaped twice (`&lt;jats:p&gt;`) or wrapped in CDATA. The
rules, each for a real deposit (tests/studies/test_crossref_parsing.py):

- Entities are decoded once, then only real tags are removed: an element name we know (JATS,
  HTML, MathML) with XML-style attributes. A "<" that starts no such tag is text, so
  "<5 years and >65" survives, and escaped markup (decoded to tags) is removed like the rest.
- Superscripts and subscripts stay readable: Unicode when every character has a superscript
  (subscript) form, `10<sup>−3</sup>` → "10⁻³", `H<sub>2</sub>` → "H₂"; otherwise caret
  notation, `Hz<sup>−1/2</sup>` → "Hz^(−1/2)", `T<sub>eff</sub>` → "T_(eff)".
- A formula appears once: a MathML `alttext` when given, else the MathML flattened with the
  same sup/sub rule (`<msup><mi>d</mi><mn>2</mn></msup>` → "d²"); of a `jats:alternatives`
  pair (TeX and MathML of one formula) only the MathML is kept, the TeX when there is no MathML.
- A line break (<br/>, <jats:break/>) is a space; paragraphs, titles and sections are blocks.
"""

import html
import re
from dataclasses import dataclass, field


def _names(text: str) -> frozenset:
    return frozenset(text.split())


BLOCKS = _names(
    "p title sec abstract trans-abstract list list-item caption disp-quote statement "
    "boxed-text def-item div li ul ol blockquote h1 h2 h3 h4 h5 h6 section"
)
BREAKS = frozenset({"br", "break", "hr"})
SKIPPED = frozenset({"annotation", "annotation-xml", "inline-graphic", "graphic", "object-id"})
VOID = frozenset({"br", "hr", "img", "break", "mspace", "none", "mprescripts"})
MATH_ONLY = _names(
    "mi mn mo ms mtext mspace mrow msup msub msubsup mfrac msqrt mroot mstyle merror mpadded "
    "mphantom mfenced menclose munder mover munderover mmultiscripts mprescripts none mtable "
    "mtr mtd mlabeledtr maction semantics annotation annotation-xml"
)
KNOWN = (
    BLOCKS
    | BREAKS
    | SKIPPED
    | VOID
    | MATH_ONLY
    | _names(
        "math italic bold sup sub sc underline monospace roman sans-serif overline strike label "
        "xref ext-link uri email inline-formula disp-formula alternatives tex-math named-content "
        "styled-content fn def-list term def chem-struct abbrev kwd kwd-group preformat "
        "private-char a b i u s em strong small big span font code pre cite q abbr acronym tt "
        "center header article dl dt dd table tbody thead tr td th"
    )
)
# <name attr="v" …> or </name> or <name/>; a name with an optional namespace prefix (jats:, mml:).
TAG = re.compile(
    r"<(/?)(?:[A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)"
    r"((?:\s+[\w:.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>/=]+))*)\s*(/?)>"
)
ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'<>/=]+))")
CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
TEX_INSTRUCTION = re.compile(r"<\?CDATA\s?(.*?)\?>", re.DOTALL)  # IOP's TeX in tex-math
OTHER_INSTRUCTION = re.compile(r"<\?.*?\?>|<!--.*?-->", re.DOTALL)
MAX_DEPTH = 100  # deeper elements are flattened into their parent: rendering recurses
PARAGRAPH = "\x00"  # a block boundary while rendering; never in Crossref text
SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2028\u2029]+")
SPACE_BEFORE_CLOSING = re.compile(r" +([,.;:!?)\]}])")
SPACE_AFTER_OPENING = re.compile(r"([(\[{]) +")

SUPERSCRIPTS = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
SUBSCRIPTS = str.maketrans("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
SUPERSCRIPT_CHARS = frozenset("0123456789+-−=()ni")
SUBSCRIPT_CHARS = frozenset("0123456789+-−=()aehijklmnoprstuvx")
SPACED_OPERATORS = frozenset("=+−-×·±∓<>≤≥≈≠≡∼→←↔∈∉⊂⊆∪∩")


@dataclass
class Element:
    name: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


def markup_to_text(value) -> str:
    """One line of text (a title, a name): markup removed, blocks joined by a space."""
    return " ".join(_blocks(value))


def jats_to_text(abstract) -> str:
    """A JATS abstract as plain text: one paragraph per <jats:p>, <jats:title> or section.

    A leading "Abstract" heading is dropped; the section headings of structured
    abstracts ("Methods", "Results") are kept as paragraphs of their own.
    """
    blocks = _blocks(abstract)
    if blocks and blocks[0].rstrip(":").lower() in ("abstract", "summary"):
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def superscript(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    if set(text) <= SUPERSCRIPT_CHARS:
        return text.translate(SUPERSCRIPTS)
    return f"^{text}" if len(text) == 1 else f"^({text})"


def subscript(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    if set(text) <= SUBSCRIPT_CHARS:
        return text.translate(SUBSCRIPTS)
    return f"_{text}" if len(text) == 1 else f"_({text})"


def _blocks(value) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    value = CDATA.sub(lambda match: match.group(1), value)
    value = html.unescape(value)  # once: double-escaped markup becomes tags, "&lt;5" becomes "<5"
    value = TEX_INSTRUCTION.sub(lambda match: match.group(1), value)
    value = OTHER_INSTRUCTION.sub("", value)
    text = _render(_parse(value))
    blocks = []
    for block in text.split(PARAGRAPH):
        block = SPACE.sub(" ", block).strip()
        block = SPACE_AFTER_OPENING.sub(r"\1", SPACE_BEFORE_CLOSING.sub(r"\1", block))
        if block:
            blocks.append(block)
    return blocks


def _parse(value: str) -> Element:
    """A forgiving tree of the known elements; anything else (a stray "<", an unknown tag) is
    text. A closing tag with no open match is ignored; unclosed elements end with the text;
    nesting stops at MAX_DEPTH."""
    root = Element("")
    stack = [root]
    position = 0
    for match in TAG.finditer(value):
        closing, name, attributes, self_closing = match.groups()
        name = name.lower()
        if name not in KNOWN:
            continue
        if match.start() > position:
            stack[-1].children.append(value[position : match.start()])
        position = match.end()
        if closing:
            names = [element.name for element in stack]
            if name in names[1:]:
                del stack[len(names) - 1 - names[::-1].index(name) :]
            continue
        element = Element(name, _attributes(attributes))
        stack[-1].children.append(element)
        if not self_closing and name not in VOID and len(stack) < MAX_DEPTH:
            stack.append(element)
    if position < len(value):
        stack[-1].children.append(value[position:])
    return root


def _attributes(text: str) -> dict:
    return {
        match.group(1).split(":")[-1].lower(): next(g for g in match.groups()[1:] if g is not None)
        for match in ATTRIBUTE.finditer(text)
    }


def _render(element: Element) -> str:
    """Text of a (non-math) element; blocks are set off by PARAGRAPH."""
    name = element.name
    if name in SKIPPED:
        return ""
    if name in BREAKS:
        return " "
    if name == "math":
        return _math(element)
    if name == "alternatives":
        return _alternative(element)
    if name == "tex-math":
        return _tex(_plain(element))
    text = ""
    for child in element.children:
        if isinstance(child, str):
            text += child
        elif child.name in ("sup", "sub"):  # attached to what precedes it, whatever the layout
            inner = SPACE.sub(" ", _render(Element("", children=child.children)))
            text = text.rstrip() + (superscript if child.name == "sup" else subscript)(inner)
        else:
            text += _render(child)
    if name in BLOCKS:
        return PARAGRAPH + text + PARAGRAPH
    return text


def _alternative(element: Element) -> str:
    """One notation of a formula deposited in several: MathML, else TeX, else the first."""
    children = [child for child in element.children if isinstance(child, Element)]
    for wanted in ("math", "tex-math"):
        for child in children:
            if child.name == wanted:
                return _render(child)
    return _render(children[0]) if children else ""


def _math(element: Element) -> str:
    alttext = element.attrs.get("alttext", "").strip()
    return alttext or _mathml(element).strip()


def _mathml(element) -> str:
    """Presentation MathML as a line of text, with the sup/sub rule for scripts."""
    if isinstance(element, str):
        return element.strip()
    name = element.name
    parts = [child for child in element.children if isinstance(child, Element)]
    if name in SKIPPED:
        return ""
    if name in ("mi", "mn", "mtext", "ms"):
        return SPACE.sub(" ", _plain(element)).strip()
    if name == "mo":
        operator = _plain(element).strip()
        return f" {operator} " if operator in SPACED_OPERATORS else operator
    if name == "mspace":
        return " "
    if name == "semantics":
        return _mathml(parts[0]) if parts else ""
    rendered = [_mathml(part) for part in parts]
    if name in ("msup", "mover") and len(rendered) >= 2:
        return rendered[0] + superscript(rendered[1])
    if name in ("msub", "munder") and len(rendered) >= 2:
        return rendered[0] + subscript(rendered[1])
    if name in ("msubsup", "munderover") and len(rendered) >= 3:
        return rendered[0] + subscript(rendered[1]) + superscript(rendered[2])
    if name == "mfrac" and len(rendered) >= 2:
        return f"{_grouped(rendered[0])}/{_grouped(rendered[1])}"
    if name == "msqrt":
        return "√" + _grouped("".join(rendered))
    if name == "mroot" and len(rendered) >= 2:
        return superscript(rendered[1]) + "√" + _grouped(rendered[0])
    if name == "mfenced":
        opening, closing = element.attrs.get("open", "("), element.attrs.get("close", ")")
        return opening + element.attrs.get("separators", ",").join(rendered) + closing
    return "".join(
        _mathml(child)
        for child in element.children
        if not (isinstance(child, str) and not child.strip())
    )


def _grouped(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 1 or text.isalnum() else f"({text})"


def _plain(element: Element) -> str:
    return "".join(child if isinstance(child, str) else _plain(child) for child in element.children)


def _tex(tex: str) -> str:
    """The formula of a tex-math (Springer wraps it in a whole LaTeX document)."""
    body = re.search(r"\\begin\{document\}(.*?)\\end\{document\}", tex, re.DOTALL)
    tex = (body.group(1) if body else tex).strip()
    for opening, closing in (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")):
        if tex.startswith(opening) and tex.endswith(closing) and len(tex) > len(opening) * 2:
            tex = tex[len(opening) : -len(closing)]
            break
    return tex.strip()
