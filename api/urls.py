"""/api/: the read-only JSON API (docs/api.md)."""

from django.urls import path, re_path

from . import dump_views, study_views, views

urlpatterns = [
    path("", views.index, name="api-index"),
    path("schema/", views.schema, name="api-schema"),
    path("claims/", views.claim_list, name="api-claims"),
    path("claims/<slug:slug>/", views.claim_detail, name="api-claim"),
    path("studies/", study_views.study_list, name="api-studies"),
    path("studies/id/<int:pk>/", study_views.study_detail_by_id, name="api-study-by-id"),
    path("studies/<path:doi>/", study_views.study_detail, name="api-study"),
    # The bulk dumps (api/dump_views.py): the date and the file name are checked in the view.
    path("dumps/", dump_views.dump_index, name="api-dumps"),
    path("dumps/latest/<str:name>", dump_views.dump_latest, name="api-dump-latest"),
    path("dumps/<str:date>/<str:name>", dump_views.dump_file, name="api-dump-file"),
    # Last: every other /api/ path is a JSON 404 (or 405), not the site's HTML page ([\s\S],
    # not ".": a path with a newline in it, %0A, is one too).
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found, name=views.NOT_FOUND_ROUTE),
]
