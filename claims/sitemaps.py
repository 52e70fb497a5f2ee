"""/sitemap.xml: an index of paginated sections (/sitemap-<section>.xml?p=N).

A sitemap may list at most 50,000 URLs; at 10,000 claims and ~50,000 studies one file would
exceed that, so each section is split into pages of SECTION_PAGE_SIZE.
"""

import dataclasses
import hashlib
from urllib.parse import urlsplit, urlunsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property

from core.site import site_url
from studies.models import Study

from .models import Claim, Evidence

# Well under the protocol's 50,000, so one page stays quick to render.
SECTION_PAGE_SIZE = 10_000
# A rendered sitemap is never stale (its key moves with the claims): this only bounds memory.
SITEMAP_TIMEOUT = 60 * 60
CACHED_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


class SiteSitemap(Sitemap):
    limit = SECTION_PAGE_SIZE

    @cached_property
    def paginator(self) -> Paginator:
        """Counted once per instance: the index asks whether a section is empty, then for
        its pages (Django's own is a property, a COUNT each time)."""
        return Paginator(self._items(), self.limit)


class PageSitemap(SiteSitemap):
    priority = 0.6

    def items(self):
        return ["home", "claim-list", "about-scoring"]

    def location(self, name: str) -> str:
        return reverse(name)


class ClaimSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        fields = ("slug", "updated_at", "content_changed_at", "scored_at")
        return Claim.objects.published().only(*fields).order_by("pk")

    def lastmod(self, claim: Claim):
        return claim.last_changed_at

    def get_latest_lastmod(self):
        """For the index: one aggregate, not a pass over every claim."""
        latest = Claim.objects.published().with_last_changed().aggregate(Max("last_changed"))
        return latest["last_changed__max"]


class StudySitemap(SiteSitemap):
    """Studies with a DOI that inform a published claim (through an approved link)."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        informs = Evidence.objects.filter(
            study=OuterRef("pk"),
            status=Evidence.Status.APPROVED,
            claim__status=Claim.Status.PUBLISHED,
        )
        return (
            Study.objects.exclude(doi="")
            .filter(Exists(informs))
            .only("doi", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, study: Study):
        return study.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(Max("updated_at"))["updated_at__max"]


SITEMAPS = {"pages": PageSitemap, "claims": ClaimSitemap, "studies": StudySitemap}


# Django's sitemap views build every <loc> on the requested host; these wrappers move each one
# onto site_url (SITE_URL when it is set), where every other absolute URL of the site is.


def _on_site(request: HttpRequest, url: str) -> str:
    parts = urlsplit(url)
    return site_url(request, urlunsplit(("", "", parts.path, parts.query, "")))


def _cached(request: HttpRequest, name: str, build) -> HttpResponse:
    """The sitemap response `build` makes, rendered once per "claims changed" version
    (ClaimQuerySet.list_version: a claim, its links or a linked study written), origin and
    page: the index counts and dates every section, a section page lists 10,000 URLs."""
    parts = [
        Claim.objects.list_version(),
        site_url(request, ""),
        name,
        request.GET.get("p", ""),
        *(str(cls.limit) for cls in SITEMAPS.values()),
    ]
    key = "sitemap:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    if (hit := cache.get(key)) is not None:
        content, headers = hit
        response = HttpResponse(content)
        for header, value in headers.items():
            response[header] = value
        return response
    response = build()
    response.render()
    headers = {h: response[h] for h in CACHED_HEADERS if h in response}
    cache.set(key, (response.content, headers), SITEMAP_TIMEOUT)
    return response


def index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the sections and their pages. The schema asks each page for at least
    one <url>, so a section with nothing in it (a new site: no published claim) is left out."""
    return _cached(request, "index", lambda: _index(request))


def _index(request: HttpRequest) -> HttpResponse:
    sections = {name: cls() for name, cls in SITEMAPS.items()}
    sections = {name: site for name, site in sections.items() if site.paginator.count}
    response = sitemap_views.index(request, sections, sitemap_url_name="sitemap-section")
    response.context_data["sitemaps"] = [
        dataclasses.replace(item, location=_on_site(request, item.location))
        for item in response.context_data["sitemaps"]
    ]
    return response


def section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-<section>.xml?p=N: one page of a section."""
    if section not in SITEMAPS:  # before the cache: no key for every name asked
        raise Http404("No such sitemap section.")
    return _cached(request, section, lambda: _section(request, section))


def _section(request: HttpRequest, section: str) -> HttpResponse:
    response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    if not response.context_data["urlset"]:  # empty, so not in the index (and not valid)
        raise Http404("This section has no pages yet.")
    for url in response.context_data["urlset"]:
        url["location"] = _on_site(request, url["location"])
    return response
