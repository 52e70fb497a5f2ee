"""The Atom feeds: new, edited and re-scored claims (/feeds/claims.atom), and one claim's
versions and verdict moves (/claims/<slug>/feed.atom)."""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.http import require_http_methods

from core.site import site_url

from .exports import stored_statement, verdict_line
from .history import VersionRow, version_history
from .models import Claim
from .page_cache import lower_case_slug

FEED_LENGTH = 50


# What XML 1.0 cannot carry (C0 controls but tab, newline and return): Django's feed writer
# raises on them, so a member's accepted suggestion holding U+001E made both feeds a 500.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value):
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_safe(item) for item in value)
    return value


class XmlSafeAtom1Feed(Atom1Feed):
    """Atom with the characters XML cannot carry dropped from every text it is given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_xml_safe(args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*_xml_safe(args), **{k: _xml_safe(v) for k, v in kwargs.items()})


@dataclass(frozen=True)
class SiteFeedEntries:
    """What one request's site feed shows: its origin and its claims, read once for the
    conditional GET and the feed alike."""

    origin: str
    claims: list[Claim]


def latest_claims(origin: str) -> list[Claim]:
    claims = list(
        Claim.objects.published()
        .defer("search_vector")
        .with_last_changed()
        .with_list_changed()
        .order_by("-last_changed", "-pk")[:FEED_LENGTH]
    )
    for claim in claims:
        claim.feed_link = origin + claim.get_absolute_url()
    return claims


def _claims_feed_etag(entries: SiteFeedEntries) -> str:
    """Each entry is read off its claim's stored fields, all of which move last_changed_at;
    a claim withdrawn or published changes the list itself."""
    parts = [
        entries.origin,
        settings.SITE_NAME,
        settings.CACHES["default"].get("KEY_PREFIX", ""),
        *(f"{claim.pk}:{claim.last_changed_at.isoformat()}" for claim in entries.claims),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


class ClaimsFeed(Feed):
    """Links are absolute on SITE_URL. Nothing request-specific is kept on this instance,
    which every request shares: the feed's "object" is the request's SiteFeedEntries.

    A conditional GET (If-None-Match, If-Modified-Since) answers 304 from the one query the
    feed needs. Last-Modified is the newest entry's change; the ETag also moves when a claim
    leaves the list (withdrawn), so clients sending both are never served a stale feed."""

    feed_type = XmlSafeAtom1Feed
    description_template = None

    def __call__(self, request, *args, **kwargs):
        if request.method == "OPTIONS":
            return _preflight()
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD", "OPTIONS"])
        origin = site_url(request, "")
        entries = SiteFeedEntries(origin, latest_claims(origin))
        etag = quote_etag(_claims_feed_etag(entries))
        newest = max(
            (max(claim.last_changed_at, claim.list_changed) for claim in entries.claims),
            default=None,
        )
        response = get_conditional_response(
            request, etag=etag, last_modified=int(newest.timestamp()) if newest else None
        )
        if response is None:
            response = super().__call__(request, entries=entries)
        response["ETag"] = etag
        if newest is not None:  # an empty feed has no date of its own
            response["Last-Modified"] = http_date(newest.timestamp())
        else:
            del response["Last-Modified"]
        return _readable_anywhere(response)

    def get_object(self, request, entries: SiteFeedEntries):
        return entries

    def title(self):
        return f"{settings.SITE_NAME}: new and re-scored claims"

    def author_name(self):
        # RFC 4287: every entry needs an author; the feed's covers them all.
        return settings.SITE_NAME

    def subtitle(self):
        return "Claims as they are published, edited or re-scored, latest first."

    def link(self, entries: SiteFeedEntries):
        return entries.origin + reverse("claim-list")

    def feed_url(self, entries: SiteFeedEntries):
        return entries.origin + reverse("feed-claims")

    def items(self, entries: SiteFeedEntries):
        return entries.claims

    # Entries read the stored scores, which equal the live scorecard after every write
    # (claims.receivers): one query for the whole feed.

    def item_title(self, claim: Claim) -> str:
        return f"{verdict_line(claim.verdict, claim.certainty)}: {claim.plain_statement}"

    def item_description(self, claim: Claim) -> str:
        # Atom summaries are HTML: escape the text.
        return escape(
            f"Claim: {claim.statement} "
            f"Verdict: {verdict_line(claim.verdict, claim.certainty)} "
            f"(Pro {claim.pro_score}, Against {claim.against_score}). {stored_statement(claim)}"
        )

    def item_link(self, claim: Claim) -> str:
        return claim.feed_link

    def item_pubdate(self, claim: Claim):
        return claim.created_at

    def item_updateddate(self, claim: Claim):
        return claim.last_changed_at

    def item_categories(self, claim: Claim):
        return [category for category in (claim.topic, claim.claim_type) if category]


class ClaimFeed(Feed):
    """One claim's Atom feed, /claims/<slug>/feed.atom: each analysis version as published
    and, when today's scores moved since the latest, an entry for that move (claims.history).
    Served by claim_feed, which answers a conditional GET with 304 before anything is built."""

    feed_type = XmlSafeAtom1Feed
    description_template = None

    def get_object(self, request, claim: Claim):
        claim.feed_origin = site_url(request, "")
        return claim

    def title(self, claim: Claim):
        return f"{settings.SITE_NAME}: {claim.plain_statement}"

    def subtitle(self, claim: Claim):
        return "Each analysis version of this claim and each move of its verdict, latest first."

    def author_name(self):
        return settings.SITE_NAME

    def link(self, claim: Claim):
        return claim.feed_origin + claim.get_absolute_url()

    def feed_url(self, claim: Claim):
        return claim.feed_origin + reverse("claim-feed", args=[claim.slug])

    def items(self, claim: Claim):
        rows = version_history(claim)
        history = claim.feed_origin + reverse("claim-history", args=[claim.slug])
        for row in rows:
            row.feed_claim = claim
            if row.analysis is None:  # today's scores moved since the latest version
                row.feed_date = claim.scored_at or claim.last_changed_at
                row.feed_link = f"{history}#now-{row.feed_date:%Y%m%dT%H%M%S}"
            else:
                row.feed_date = row.analysis.published_at
                row.feed_link = f"{history}#v{row.analysis.version}"
        return rows

    def item_title(self, row: VersionRow) -> str:
        verdict = verdict_line(row.verdict, row.certainty) if row.verdict else "scores not recorded"
        return f"{row.label}: {verdict}"

    def item_description(self, row: VersionRow) -> str:
        parts = [row.summary or " ".join(change.text for change in row.changes), row.movement]
        if row.analysis is not None and row.analysis.change_note:
            parts.append(row.analysis.change_note)
        parts.append(row.note)
        return escape(" ".join(f"{part.rstrip('.')}." for part in parts if part))

    def item_link(self, row: VersionRow) -> str:
        return row.feed_link

    def item_guid(self, row: VersionRow) -> str:
        return row.feed_link

    def item_pubdate(self, row: VersionRow):
        return row.feed_date

    def item_updateddate(self, row: VersionRow):
        return row.feed_date

    def item_author_name(self, row: VersionRow) -> str:
        return row.author


def _readable_anywhere(response: HttpResponse) -> HttpResponse:
    """A public feed: browser feed readers on other sites may fetch it (CORS), and read its
    validators to send them back."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _preflight() -> HttpResponse:
    """A CORS preflight: a script on another site sending If-None-Match asks first."""
    response = HttpResponse(status=204)
    response["Allow"] = response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return _readable_anywhere(response)


def _claim_feed_etag(request, claim: Claim) -> str:
    """The claim's page version covers every write the feed shows (analyses, scores, study
    names); the origin and the cache prefix as on the claim page."""
    parts = [
        site_url(request, ""),
        claim.cache_version,
        settings.CACHES["default"].get("KEY_PREFIX", ""),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


@require_http_methods(["GET", "HEAD", "OPTIONS"])
@lower_case_slug
def claim_feed(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return _preflight()
    claim = get_object_or_404(Claim.objects.published().defer("search_vector"), slug=slug)
    etag = quote_etag(_claim_feed_etag(request, claim))
    last_modified = claim.last_changed_at
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if response is None:
        response = ClaimFeed()(request, claim=claim)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    return _readable_anywhere(response)
