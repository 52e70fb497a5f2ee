"""/api/: the read-only JSON API (docs/api.md)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="api-index"),
    path("claims/", views.claim_list, name="api-claims"),
    path("claims/<slug:slug>/", views.claim_detail, name="api-claim"),
    path("studies/", views.study_list, name="api-studies"),
    path("studies/id/<int:pk>/", views.study_detail_by_id, name="api-study-by-id"),
    path("studies/<path:doi>/", views.study_detail, name="api-study"),
]
