from urllib.parse import quote

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import include, path, re_path

from api import views as api_views
from claims import sitemaps
from claims import views as claim_views
from claims.feeds import ClaimsFeed
from community import queue  # also puts the queue's count on the admin index
from config import pages, site_files

# The admin is the editors' desk of this site, not "Django administration".
admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} editors"
admin.site.index_title = "Pending work and site content"


def submission_admin_moved(request, rest: str) -> HttpResponseRedirect:
    """The old admin address of submissions, re-encoded (a %3F stays in the path), with its
    query; 307 keeps the method, so an action form opened before the move still posts."""
    url = f"/admin/community/submission/{quote(rest)}"
    if request.META.get("QUERY_STRING"):
        url += f"?{request.META['QUERY_STRING']}"
    response = HttpResponseRedirect(url)
    response.status_code = 307
    return response


urlpatterns = [
    path("", claim_views.home, name="home"),
    # Next: the most read pages are matched after the fewest patterns (issue 20: resolving the
    # claim page cost a tenth of a warm page). No pattern of the includes below (claims/<slug>/
    # submit/, follow/, discussion/) is an address of claims.urls, so the order changes nothing.
    # Here, not in claims.urls: the claim JSON is an api view, and claims never imports api.
    path("claims/<slug:slug>.json", api_views.claim_json, name="claim-json"),
    path("claims/", include("claims.urls")),
    path("healthz", claim_views.healthz, name="healthz"),
    path("robots.txt", site_files.robots_txt, name="robots-txt"),
    path(".well-known/security.txt", site_files.security_txt, name="security-txt"),
    path("favicon.ico", site_files.favicon_ico, name="favicon"),
    path("about/scoring/", claim_views.about_scoring, name="about-scoring"),
    path("about/", pages.about, name="about"),
    path("privacy/", pages.privacy, name="privacy"),
    path("terms/", pages.terms, name="terms"),
    # Before "accounts/": accounts/submissions/ and the other pages of a member's own.
    path("", include("community.urls")),
    path("", include("flags.urls")),
    path("", include("suggestions.urls")),
    path("", include("discussion.urls")),
    path("studies/", include("studies.urls")),
    path("api/", include("api.urls")),
    path("feeds/claims.atom", ClaimsFeed(), name="feed-claims"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Submissions moved from the studies app to community: editors' bookmarks still work.
    re_path(r"^admin/studies/submission/(?P<rest>.*)$", submission_admin_moved),
    path("admin/queue/", admin.site.admin_view(queue.editors_queue), name="admin-queue"),
    path("admin/", admin.site.urls),
]

# Error pages without tracebacks or database access (see config.middleware).
handler400 = "config.middleware.bad_request"
handler500 = "config.middleware.server_error"
