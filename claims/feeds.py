"""The Atom feed of new, edited and re-scored claims: /feeds/claims.atom."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Claim

FEED_LENGTH = 50


class ClaimsFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def title(self):
        return f"{settings.SITE_NAME}: new and re-scored claims"

    def author_name(self):
        # RFC 4287: every entry needs an author; the feed's covers them all.
        return settings.SITE_NAME

    def subtitle(self):
        return "Claims as they are published, edited or re-scored, latest first."

    def link(self):
        return reverse("claim-list")

    def feed_url(self):
        return reverse("feed-claims")

    def items(self):
        return (
            Claim.objects.published()
            .defer("search_vector")
            .with_last_changed()
            .order_by("-last_changed", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, claim: Claim) -> str:
        return f"{claim.verdict}: {claim.plain_statement}"

    def item_description(self, claim: Claim) -> str:
        # Atom summaries are HTML: escape the text.
        return escape(
            f"{claim.verdict} (Pro {claim.pro_score}, Against {claim.against_score}). "
            f"{claim.statement}"
        )

    def item_link(self, claim: Claim) -> str:
        return claim.get_absolute_url()

    def item_pubdate(self, claim: Claim):
        return claim.created_at

    def item_updateddate(self, claim: Claim):
        return claim.last_changed_at

    def item_categories(self, claim: Claim):
        return [category for category in (claim.topic, claim.claim_type) if category]
