from django.urls import path, re_path

from . import views

urlpatterns = [
    path("id/<int:pk>/", views.study_detail_by_id, name="study-detail-by-id"),
    path("<path:doi>/", views.study_detail, name="study-detail"),
    # The same page with nothing after the DOI, for links on our pages (Study.link_url): to
    # Zotero's DOI translator "/studies/10.1000/abc/" holds the DOI "10.1000/abc/".
    re_path(r"^(?P<doi>10\..*[^/])$", views.study_detail, name="study-link"),
]
