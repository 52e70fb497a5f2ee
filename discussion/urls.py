"""Included at the site's root (config/urls.py)."""

urlpatterns = []
