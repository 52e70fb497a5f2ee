"""What search engines and link previews read in every page's <head>: one canonical URL
(absolute, no query), a description of its own, og:title, og:image and twitter:card."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from claims.services import analysis_publish
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db


class HeadMeta(HTMLParser):
    """The canonical links and the <meta> name/property → content pairs of a page's <head>."""

    def __init__(self):
        super().__init__()
        self.canonicals: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif self.in_head and tag == "link" and attrs.get("rel") == "canonical":
            self.canonicals.append(attrs["href"])
        elif self.in_head and tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs["content"])

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


@pytest.fixture
def claim():
    claim = make_claim(topic="Strength")
    link(claim, make_study(doi="10.1000/meta"), certainty="moderate")
    analysis_publish(claim=claim, summary="first")
    return claim


def page_paths(claim) -> dict[str, str]:
    slug = claim.slug
    return {
        "home": "/",
        "list": "/claims/",
        "claim": f"/claims/{slug}/",
        "history": f"/claims/{slug}/history/",
        "changes": f"/claims/{slug}/changes/",
        "discussion": f"/claims/{slug}/discussion/",
        "about": "/about/scoring/",
        "about the site": "/about/",
        "privacy": "/privacy/",
        "terms": "/terms/",
        "login": "/accounts/login/",
        "signup": "/accounts/signup/",
        "password reset": "/accounts/password_reset/",
    }


def head_of(client, path: str, **params) -> HeadMeta:
    response = client.get(path, params)
    assert response.status_code == 200, path
    parser = HeadMeta()
    parser.feed(response.content.decode())
    return parser


def test_every_page_has_one_absolute_canonical_without_the_query(client, claim, settings):
    settings.SITE_URL = "https://claims.example.org"
    for name, path in page_paths(claim).items():
        head = head_of(client, path, utm_source="x")
        assert head.canonicals == [f"https://claims.example.org{path}"], name
        assert not urlsplit(head.canonicals[0]).query


def test_a_filtered_or_searched_list_canonicalises_to_the_bare_list(client, claim):
    for params in ({"q": "muscle"}, {"topic": "Strength"}, {"sort": "strongest"}):
        assert head_of(client, "/claims/", **params).canonicals == ["http://testserver/claims/"]


def test_every_page_has_a_description_of_its_own(client, claim):
    descriptions = {}
    for name, path in page_paths(claim).items():
        [description] = head_of(client, path).meta["description"]
        assert len(description) > 30, name
        descriptions[name] = description
    assert len(set(descriptions.values())) == len(descriptions), descriptions


def test_every_page_has_og_title_image_and_a_large_twitter_card(client, claim, settings):
    settings.SITE_URL = "https://claims.example.org"
    for name, path in page_paths(claim).items():
        meta = head_of(client, path).meta
        assert len(meta["og:title"]) == 1 and meta["og:title"][0], name
        assert meta["og:image"] == ["https://claims.example.org/static/img/og-card.png"], name
        assert meta["og:image:width"] == ["1200"] and meta["og:image:height"] == ["630"]
        assert meta["og:image:alt"][0]
        assert meta["twitter:card"] == ["summary_large_image"], name
        assert meta["og:url"] == [f"https://claims.example.org{path}"], name


def test_the_claim_page_shares_its_headline(client, claim):
    claim.headline = "X makes Y go up, says one trial"
    claim.save()
    meta = head_of(client, claim.get_absolute_url()).meta
    assert meta["og:title"] == ["X makes Y go up, says one trial"]
    assert meta["og:type"] == ["article"]
