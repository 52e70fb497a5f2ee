"""Included at the site's root (config/urls.py): the two pages keep their original paths."""

from django.urls import path

from . import views

urlpatterns = [
    path("claims/<slug:slug>/submit/", views.submit_study, name="claim-submit"),
    path("accounts/submissions/", views.my_submissions, name="my-submissions"),
]
