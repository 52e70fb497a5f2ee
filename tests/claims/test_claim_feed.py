"""One claim's Atom feed, /claims/<slug>/feed.atom: its analysis versions and the move since
the latest, valid Atom, 304 on a conditional GET, 404 for a claim that is not published."""

import xml.etree.ElementTree as ET

import pytest

from claims.models import Claim
from claims.services import analysis_publish
from studies.models import Stance
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def claim():
    claim = make_claim()
    link(claim, make_study(title="Small trial", doi="10.1000/small", authors="Smith J"))
    analysis_publish(claim=claim, summary="First look.", change_note="First version.")
    review = make_study(
        title="Big review", doi="10.1000/review", design="meta_analysis_rct", sample_size=2000
    )
    link(claim, review, stance=Stance.CONTRADICTS, certainty="high")
    analysis_publish(claim=claim, change_note="Added the review.")
    link(claim, make_study(title="Late trial", doi="10.1000/late", authors="Late K", year=2025))
    return Claim.objects.get(pk=claim.pk)


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_it_lists_each_version_and_the_move_since_the_latest_as_valid_atom(claim, client):
    feed = parse(client.get(f"/claims/{claim.slug}/feed.atom"))
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287 §4.1.1: a feed has an id, a title and updated; an author covers its entries.
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert claim.plain_statement in feed.find(f"{ATOM}title").text
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link.endswith(f"/claims/{claim.slug}/feed.atom")

    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert [title.split(":")[0] for title in titles] == ["Since v2", "Analysis v2", "Analysis v1"]
    assert claim.verdict in titles[0]  # the live entry shows today's verdict
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 3
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert f"/claims/{claim.slug}/history/" in entry.find(f"{ATOM}link").get("href")
    summaries = [entry.find(f"{ATOM}summary").text for entry in entries]
    assert "Late K" in summaries[0] and "added" in summaries[0]
    assert "Added the review." in summaries[1] and "Big review" in summaries[1]
    assert "First analysis" in summaries[2]


def test_a_conditional_get_answers_304_until_the_claim_changes(claim, client):
    url = f"/claims/{claim.slug}/feed.atom"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    analysis_publish(claim=claim, change_note="Third.")
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert "Analysis v3" in again.content.decode()


def test_a_claim_that_is_not_published_has_no_feed(client, editor_client):
    draft = make_claim(slug="draft", status=Claim.Status.DRAFT)
    assert client.get(f"/claims/{draft.slug}/feed.atom").status_code == 404
    assert editor_client.get(f"/claims/{draft.slug}/feed.atom").status_code == 404
    assert client.get("/claims/no-such-claim/feed.atom").status_code == 404


def test_a_claim_without_versions_has_a_valid_empty_feed(client):
    claim = make_claim(slug="new")
    feed = parse(client.get(f"/claims/{claim.slug}/feed.atom"))
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}updated").text
