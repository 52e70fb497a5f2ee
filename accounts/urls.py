from django.urls import path

from . import views

# The other account pages (login, logout, password change, the reset link) are Django's own,
# included after these in config/urls.py.
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
]
