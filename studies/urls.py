from django.urls import path

from . import views

urlpatterns = [
    path("id/<int:pk>/", views.study_detail_by_id, name="study-detail-by-id"),
    path("<path:doi>/", views.study_detail, name="study-detail"),
]
