from django.urls import path, re_path

from . import export_views, views

urlpatterns = [
    path("", views.claim_list, name="claim-list"),
    path("<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("<slug:slug>/history/", views.claim_history, name="claim-history"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/export\.(?P<fmt>bib|ris|csv)$",
        export_views.claim_export,
        name="claim-export",
    ),
]
