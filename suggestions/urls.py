"""Included at the site's root (config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("suggest/<str:target_type>/<int:pk>/", views.suggestion_new, name="suggestion-new"),
    path("accounts/suggestions/", views.my_suggestions, name="my-suggestions"),
    path(
        "accounts/suggestions/<int:pk>/withdraw/",
        views.suggestion_withdraw_view,
        name="suggestion-withdraw",
    ),
]
