"""The claim page's key: one PageKey builds the ETag, the fragment keys and the anonymous page key.

Everything a claim page shows moves `Claim.cache_version`: the receivers touch the claim when its
evidence, studies, analyses, mechanisms, ideal studies or submissions are written, and when a
claim sharing one of its studies (its Related claims) changes (claims.receivers). So after any
ORM write a key built on the version never serves an old page, and timeouts only bound the
memory held by dead keys; bulk writes must touch (docs/architecture.md, "Where a write goes").
The rest of the key is who is asking and which variant of the page is asked for.

Which claims a request may see (published; editors also drafts) is decided here too, for the
claim page (claim_for_page) and its other pages: history, exports, JSON (claim_or_404).
"""

import hashlib
from functools import cached_property, wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.site import site_url
from studies.models import Stance

from . import page_version
from .breakdown import breakdown_mode
from .evidence_list import evidence_mode, page_query
from .findings import forest_mode
from .models import Claim

# A day; keys change on every edit, so the timeout only bounds memory held by dead keys.
FRAGMENT_TIMEOUT = 24 * 60 * 60


def shows_full_verdict(request: HttpRequest) -> bool:
    return request.user.is_authenticated or not settings.FULL_VERDICT_REQUIRES_LOGIN


def _visible_claims(request: HttpRequest):
    """Published claims; editors may also preview drafts."""
    return Claim.objects.all() if request.user.is_staff else Claim.objects.published()


def claim_for_page(request: HttpRequest, slug: str) -> Claim | None:
    """The claim of a claim page. Anonymous readers are usually served the whole page from the
    cache, so for them only the claim's version is read (Claim.objects.published_version), and
    with a shared cache it is read from there (claims.page_version: no query on a hit);
    editors may also see drafts."""
    if not request.user.is_authenticated:  # from the cache when it is shared (page_version)
        return page_version.published_version(slug, Claim.objects.published_version)
    return _visible_claims(request).defer("search_vector").filter(slug=slug).first()


def claim_or_404(request: HttpRequest, slug: str) -> Claim:
    """The claim of the claim's other pages (history, exports, JSON), whole, or 404: the same
    claims as the claim page."""
    return get_object_or_404(_visible_claims(request), slug=slug)


def lower_case_slug(view):
    """Slugs are lower case: "/claims/RIR-Training/history/" (typed, or from a title-cased
    link) moves for good to the same page of the claim, query kept, when this reader may see
    that claim. For the claim's other pages; the claim page checks after its own lookup."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs):
        lower = slug.lower()
        visible = _visible_claims(request)
        if (
            slug != lower
            and not visible.filter(slug=slug).exists()
            and visible.filter(slug=lower).exists()
        ):
            match = request.resolver_match
            url = reverse(match.view_name, kwargs={**match.kwargs, "slug": lower})
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        return view(request, slug, **kwargs)

    return wrapper


class PageKey:
    """What one claim page response depends on, and the cache keys made of it."""

    def __init__(self, request: HttpRequest, claim: Claim):
        self.request = request
        self.version = claim.cache_version
        self.status = claim.status
        self.full = shows_full_verdict(request)
        self.wording = "scientific" if request.GET.get("wording") == "scientific" else "plain"
        # Which evidence lists are shown whole; "" when the gate hides them (so a gated page
        # has one cached copy and one ETag, whatever `?evidence=` says).
        self.evidence = evidence_mode(request.GET.get("evidence")) if self.full else ""
        # Whether the score breakdown lists every study ("all") or the strongest a side ("").
        self.breakdown = breakdown_mode(request.GET.get("breakdown")) if self.full else ""
        # Whether the forest plots draw every study ("all") or the strongest a side (""): the
        # plot is shown to every reader, gated or not.
        self.forest = forest_mode(request.GET.get("forest"))

    @property
    def params(self) -> dict[str, str]:
        """The page's query parameters as its links write them: plain wording is the default,
        so it is left out."""
        return {
            "wording": self.wording if self.wording == "scientific" else "",
            "evidence": self.evidence,
            "breakdown": self.breakdown,
            "forest": self.forest,
        }

    def query(self, **changed: str) -> str:
        """This page's query string with `changed` (a "Show all" link keeps every other list
        as it is shown, and the wording)."""
        return page_query(**{**self.params, **changed})

    @property
    def variant(self) -> str:
        """The fragment key of a block whose links carry the page's parameters."""
        return "|".join([self.version, *self.params.values()])

    @cached_property
    def fragment(self) -> str:
        """The partial htmx asks for instead of the whole page: "statement" (the wording
        toggle), "evidence-list" (one side's whole list, `?evidence=supports` or
        `contradicts`), or "" for the whole page."""
        if not self.request.htmx:
            return ""
        if self.request.GET.get("wording"):
            return "statement"
        if self.breakdown:  # the whole score breakdown (claims.breakdown)
            return "breakdown"
        if self.forest:  # every study in the forest plots (claims.findings)
            return "forest"
        if self.evidence in (Stance.SUPPORTS, Stance.CONTRADICTS):
            return "evidence-list"
        return ""

    @cached_property
    def etag(self) -> str:
        """The version, who is asking (the header and the gate differ), the CSRF cookie when
        the page embeds a token (signed-in readers only), the variant, the gate setting, the
        origin of the page's absolute URLs (SITE_URL, else the requested scheme and host), and
        the cache's key prefix (a deploy that changes templates changes it)."""
        request, user = self.request, self.request.user
        parts = [
            site_url(request, ""),
            self.version,
            self.status,
            str(user.pk) if user.is_authenticated else "anon",
            "staff" if user.is_staff else "",
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, "") if user.is_authenticated else "",
            self.wording,
            self.evidence,
            self.breakdown,
            self.forest,
            self.fragment or "page",
            str(settings.FULL_VERDICT_REQUIRES_LOGIN),
            settings.CACHES["default"].get("KEY_PREFIX", ""),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    @cached_property
    def anonymous_page(self) -> str | None:
        """The cache key of an anonymous reader's whole page, or None when it must be rendered.

        Anonymous pages hold no CSRF token and nothing about the reader, so every anonymous
        reader of one version and origin gets the same bytes; a pending message ("You have
        logged out") is rendered.
        """
        if self.request.user.is_authenticated or self.has_messages:
            return None
        return f"claim-page-anonymous:{self.etag}"

    @cached_property
    def has_messages(self) -> bool:
        """A message is pending ("You are logged out."): the page shows it once, so it is
        neither cached nor given an ETag (a browser's 304 would show the message again)."""
        return bool(len(get_messages(self.request)))

    @property
    def full_variant(self) -> str:
        """The fragment key of the full-verdict block: its "Show all" links keep the wording."""
        return f"{self.version}|{self.evidence}|{self.wording}"

    @property
    def summary(self) -> str:
        """The small, request-independent part of the page (claims.page.ClaimPage.summary)."""
        return f"claim-page-summary:{self.version}"
