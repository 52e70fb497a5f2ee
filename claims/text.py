"""The one place text becomes HTML marked safe: user- and editor-written markdown, DOIs with
break opportunities. Nothing else calls mark_safe but core/jsonld.py (JSON-LD, which studies
publishes too), imported here for the claims' filter."""

import hashlib
import re
from collections.abc import Mapping
from functools import partial
from html import unescape
from urllib.parse import unquote

import markdown as md
from bleach.linkifier import DEFAULT_CALLBACKS, URL_RE, Linker, LinkifyFilter
from bleach.sanitizer import Cleaner
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.jsonld import jsonld_script  # noqa: F401 - the claims' filter renders it
from studies.doi import doi_url, normalize_doi

ALLOWED_TAGS = [
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "sup", "sub", "hr",
]  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = ["http", "https", "mailto"]
MARKDOWN_EXTENSIONS = ["sane_lists", "fenced_code"]
# Rendered once per text: a text this long or longer is kept in the shared cache under the
# hash of what shapes its HTML (issue 19: 20 hostile comments cost 1.1–1.3 s on every view).
# Bump RENDERING when the rules above change, so no HTML rendered by old rules is served.
RENDERED_FROM = 200
RENDERING = "md1"
RENDERED_FOR = 7 * 24 * 3600


def _rendered_once(render, text: str, *shaping) -> SafeString:
    """render(), its HTML kept in the cache for texts of RENDERED_FROM characters or more. The
    key is the hash of everything the output depends on (`shaping`: the flags and the links a
    text's DOIs get), so a new link or flag is a new key, never a stale page. A cache outage
    is a miss (core.cache): the text is rendered, as before."""
    if len(text) < RENDERED_FROM:
        return render()
    digest = hashlib.sha256(repr((RENDERING, text, shaping)).encode()).hexdigest()
    key = f"rendered:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, RENDERED_FOR)
    return mark_safe(html)  # noqa: S308 - stored as rendered (sanitised) by render()


def _nofollow(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


LINK_CALLBACKS = [*DEFAULT_CALLBACKS, _nofollow]


# Python-Markdown's link pattern rescans the rest of the text from each "[" it cannot close, so
# unmatched brackets cost quadratic time ("[" * 4999 took 3.3 s). Past this many, brackets that
# are not part of a plain inline link are escaped: they show as typed, the links still work.
BRACKETS_BEFORE_ESCAPING = 50
# Its block parser recurses once per nested list or quote: "- " * 2500 (a list in a list, 2,500
# deep) raised RecursionError, a 500. Markers past this depth at the start of a line are escaped,
# so they show as typed ("\-" renders "-"); no real text nests deeper.
MAX_NESTING = 8
MARKER = r"(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+|>[ \t]*)"
DEEP_NESTING = re.compile(rf"^([ \t]*{MARKER}{{{MAX_NESTING}}})({MARKER}+)", re.MULTILINE)
MARKER_CHARACTER = re.compile(r"([-*+>]|(?<=\d)[.)])")
# Code keeps its brackets and markers as typed (a backslash there would show); a plain inline
# link `[text](url)` keeps its own.
CODE_OR_LINK = re.compile(
    r"(?P<code>^[ ]{0,3}(?P<fence>`{3,}|~{3,}).*?(?:^[ ]{0,3}(?P=fence)[ \t]*$|\Z)"
    r"|(?P<ticks>`+)[^`].*?(?P=ticks))"
    r"|\[[^\[\]\n]{1,500}\]\([^()\s]{1,2000}\)",
    re.MULTILINE | re.DOTALL,
)
BRACKET = re.compile(r"(?<!\\)([\[\]])")
# Its code-span pattern rescans the rest of the text from each run of backticks it cannot close
# with a run of the same length: "``a`" * 1250 took 237 ms CPU, growing 4× per doubling (issue
# 19 review). Past this many runs, backticks outside fenced blocks are escaped (shown as typed).
TICK_RUNS_BEFORE_ESCAPING = 100
TICK_RUN = re.compile(r"`+")
FENCED = re.compile(
    r"^[ ]{0,3}(?P<fence>`{3,}|~{3,}).*?(?:^[ ]{0,3}(?P=fence)[ \t]*$|\Z)", re.MULTILINE | re.DOTALL
)
# bleach's URL pattern starts with "\(*" and is tried again from each "(" of a run: "(" * 5000
# took 0.3 s. The same pattern, started only where a run of "(" begins, finds the same links.
URL_IN_TEXT = re.compile(r"(?<!\()" + URL_RE.pattern, URL_RE.flags)


def _escape_deep_nesting(text: str) -> str:
    return DEEP_NESTING.sub(lambda match: match[1] + MARKER_CHARACTER.sub(r"\\\1", match[2]), text)


def _escape_ticks_outside_fences(text: str) -> str:
    pieces, last = [], 0
    for match in FENCED.finditer(text):
        pieces.append(text[last : match.start()].replace("`", "\\`"))
        pieces.append(match.group())
        last = match.end()
    pieces.append(text[last:].replace("`", "\\`"))
    return "".join(pieces)


def _bound_the_parsers_work(text: str) -> str:
    """The text with what makes Markdown slow or recurse without bound escaped outside code
    and plain links: stray "[" and "]" when there are many (BRACKETS_BEFORE_ESCAPING), list and
    quote markers nested past MAX_NESTING; outside fenced code, every backtick when there are
    many runs of them (TICK_RUNS_BEFORE_ESCAPING)."""
    if text.count("`") > TICK_RUNS_BEFORE_ESCAPING and (
        len(TICK_RUN.findall(text)) > TICK_RUNS_BEFORE_ESCAPING
    ):
        text = _escape_ticks_outside_fences(text)
    many_brackets = text.count("[") > BRACKETS_BEFORE_ESCAPING
    deep = DEEP_NESTING.search(text) is not None
    if not (many_brackets or deep):
        return text

    def bound(piece: str) -> str:
        if many_brackets:
            piece = BRACKET.sub(r"\\\1", piece)
        return _escape_deep_nesting(piece) if deep else piece

    pieces, last = [], 0
    for match in CODE_OR_LINK.finditer(text):
        pieces.append(bound(text[last : match.start()]))
        pieces.append(match.group())
        last = match.end()
    pieces.append(bound(text[last:]))
    return "".join(pieces)


def render_markdown(text: str) -> SafeString:
    """Markdown → HTML → bleach allow-list; links get rel="nofollow noopener". Rendered once
    for a long text (`_rendered_once`)."""
    text = text or ""
    return _rendered_once(partial(_render_markdown, text), text, "markdown")


def _render_markdown(text: str) -> SafeString:
    text = _bound_the_parsers_work(text)
    html = md.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    # Sanitise and linkify in one pass: bleach.linkify() run after bleach.clean() escaped the
    # text of skipped tags a second time (`a & b` in backticks showed as "a &amp; b"). A new
    # Cleaner each call, as bleach.clean() does: a Cleaner is not thread-safe.
    cleaner = Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        filters=[
            partial(
                LinkifyFilter,
                callbacks=LINK_CALLBACKS,
                skip_tags=["pre", "code"],
                url_re=URL_IN_TEXT,
            )
        ],
    )
    return mark_safe(cleaner.clean(html))  # noqa: S308 - sanitised just above


DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/[^\s()\[\],;]+")


def with_doi_breaks(text: str) -> SafeString:
    """The text, escaped, with a line-break opportunity (<wbr>) after each "/" and "." of the
    DOIs in it: on a phone a long DOI then wraps at a separator, not in the middle of a number."""
    html, last = [], 0
    for match in DOI_IN_TEXT.finditer(text or ""):
        html.append(escape(text[last : match.start()]))
        html.append("<wbr>".join(escape(part) for part in re.split(r"(?<=[/.])", match.group())))
        last = match.end()
    html.append(escape((text or "")[last:]))
    return mark_safe("".join(html))  # noqa: S308 - every piece escaped above


# A DOI in running text: it does not end on the punctuation of the sentence around it, nor on
# the bracket closing a parenthesis ("(see 10.1000/xyz)."); a "doi.org/" link before it counts.
DOI_MENTION = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/)?\b10\.\d{4,9}/[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]]", re.I
)


def doi_mentions(text: str) -> set[str]:
    """The DOIs mentioned in a text, normalised (studies.doi), bare or as doi.org links."""
    found = set()
    for match in DOI_MENTION.finditer(text or ""):
        try:
            found.add(normalize_doi(match.group()))
        except ValidationError:
            continue
    return found


def _doi_org(doi: str) -> str:
    # Decoded first: a DOI typed with escapes ("10.1000/%22%3E") is encoded once, by the one
    # rule every doi.org link on the site follows (studies.doi.doi_url).
    return doi_url(unquote(doi))


def _doi_link(study_urls: Mapping[str, str], attrs, new=False, lower_case=False):
    """A DOI in the text becomes a link: to the study's page here when we have it (no
    nofollow: it is ours), else to doi.org; an autolinked doi.org URL of a study we have
    points here too. Links the writer made themselves are left as they are. With
    `lower_case`, the DOI shows in lower case (DOIs ignore case; a reference manager reading
    the page takes "10.1249/MSS.1" and "10.1249/mss.1" for two)."""
    href_key, text = (None, "href"), attrs.get("_text", "")
    if not new:
        if attrs.get(href_key) != text or "doi.org/" not in text.lower():
            return attrs  # a link the writer made, or no doi.org URL
        try:
            doi = normalize_doi(text)
        except ValidationError:
            return None  # "https://doi.org/10.1000/": no DOI after doi.org/, plain text
        if lower_case:
            attrs["_text"] = text.lower()
            attrs[href_key] = _doi_org(doi)
        url = study_urls.get(doi)
        if url:
            attrs[href_key] = url
            attrs.pop((None, "rel"), None)
        return attrs
    try:
        doi = normalize_doi(text)
    except ValidationError:
        return None  # not a DOI after all: plain text
    if lower_case:
        attrs["_text"] = text.lower()
    url = study_urls.get(doi)
    if url:
        attrs[href_key] = url
    else:
        attrs[href_key] = _doi_org(doi)
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


def render_markdown_linking_dois(
    text: str, study_urls: Mapping[str, str], *, lower_case: bool = False
) -> SafeString:
    """render_markdown, then each DOI in the text (outside links and code) linked: to the
    study's page when `study_urls` (normalised DOI → URL) has it, else to doi.org; with
    `lower_case`, shown in lower case (editors' text: one form of each DOI on a page)."""
    text = text or ""
    # The DOIs as the linker will read them: markdown's escapes and character references
    # resolved ("10.1000/a\\_b" is 10.1000/a_b), so a new study page is a new key.
    mentioned = doi_mentions(text) | doi_mentions(unescape(text.replace("\\", "")))
    links = tuple(sorted((doi, study_urls[doi]) for doi in mentioned if doi in study_urls))
    render = partial(_render_linking_dois, text, study_urls, lower_case)
    return _rendered_once(render, text, "dois", lower_case, links)


# What every DOI mention starts with. The sanitised HTML spells digits, "." and "/" as they
# are, so HTML with neither this nor an autolinked doi.org URL has nothing for the linker
# to do: it (a second html5lib pass, as slow as the first) is skipped.
DOI_START = re.compile(r"\b10\.\d{4,9}/|doi\.org/", re.I)


def _render_linking_dois(text: str, study_urls: Mapping[str, str], lower_case: bool):
    html = str(_render_markdown(text))
    if not DOI_START.search(html):
        return mark_safe(html)  # noqa: S308 - render_markdown's sanitised HTML
    linker = Linker(
        callbacks=[partial(_doi_link, study_urls, lower_case=lower_case)],
        skip_tags=["pre", "code"],
        url_re=DOI_MENTION,
    )
    # The input is render_markdown's sanitised HTML; the linker re-serialises it escaped.
    return mark_safe(linker.linkify(html))  # noqa: S308
