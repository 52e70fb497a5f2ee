"""/api/: the read-only JSON API (docs/api.md)."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.index, name="api-index"),
    path("claims/", api.claim_list, name="api-claims"),
    path("claims/<slug:slug>/", api.claim_detail, name="api-claim"),
    path("studies/", api.study_list, name="api-studies"),
    path("studies/id/<int:pk>/", api.study_detail_by_id, name="api-study-by-id"),
    path("studies/<path:doi>/", api.study_detail, name="api-study"),
]
