"""/feeds/claims.atom, and the claim page's canonical URL, Open Graph tags and JSON-LD.

The sitemap is in test_sitemap.py."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

import scoring
from claims.exports import verdict_line
from claims.models import Claim, Evidence
from claims.services import claim_scorecard
from claims.verdict_text import verdict_with_certainty
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_it_serves_an_atom_feed_of_published_claims(client, demo):
    response = client.get("/feeds/claims.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert links == {f"http://testserver{claim.get_absolute_url()}" for claim in demo}
    by_link = {f"http://testserver{claim.get_absolute_url()}": claim for claim in demo}
    for entry in entries:
        claim = by_link[entry.find(f"{ATOM}link").get("href")]
        card = claim_scorecard(claim)
        # The stored verdict and certainty the entry reads are the claim page's live ones.
        assert (claim.verdict, claim.certainty) == (card.verdict, card.certainty or "")
        line = verdict_line(card.verdict, card.certainty)
        assert entry.find(f"{ATOM}title").text == f"{line}: {claim.plain_statement}"
        assert card.verdict != scoring.STRONG_SUPPORT and " certainty" in line
        assert f"Verdict: {line} (Pro {card.pro}, Against {card.against}). {card.statement}" in (
            entry.find(f"{ATOM}summary").text
        )


def test_it_titles_an_entry_with_the_verdict_and_the_certainty(client):
    claim = make_claim(slug="one-trial", plain_statement="X makes Y go up.")
    # One trial of 40, risk of bias not assessed: very low certainty (design.md §3.3).
    Evidence.objects.create(
        claim=claim, study=make_study(doi="10.1000/one", sample_size=40), stance="supports"
    )
    make_claim(slug="nothing", plain_statement="Z makes Y go down.")
    feed = ET.fromstring(client.get("/feeds/claims.atom").content)
    entries = {
        e.find(f"{ATOM}link").get("href"): (
            e.find(f"{ATOM}title").text,
            e.find(f"{ATOM}summary").text,
        )
        for e in feed.findall(f"{ATOM}entry")
    }
    title, summary = entries["http://testserver/claims/one-trial/"]
    assert title == "Very uncertain · Very low certainty: X makes Y go up."
    card = claim_scorecard(claim)
    assert summary == (
        "Claim: X increases Y in adults. Verdict: Very uncertain · Very low certainty "
        f"(Pro {card.pro}, Against 0). We are very uncertain whether this is true."
    )
    title, summary = entries["http://testserver/claims/nothing/"]
    assert title == "Insufficient evidence: Z makes Y go down."
    assert summary.endswith(
        "Verdict: Insufficient evidence (Pro 0, Against 0). "
        "No appraised study counts yet, so there is not enough evidence to say."
    )


def test_it_reads_the_feed_in_one_query(client, django_assert_num_queries):
    for i in range(10):
        link(make_claim(slug=f"c{i}"), make_study(doi=f"10.1000/c{i}"))
    with django_assert_num_queries(1):
        client.get("/feeds/claims.atom")


def test_it_puts_re_scored_claims_first_with_their_score_time(client):
    long_ago = timezone.now() - datetime.timedelta(days=60)
    old = make_claim(slug="old", plain_statement="Old <b>claim</b>")
    make_claim(slug="newer")
    make_claim(slug="draft", status="draft")
    rescored_at = timezone.now() + datetime.timedelta(minutes=5)
    Claim.objects.filter(slug="old").update(
        created_at=long_ago, updated_at=long_ago, scored_at=rescored_at
    )
    feed = ET.fromstring(client.get("/feeds/claims.atom").content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "http://testserver/claims/old/",
        "http://testserver/claims/newer/",
    ]
    updated = datetime.datetime.fromisoformat(entries[0].find(f"{ATOM}updated").text)
    assert abs(updated - rescored_at) < datetime.timedelta(seconds=1)
    published = datetime.datetime.fromisoformat(entries[0].find(f"{ATOM}published").text)
    assert abs(published - long_ago) < datetime.timedelta(seconds=1)
    assert entries[0].find(f"{ATOM}title").text == f"{old.verdict}: Old <b>claim</b>"


def test_it_escapes_html_in_entry_summaries(client):
    make_claim(statement="X <script>alert(1)</script> Y")
    summary = ET.fromstring(client.get("/feeds/claims.atom").content).find(
        f"{ATOM}entry/{ATOM}summary"
    )
    # The XML text is the HTML a reader renders: the tag stays escaped text.
    assert "&lt;script&gt;" in summary.text


def test_it_gives_claim_pages_a_canonical_url_and_open_graph_tags(client, demo):
    claim = demo.get(slug="failure-fatigue-adds-no-hypertrophy")
    html = client.get(claim.get_absolute_url(), {"wording": "scientific"}).content.decode()
    url = f"http://testserver{claim.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    # The page's wording, cut short: the scientific statement here (issue 18); the plain
    # page's is the claim's headline, as ClaimReview's claimReviewed.
    og_title = escape(claim.short_scientific_statement)
    assert f'<meta property="og:title" content="{og_title}">' in html
    plain = client.get(claim.get_absolute_url()).content.decode()
    assert f'<meta property="og:title" content="{escape(claim.short_statement)}">' in plain
    card = claim_scorecard(claim)
    assert card.certainty
    described = escape(f"{verdict_with_certainty(card, brackets=True)}: {card.statement}")
    assert f'<meta property="og:description" content="{described} ' in html
    assert 'type="application/atom+xml"' in html


def test_it_names_the_site_as_the_feeds_author(client, demo, settings):
    settings.SITE_NAME = "Claims Watch"
    feed = ET.fromstring(client.get("/feeds/claims.atom").content)
    # RFC 4287 4.1.1: a feed's author stands for every entry that has none of its own.
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Claims Watch"
    assert len(feed.findall(f"{ATOM}entry")) == 5


def test_it_moves_an_entry_up_and_its_updated_time_when_its_evidence_is_edited(client):
    long_ago = timezone.now() - datetime.timedelta(days=60)
    edited = make_claim(slug="edited")
    evidence = link(edited, make_study(doi="10.1000/edited"))
    make_claim(slug="newer")
    Claim.objects.filter(slug="edited").update(
        created_at=long_ago, updated_at=long_ago, content_changed_at=long_ago, scored_at=None
    )

    def entries():
        feed = ET.fromstring(client.get("/feeds/claims.atom").content)
        return [
            (e.find(f"{ATOM}link").get("href"), e.find(f"{ATOM}updated").text)
            for e in feed.findall(f"{ATOM}entry")
        ]

    (first, _), (last, updated) = entries()
    assert (first, last) == ("http://testserver/claims/newer/", "http://testserver/claims/edited/")
    assert abs(datetime.datetime.fromisoformat(updated) - long_ago) < datetime.timedelta(seconds=1)
    evidence.finding = "Y rose by 12%, not 10%."
    evidence.save()
    (first, updated), _ = entries()
    assert first == "http://testserver/claims/edited/"
    assert datetime.datetime.fromisoformat(updated) > timezone.now() - datetime.timedelta(minutes=1)


def jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(match.group(1))


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)">', html).group(1)


def test_it_never_serves_one_hosts_canonical_url_to_another_from_the_page_cache(client, settings):
    settings.ALLOWED_HOSTS = ["claims.example.org", "mirror.example.net"]
    settings.SITE_URL = ""
    claim = make_claim()
    url = claim.get_absolute_url()
    first = client.get(url, headers={"Host": "mirror.example.net"}).content.decode()
    assert canonical(first) == "http://mirror.example.net/claims/a-claim/"
    for host, secure in (("claims.example.org", True), ("claims.example.org", False)):
        html = Client().get(url, headers={"Host": host}, secure=secure).content.decode()
        scheme = "https" if secure else "http"
        assert canonical(html) == f"{scheme}://{host}/claims/a-claim/"
        assert f'<meta property="og:url" content="{scheme}://{host}/claims/a-claim/">' in html
        assert jsonld(html)["url"] == f"{scheme}://{host}/claims/a-claim/"
        assert "mirror.example.net" not in html


def test_it_takes_canonical_urls_from_site_url_whatever_the_host(client, settings):
    settings.ALLOWED_HOSTS = ["claims.example.org", "mirror.example.net"]
    settings.SITE_URL = "https://claims.example.org"
    claim = make_claim()
    for host in ("mirror.example.net", "claims.example.org"):
        html = client.get(claim.get_absolute_url(), headers={"Host": host}).content.decode()
        assert canonical(html) == "https://claims.example.org/claims/a-claim/"
        assert jsonld(html)["url"] == "https://claims.example.org/claims/a-claim/"
        assert jsonld(html)["author"]["url"] == "https://claims.example.org/"


def test_it_reviews_the_claim_without_pointing_its_appearance_at_itself(client, demo):
    claim = demo.get(slug="failure-fatigue-adds-no-hypertrophy")
    data = jsonld(client.get(claim.get_absolute_url()).content.decode())
    assert data["itemReviewed"] == {"@type": "Claim", "text": claim.plain_statement}
    card = claim_scorecard(claim)
    assert card.verdict != scoring.STRONG_SUPPORT
    assert data["reviewRating"]["alternateName"] == verdict_with_certainty(card)
    assert data["reviewRating"]["alternateName"].startswith(f"{claim.verdict}, ")


def test_it_rates_strong_support_five_only_with_the_certainty_for_it(client):
    claim = make_claim()
    Evidence.objects.create(
        claim=claim,
        study=make_study(doi="10.1000/big", sample_size=400),
        stance="supports",
        certainty="high",
        certainty_reason="Large, preregistered, blinded trial.",
        risk_of_bias_judgement=Evidence.RiskOfBias.LOW,
    )
    card = claim_scorecard(claim)
    assert card.verdict == scoring.STRONG_SUPPORT and card.certainty in ("high", "moderate")
    rating = jsonld(client.get(claim.get_absolute_url()).content.decode())["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (5, 5, 1)


def test_it_gives_insufficient_evidence_no_numeric_rating(client):
    claim = make_claim()
    data = jsonld(client.get(claim.get_absolute_url()).content.decode())
    rating = data["reviewRating"]
    assert rating["alternateName"] == "Insufficient evidence"
    assert "ratingValue" not in rating
    assert "bestRating" not in rating and "worstRating" not in rating


def test_it_links_the_feed_and_its_entries_on_site_url_whatever_the_host(client, settings):
    settings.SITE_URL = "https://claims.example.org"
    claim = make_claim()
    feed = ET.fromstring(client.get("/feeds/claims.atom", HTTP_HOST="localhost").content)
    hrefs = [node.get("href") for node in feed.iter(f"{ATOM}link")]
    assert "https://claims.example.org/claims/" in hrefs
    assert "https://claims.example.org/feeds/claims.atom" in hrefs
    assert f"https://claims.example.org{claim.get_absolute_url()}" in hrefs
    assert not any("localhost" in href for href in hrefs)
    assert feed.find(f"{ATOM}id").text.startswith("https://claims.example.org/")
