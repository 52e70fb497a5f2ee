"""Included at the site's root (config/urls.py): the two pages keep their original paths."""

from django.urls import path

from . import follow_views, views

urlpatterns = [
    path("claims/<slug:slug>/submit/", views.submit_study, name="claim-submit"),
    path("claims/<slug:slug>/follow/", follow_views.follow, name="claim-follow"),
    path("claims/<slug:slug>/unfollow/", follow_views.unfollow, name="claim-unfollow"),
    path("accounts/contributions/", views.my_contributions, name="my-contributions"),
    path("accounts/submissions/", views.my_submissions, name="my-submissions"),
    path("accounts/following/", follow_views.following, name="following"),
    path("unsubscribe/<str:token>/", follow_views.unsubscribe, name="unsubscribe"),
]
