"""DOIs refuse what no registered DOI holds (issue 19): invisible characters (a zero-width space,
a right-to-left override that shows the DOI reversed), letters that only look Latin, "." and ".."
path segments that would step out of Crossref's /works/ path, and markup through a
percent-encoded doi.org link; each by name, so the member knows what to retype. SICI DOIs keep
their "<" and ">", and compatibility forms (a PDF's "ﬁ" ligature) fold to plain letters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from community.models import Submission
from studies.crossref import work_url
from studies.doi import normalize_doi
from tests.factories import make_claim

REFUSED = {
    "zero-width space": ("10.1000/ab\u200bc", "U+200B ZERO WIDTH SPACE"),
    "right-to-left override": ("10.1000/\u202ecba", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "word joiner": ("10.1000/a\u2060b", "U+2060 WORD JOINER"),
    "byte order mark": ("\ufeff10.1000/abc", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    "zero-width in a link": ("https://doi.org/10.1000/a%E2%80%8Bb", "U+200B"),
    "Cyrillic a": ("10.1000/\u0430bc", "U+0430 CYRILLIC SMALL LETTER A"),
    "Greek omicron": ("10.1000/rct\u03bf1", "U+03BF GREEK SMALL LETTER OMICRON"),
    "dot-dot segments": ("10.1000/../../members", "“..” between two slashes"),
    "dot segment": ("10.1000/a/./b", "“..” between two slashes"),
    "dot-dot through a link": ("https://doi.org/10.1000/%2E%2E/x", "“..” between two slashes"),
    "script through a link": ("https://doi.org/10.1000/%3Cscript%3Ealert(1)", "“<script”"),
    "closing tag": ("10.1000/a</b>", "“</b"),
    # Review: a bare DOI's escapes were checked still encoded, then decoded into a link.
    "encoded dot-dot, bare": ("10.1000/%2e%2e/%2e%2e/evil", "“..” between two slashes"),
    "encoded dot segment, bare": ("10.1000/a/%2E%2E/b", "“..” between two slashes"),
    "encoded script, bare": ("10.1000/a%22%3E%3Cscript%3Ealert(1)", "“<script”"),
    "encoded RLO, bare": ("10.1000/%E2%80%AEcba", "U+202E RIGHT-TO-LEFT OVERRIDE"),
}
CONTROL_REFUSED = ["10.1000/a%00b", "10.1000/a%0Ab"]


@pytest.mark.parametrize("raw", CONTROL_REFUSED)
def test_it_refuses_an_encoded_control_character(raw):
    with pytest.raises(ValidationError):
        normalize_doi(raw)


def test_a_comment_s_encoded_dot_dot_never_reaches_a_link():
    from claims.text import render_markdown_linking_dois  # noqa: PLC0415 - the comments' path

    html = str(render_markdown_linking_dois("See 10.1000/%2e%2e/%2e%2e/evil now.", {}))
    assert "doi.org/10.1000/.." not in html and "href=" not in html


@pytest.mark.parametrize(("raw", "named"), REFUSED.values(), ids=REFUSED.keys())
def test_it_refuses_what_no_doi_holds_by_name(raw, named):
    with pytest.raises(ValidationError) as refused:
        normalize_doi(raw)
    assert named in refused.value.messages[0]


KEPT = {
    "SICI": (
        "10.1002/(SICI)1097-4636(199706)35:4<401::AID-JBM1>3.0.CO;2-S",
        "10.1002/(sici)1097-4636(199706)35:4<401::aid-jbm1>3.0.co;2-s",
    ),
    "two dots inside a segment": ("10.1000/x..y", "10.1000/x..y"),
    "a literal percent": ("10.1000/a%b", "10.1000/a%b"),
    "a ligature from a PDF": ("10.1000/\ufb01t", "10.1000/fit"),
    "full-width digits": ("\uff11\uff10.1000/abc", "10.1000/abc"),
}


@pytest.mark.parametrize(("raw", "expected"), KEPT.values(), ids=KEPT.keys())
def test_it_keeps_real_dois_and_folds_compatibility_forms(raw, expected):
    assert normalize_doi(raw) == expected


def test_what_crossref_receives_is_percent_encoded():
    url = work_url(normalize_doi("10.1002/(sici)1097-4636(199706)35:4<401::aid-jbm1>3.0.co;2-s"))
    assert url.endswith(
        "/works/10.1002/%28sici%291097-4636%28199706%2935%3A4%3C401%3A%3Aaid-jbm1%3E3.0.co%3B2-s"
    )


def test_a_member_sees_the_reason_under_the_doi_field_and_keeps_the_text(member_client):
    url = reverse("claim-submit", args=[make_claim(slug="hostile-doi").slug])
    data = {"doi": "10.1000/ab\u200bc", "stance": "supports", "rationale": "Kept as typed."}
    response = member_client.post(url, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert escape("U+200B ZERO WIDTH SPACE") in content
    assert "Kept as typed." in content
    assert not Submission.objects.exists()


def test_the_api_answers_no_such_study_for_a_dot_dot_doi(client):
    response = client.get("/api/studies/?doi=10.1000/../../x")
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/json"
