from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# The other account pages (login, logout, password change and reset) are Django's own,
# included after these in config/urls.py.
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(extra_email_context={"SITE_NAME": settings.SITE_NAME}),
        name="password_reset",
    ),
]
