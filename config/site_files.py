"""The files crawlers and browsers ask for at fixed addresses: /robots.txt,
/.well-known/security.txt (RFC 9116) and /favicon.ico."""

import datetime
import ipaddress
from email.utils import parseaddr
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.site import site_url

ONE_DAY = 24 * 60 * 60

# What crawlers should leave alone, and why:
# - the admin and the account pages: nothing to index, and forms behind a login;
# - search results and filtered lists: `/claims/?` is every query of the claim list (search,
#   filters, later pages): endless variants of one page, whose claims the sitemap lists anyway;
#   `/*?q=` a search anywhere else;
# - the exports (BibTeX, RIS, CSV): files for reference managers, not pages.
DISALLOWED = (
    "/admin/",
    "/accounts/",
    "/claims/?",
    "/*?q=",
    "/claims/*/export.",
)

# RFC 9116 §2.5.5: Expires is required, and recommended to be less than a year ahead.
SECURITY_TXT_LIFETIME = datetime.timedelta(days=364)


def text_response(lines: list[str]) -> HttpResponse:
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    return text_response([*lines, "", f"Sitemap: {site_url(request, reverse('sitemap'))}"])


def has_mailboxes(host: str) -> bool:
    """Whether mail to someone@host can reach anyone: a domain name, not an IP address,
    localhost or a one-label name such as the test client's "testserver"."""
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        pass
    return "." in host and host != "localhost" and not host.endswith(".localhost")


def security_contact(request: HttpRequest) -> str:
    """SECURITY_CONTACT, else security@ the site's host (SITE_URL's, or the request's), else
    (a site on 127.0.0.1 or localhost) DEFAULT_FROM_EMAIL, the address the site mails from."""
    if settings.SECURITY_CONTACT:
        return settings.SECURITY_CONTACT
    host = urlsplit(site_url(request, "")).hostname or ""
    if has_mailboxes(host):
        return f"mailto:security@{host}"
    return f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def security_txt(request: HttpRequest) -> HttpResponse:
    # From midnight UTC, so every answer of one day says the same.
    today = timezone.now().astimezone(datetime.UTC).replace(hour=0, minute=0, second=0)
    expires = (today.replace(microsecond=0) + SECURITY_TXT_LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ")
    return text_response(
        [
            f"Contact: {security_contact(request)}",
            f"Expires: {expires}",
            f"Canonical: {site_url(request, reverse('security-txt'))}",
            "Preferred-Languages: en",
        ]
    )


@cache
def favicon_bytes() -> bytes:
    # static/img/favicon.ico: favicon.svg drawn at 32x32, a PNG in an ICO container.
    return Path(finders.find("img/favicon.ico")).read_bytes()


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def favicon_ico(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page says, and not all of
    them follow a redirect or draw an SVG: the icon itself, as an ICO."""
    return HttpResponse(favicon_bytes(), content_type="image/vnd.microsoft.icon")
