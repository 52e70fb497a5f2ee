"""Both Atom feeds as feed readers take them: feedparser reads them without complaint (bozo 0)
and gets back each entry's title, link and updated time; a conditional GET with the feed's own
ETag or Last-Modified answers 304 until something in it changes."""

import calendar
import datetime

import feedparser
import pytest
from django.utils import timezone

from claims.exports import verdict_line
from claims.models import Analysis, Claim
from claims.services import analysis_publish
from tests.factories import link, make_claim, make_study

pytestmark = pytest.mark.django_db

SITE_FEED = "/feeds/claims.atom"


def parsed(response):
    assert response.status_code == 200
    feed = feedparser.parse(
        response.content, response_headers={"content-type": response["Content-Type"]}
    )
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def seconds(moment: datetime.datetime) -> int:
    return int(moment.timestamp())


def test_feedparser_reads_the_site_feed_and_each_entry_round_trips(client, demo):
    make_claim(slug="accents", plain_statement="Müller's salt & sugar <b>raise</b> BP.")
    feed = parsed(client.get(SITE_FEED))
    claims = {f"http://testserver{c.get_absolute_url()}": c for c in Claim.objects.published()}
    assert len(feed.entries) == len(claims) == 6
    for entry in feed.entries:
        claim = claims[entry.link]
        assert (
            entry.title
            == f"{verdict_line(claim.verdict, claim.certainty)}: {claim.plain_statement}"
        )
        assert calendar.timegm(entry.updated_parsed) == seconds(claim.last_changed_at)
    assert calendar.timegm(feed.feed.updated_parsed) == max(
        seconds(claim.last_changed_at) for claim in claims.values()
    )


@pytest.fixture
def versioned():
    claim = make_claim(slug="versioned")
    link(claim, make_study(title="Small trial", doi="10.1000/small"))
    analysis_publish(claim=claim, summary="First look.", change_note="First version.")
    link(claim, make_study(title="Second trial", doi="10.1000/second"))
    analysis_publish(claim=claim, change_note="Added the second trial.")
    return Claim.objects.get(pk=claim.pk)


def test_feedparser_reads_a_claims_feed_and_each_entry_round_trips(client, versioned):
    feed = parsed(client.get(f"/claims/{versioned.slug}/feed.atom"))
    history = f"http://testserver/claims/{versioned.slug}/history/"
    analyses = Analysis.objects.filter(claim=versioned).order_by("-version")
    assert [entry.link for entry in feed.entries] == [f"{history}#v{a.version}" for a in analyses]
    for entry, analysis in zip(feed.entries, analyses, strict=True):
        assert entry.title == (
            f"Analysis v{analysis.version}: {verdict_line(analysis.verdict, analysis.certainty)}"
        )
        assert calendar.timegm(entry.updated_parsed) == seconds(analysis.published_at)
        assert entry.id == entry.link


def test_the_site_feed_answers_304_to_its_own_etag_and_last_modified(client):
    claim = make_claim()
    first = client.get(SITE_FEED)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"')
    assert client.get(SITE_FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(SITE_FEED, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # Both at once, as feedparser sends them when polling with etag= and modified=.
    both = client.get(SITE_FEED, HTTP_IF_NONE_MATCH=etag, HTTP_IF_MODIFIED_SINCE=modified)
    assert both.status_code == 304 and both["ETag"] == etag

    later = timezone.now() + datetime.timedelta(minutes=5)
    Claim.objects.filter(pk=claim.pk).update(updated_at=later)
    changed = client.get(SITE_FEED, HTTP_IF_MODIFIED_SINCE=modified)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert client.get(SITE_FEED, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_site_feed_changes_its_etag_when_a_claim_is_withdrawn(client):
    make_claim(slug="stays")
    older = make_claim(slug="withdrawn")
    etag = client.get(SITE_FEED)["ETag"]
    Claim.objects.filter(pk=older.pk).update(status=Claim.Status.DRAFT)
    again = client.get(SITE_FEED, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert "withdrawn" not in again.content.decode()


def test_the_site_feed_answers_its_conditional_get_in_one_query(client, django_assert_num_queries):
    for number in range(5):
        make_claim(slug=f"claim-{number}")
    etag = client.get(SITE_FEED)["ETag"]
    with django_assert_num_queries(1):
        assert client.get(SITE_FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_empty_site_feed_is_valid_and_claims_no_date(client):
    response = client.get(SITE_FEED)
    parsed(response)
    assert "Last-Modified" not in response and response["ETag"]


def test_a_claims_feed_answers_304_to_its_own_last_modified(client, versioned):
    url = f"/claims/{versioned.slug}/feed.atom"
    modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_the_site_feed_refuses_a_write(client):
    assert client.post(SITE_FEED).status_code == 405


def test_browser_feed_readers_on_other_sites_may_fetch_both_feeds(client, versioned):
    for url in (SITE_FEED, "/claims/versioned/feed.atom"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*", url
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304
        assert again["Access-Control-Allow-Origin"] == "*", url


def test_the_site_feed_does_not_answer_304_once_a_claim_left_it(client, demo):
    """Unpublishing a claim leaves every remaining entry's date alone: the feed's
    Last-Modified moves anyway, so If-Modified-Since alone gets the shorter feed."""
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Claim.objects.update(updated_at=long_ago, content_changed_at=long_ago, scored_at=long_ago)
    first = client.get(SITE_FEED)
    withdrawn = Claim.objects.published().first()
    withdrawn.status = Claim.Status.DRAFT
    withdrawn.save()
    again = client.get(SITE_FEED, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert len(parsed(again).entries) == len(parsed(first).entries) - 1


@pytest.mark.parametrize("url", [SITE_FEED, "/claims/{slug}/feed.atom"])
def test_a_script_on_another_site_may_ask_first_and_read_the_validators(client, demo, url):
    url = url.format(slug=Claim.objects.published().first().slug)
    preflight = client.options(
        url,
        headers={
            "Origin": "https://reader.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert "ETag" in client.get(url)["Access-Control-Expose-Headers"]
