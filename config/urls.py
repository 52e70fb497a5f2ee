from django.contrib import admin
from django.urls import include, path

from claims import sitemaps
from claims import views as claim_views
from claims.feeds import ClaimsFeed
from studies import submission_views

urlpatterns = [
    path("", claim_views.home, name="home"),
    path("healthz", claim_views.healthz, name="healthz"),
    path("about/scoring/", claim_views.about_scoring, name="about-scoring"),
    path("claims/<slug:slug>/submit/", submission_views.submit_study, name="claim-submit"),
    path("claims/", include("claims.urls")),
    path("studies/", include("studies.urls")),
    path("api/", include("claims.api_urls")),
    path("feeds/claims.atom", ClaimsFeed(), name="feed-claims"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.section, name="sitemap-section"),
    path("accounts/submissions/", submission_views.my_submissions, name="my-submissions"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]

# Error pages without tracebacks or database access (see config.middleware).
handler400 = "config.middleware.bad_request"
handler500 = "config.middleware.server_error"
