"""Included at the site's root (config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("flag/<str:target_type>/<int:pk>/", views.flag_new, name="flag-new"),
    path("accounts/flags/", views.my_flags, name="my-flags"),
]
