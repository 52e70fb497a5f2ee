"""Included at the site's root (config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("claims/<slug:slug>/discussion/", views.claim_discussion, name="claim-discussion"),
    path("claims/<slug:slug>/discussion/post/", views.post_comment, name="comment-post"),
]
