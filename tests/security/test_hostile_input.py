"""Hostile input: XSS payloads through every user- and editor-written text field, rendered on
every page that shows it; fuzzing of DOI normalisation, the submission form and the JSON
endpoints; oversized input; CSRF on every form."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.models import Analysis, Claim, Evidence, IdealStudy, Mechanism, MechanismStep
from claims.text import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, render_markdown
from community.models import Submission
from studies.models import Study

# Each fits the shortest text field (Claim.topic, 80 characters) so PostgreSQL stores it whole.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x]( JaVaScRiPt:alert(1) )",
    "<a href='javascript:alert(1)'>x</a>",
    "<svg onload=alert(1)><circle r=1></svg>",
    "<svg><a xlink:href=javascript:alert(1)>x</a></svg>",
    "<iframe src=javascript:alert(1)>",
    "<p style=x onmouseover='alert(1)'>hi",
    "<<script>script>alert(1)//<</script>",
    "<img src=x onerror=alert(1)//",
    "<details open ontoggle=alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "{{ request }}{% debug %}<b onclick=alert(1)>",
]

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "base", "frame", "frameset", "style"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
_STRIP = re.compile(r"[\x00-\x20]+")


class ExecutableMarkup(HTMLParser):
    """Collects anything a browser could execute; JSON-LD blocks are kept to check they parse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            if attrs.get("type") == "application/ld+json" and "src" not in attrs:
                self._in_jsonld = True
                self.jsonld.append("")
                return
            if re.fullmatch(r"/static/js/htmx(\.[0-9a-f]+)?\.min\.js", attrs.get("src", "")):
                return
            self.problems.append(f"<script {attrs}>")
        elif tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES:
                url = _STRIP.sub("", value).lower()
                if url.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data


def assert_no_executable_markup(html: str, where: str) -> None:
    parser = ExecutableMarkup()
    parser.feed(html)
    parser.close()
    assert not parser.problems, f"{where}: {parser.problems}"
    for block in parser.jsonld:
        json.loads(block)  # a payload that closed the <script> would break this


@pytest.fixture
def hostile_site(db, member, editor):
    """One claim whose every user- and editor-written field holds the payload."""

    def build(payload: str):
        study = Study.objects.create(
            doi="10.1000/hostile",
            title=payload,
            authors=payload,
            journal=payload,
            abstract=payload,
            population=payload,
            url="javascript:alert(1)",
            design="rct",
            sample_size=40,
            year=2024,
        )
        claim = Claim.objects.create(
            slug="hostile",
            statement=payload,
            plain_statement=payload,
            summary=payload,
            explanation=payload,
            topic=payload,
            population=payload,
            claim_type="causal",
            status=Claim.Status.PUBLISHED,
            featured=True,
        )
        Evidence.objects.create(
            claim=claim, study=study, stance="supports", certainty="high", finding=payload
        )
        analysis = Analysis.objects.create(
            claim=claim, version=1, summary=payload, change_note=payload, author=editor
        )
        Analysis.objects.create(
            claim=claim, version=2, summary=payload, change_note=payload, author=editor
        )
        for kind in ("most_probable", "alternative"):
            mechanism = Mechanism.objects.create(
                analysis=analysis, kind=kind, simple_summary=payload, scientific_summary=payload
            )
            step = MechanismStep.objects.create(mechanism=mechanism, order=1, text=payload)
            step.citations.add(study)
        IdealStudy.objects.create(
            claim=claim, rank=1, design="rct", description=payload, why=payload
        )
        Submission.objects.create(
            claim=claim,
            submitted_by=member,
            doi="10.1000/hostile",
            title=payload,
            stance="supports",
            rationale=payload,
        )
        from claims.services import claim_rescore

        claim_rescore(claim=claim)
        return claim, study

    return build


def html_pages(claim, study) -> list[str]:
    return [
        reverse("home"),
        reverse("claim-list"),
        reverse("claim-list") + "?q=" + claim.topic[:40],
        reverse("claim-detail", args=[claim.slug]),
        reverse("claim-detail", args=[claim.slug]) + "?wording=scientific",
        reverse("claim-history", args=[claim.slug]),
        reverse("study-detail-by-id", args=[study.pk]),
        reverse("my-submissions"),
    ]


def json_pages(claim, study) -> list[str]:
    return [
        reverse("claim-json", args=[claim.slug]),
        reverse("api-claims"),
        reverse("api-claim", args=[claim.slug]),
        reverse("api-study-by-id", args=[study.pk]),
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_renders_hostile_text_inert_on_every_page(hostile_site, member, editor, payload):
    claim, study = hostile_site(payload)
    reader = Client()
    reader.force_login(member)
    for url in html_pages(claim, study):
        response = reader.get(url)
        assert response.status_code == 200, url
        assert_no_executable_markup(response.content.decode(), f"{url} for {payload!r}")
    for url in json_pages(claim, study):
        response = reader.get(url)
        assert response.status_code == 200, url
        json.loads(response.content)
    staff = Client()
    staff.force_login(editor)
    submission = Submission.objects.get(claim=claim)
    for url in (
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:community_submission_changelist"),
        reverse("admin:community_submission_change", args=[submission.pk]),
    ):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert "<script>alert(1)" not in response.content.decode(), url


def test_it_renders_markdown_through_a_strict_allow_list():
    assert set(ALLOWED_PROTOCOLS) == {"http", "https", "mailto"}
    assert ALLOWED_ATTRIBUTES == {"a": ["href", "title", "rel"]}
    assert not {"script", "style", "img", "iframe", "svg", "object", "form"} & set(ALLOWED_TAGS)
    for payload in PAYLOADS:
        assert_no_executable_markup(str(render_markdown(payload)), payload)


# --- fuzzing ----------------------------------------------------------------------------

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(st.text(max_size=300))
def test_it_normalises_or_refuses_any_doi(text):
    from django.core.exceptions import ValidationError

    from studies.doi import DOI_PATTERN, normalize_doi

    try:
        doi = normalize_doi(text)
    except ValidationError:
        return
    assert DOI_PATTERN.fullmatch(doi)


@pytest.fixture
def fuzz_claim(db, settings):
    settings.SUBMISSIONS_PER_HOUR = 1_000_000  # hypothesis posts far more than a member may
    return Claim.objects.create(
        slug="c", statement="s", plain_statement="p", claim_type="causal", status="published"
    )


# Mostly DOI-shaped text (a link with percent-escapes, control characters), so that many
# examples pass the form and reach the database, where PostgreSQL refuses what SQLite keeps.
doi_text = st.text(max_size=400) | st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["https://doi.org/", "dx.doi.org/", "HTTP://DOI.ORG/", "doi:"]),
        st.sampled_from(["10.1234/", "10.99999/"]),
        st.lists(
            st.sampled_from(["a", "%00", "%01", "%7f", "%c2%85", "%2f", "%25", "\x1b"]),
            min_size=1,
            max_size=6,
        ).map("".join),
        st.text(max_size=5),
    ),
)


@settings(FUZZ, max_examples=150)
@given(
    doi=doi_text,
    stance=st.sampled_from(["supports", "contradicts", "", "x", "<script>"]),
    rationale=st.text(max_size=6000) | st.sampled_from(["Found so.", "a\x00b"]),
)
@example(doi="https://doi.org/10.1234/a%00b", stance="supports", rationale="Found so.")
def test_it_never_fails_on_a_submission_form(member_client, fuzz_claim, doi, stance, rationale):
    """Through the view and into the database: a bad value is a form error, never a 500."""
    from studies.doi import DOI_PATTERN

    response = member_client.post(
        reverse("claim-submit", args=[fuzz_claim.slug]),
        {"doi": doi, "stance": stance, "rationale": rationale},
    )
    assert response.status_code in (200, 302), (doi, rationale)
    for saved in Submission.objects.filter(claim=fuzz_claim).values_list("doi", flat=True):
        assert DOI_PATTERN.fullmatch(saved) and "\x00" not in saved


query_values = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60
)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["q", "page", "topic", "type", "verdict", "sort", "wording", "updated_since", "x"]
        ),
        query_values,
        max_size=4,
    ),
    slug=st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
)
def test_it_never_answers_500_to_json_endpoints(demo_once, client, params, slug):
    for url in (
        reverse("claim-json", args=[slug]),
        reverse("claim-json", args=[demo_once]),
        reverse("api-claims"),
        reverse("api-claim", args=[slug]),
        reverse("api-claim", args=[demo_once]),
        reverse("api-studies"),
        reverse("claim-list"),
    ):
        response = client.get(url, params)
        assert response.status_code < 500, (url, params)
        if response["Content-Type"].startswith("application/json"):
            json.loads(response.content)


@pytest.mark.parametrize("name", ["api-claims", "api-studies", "claim-list"])
@pytest.mark.parametrize("param", ["q", "topic", "type", "design", "verdict", "sort"])
def test_it_answers_a_nul_character_in_a_query_without_a_500(db, client, name, param):
    response = client.get(reverse(name), {param: "ab\x00c"})
    assert response.status_code == 400
    # also when the NUL is in the first of two values, or in a parameter's name
    assert client.get(reverse(name), {param: ["ab\x00c", "ok"]}).status_code == 400
    assert client.get(reverse(name), {f"{param}\x00": "ok"}).status_code == 400
    if name.startswith("api-"):
        assert response.json()["error"].startswith("The address contains a NUL character")


@pytest.fixture
def demo_once(demo):
    return demo.filter(status="published").first().slug


def test_it_refuses_a_2mb_post_with_a_clear_413(member_client, db):
    claim = Claim.objects.create(
        slug="c", statement="s", plain_statement="p", claim_type="causal", status="published"
    )
    response = member_client.post(
        reverse("claim-submit", args=[claim.slug]),
        {"doi": "10.1000/x", "stance": "supports", "rationale": "x" * 2_000_000},
    )
    assert response.status_code == 413  # config.middleware.RequestBodyLimitMiddleware
    assert "too large" in response.content.decode()
    assert Submission.objects.count() == 0


def test_it_refuses_an_overlong_rationale_with_a_form_error(member_client, db):
    from community.services import RATIONALE_MAX_LENGTH

    claim = Claim.objects.create(
        slug="c", statement="s", plain_statement="p", claim_type="causal", status="published"
    )
    response = member_client.post(
        reverse("claim-submit", args=[claim.slug]),
        {"doi": "10.1000/x", "stance": "supports", "rationale": "x" * (RATIONALE_MAX_LENGTH + 1)},
    )
    assert response.status_code == 200
    assert f"at most {RATIONALE_MAX_LENGTH} characters" in response.content.decode()
    assert Submission.objects.count() == 0


# --- CSRF ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "signed_in"),
    [
        ("login", [], False),
        ("signup", [], False),
        ("password_reset", [], False),
        ("claim-submit", ["c"], True),
        ("logout", [], True),
        ("password_change", [], True),
        ("admin:login", [], False),
        ("admin:claims_claim_add", [], "staff"),
        ("admin:logout", [], "staff"),
    ],
)
def test_it_refuses_every_form_post_without_a_csrf_token(db, member, editor, name, args, signed_in):
    Claim.objects.create(
        slug="c", statement="s", plain_statement="p", claim_type="causal", status="published"
    )
    client = Client(enforce_csrf_checks=True)
    if signed_in:
        client.force_login(editor if signed_in == "staff" else member)
    response = client.post(reverse(name, args=args), {"username": "member", "password": "x"})
    assert response.status_code == 403, name
