"""The Atom feed of new, edited and re-scored claims: /feeds/claims.atom."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from core.site import site_url

from .exports import stored_statement, verdict_line
from .models import Claim

FEED_LENGTH = 50


class ClaimsFeed(Feed):
    """Links are absolute on SITE_URL: the feed's "object" is the site's origin, so nothing
    request-specific is kept on this instance, which every request shares."""

    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request, *args, **kwargs):
        return site_url(request, "")

    def title(self):
        return f"{settings.SITE_NAME}: new and re-scored claims"

    def author_name(self):
        # RFC 4287: every entry needs an author; the feed's covers them all.
        return settings.SITE_NAME

    def subtitle(self):
        return "Claims as they are published, edited or re-scored, latest first."

    def link(self, origin):
        return origin + reverse("claim-list")

    def feed_url(self, origin):
        return origin + reverse("feed-claims")

    def items(self, origin):
        claims = list(
            Claim.objects.published()
            .defer("search_vector")
            .with_last_changed()
            .order_by("-last_changed", "-pk")[:FEED_LENGTH]
        )
        for claim in claims:
            claim.feed_link = origin + claim.get_absolute_url()
        return claims

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
