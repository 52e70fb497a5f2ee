from django.urls import path, re_path

from . import export_views, feeds, views

urlpatterns = [
    path("", views.claim_list, name="claim-list"),
    path("<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("<slug:slug>/history/", views.claim_history, name="claim-history"),
    path("<slug:slug>/changes/", views.claim_changes_list, name="claim-changes"),
    path("<slug:slug>/feed.atom", feeds.claim_feed, name="claim-feed"),
    # n as written: the view moves /v/01/ to /v/1/ (re_path keeps the digits as typed).
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/v/(?P<n>[0-9]+)/$", views.claim_version, name="claim-version"
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/v/(?P<n>[0-9]+)/cite\.(?P<fmt>bib|ris)$",
        views.claim_version_cite,
        name="claim-version-cite",
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/export\.(?P<fmt>bib|ris|csv|json)$",
        export_views.claim_export,
        name="claim-export",
    ),
]
