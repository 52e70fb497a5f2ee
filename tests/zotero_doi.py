"""Zotero's DOI translator, emulated: the DOIs a reader's Zotero connector finds on a page when
no richer metadata is there (translators/DOI.js, `getDOIs`).

It reads every text node outside <script> and <style>, then every link's href, with one
regular expression; it trims a ")" without its "(" and a final "." or ",", and keeps the case
and a trailing "/" as found. Each distinct string is one entry it offers to save, so one study
seen as "10.1080/abc" and "10.1080/abc/" is offered twice."""

import re

from lxml import html as lxml_html

DOI_RE = re.compile(r"\b10\.[0-9]{4,}/[^\s&\"'<>]+")
IGNORED_PARENTS = {"script", "style"}


def _trimmed(doi: str) -> str:
    doi = doi.rstrip(".,;")
    if doi.endswith(")") and "(" not in doi:
        doi = doi[:-1]
    return doi


def _text_nodes(root):
    """(parent tag, text) for every text node: an element's text, and the tail that follows it
    inside its parent. Comments are not text nodes."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.text:
            yield element.tag, element.text
        parent = element.getparent()
        if element.tail and parent is not None:
            yield parent.tag, element.tail


def zotero_dois(page: str | bytes) -> list[str]:
    """The distinct DOI strings Zotero's DOI translator finds on the page, in page order."""
    root = lxml_html.document_fromstring(page)
    found = []
    for parent, text in _text_nodes(root):
        if parent in IGNORED_PARENTS:
            continue
        found.extend(_trimmed(match.group()) for match in DOI_RE.finditer(text))
    for href in root.xpath("//a/@href"):
        match = DOI_RE.search(href)
        if match:
            found.append(_trimmed(match.group()))
    return list(dict.fromkeys(found))
