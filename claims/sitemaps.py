"""/sitemap.xml: the pages search engines should know about."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from studies.models import Study

from .feeds import claim_changed_at
from .models import Claim


class PageSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return ["home", "claim-list", "about-scoring"]

    def location(self, name: str) -> str:
        return reverse(name)


class ClaimSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Claim.objects.published().order_by("pk")

    def lastmod(self, claim: Claim):
        return claim_changed_at(claim)


class StudySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Study.objects.exclude(doi="").order_by("pk")

    def lastmod(self, study: Study):
        return study.updated_at


SITEMAPS = {"pages": PageSitemap, "claims": ClaimSitemap, "studies": StudySitemap}
