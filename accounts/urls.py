from django.urls import path

from . import account_views, views

# The other account pages (login, password change, the reset link) are Django's own,
# included after these in config/urls.py; My contributions is community's.
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("logout/", views.LogoutView.as_view(), name="logout"),  # with a message
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("display-name/", account_views.display_name_change, name="account-display-name"),
    path("email/", account_views.email_change_view, name="account-email"),
    path(
        "email/confirm/<str:token>/",
        account_views.email_confirm_view,
        name="account-email-confirm",
    ),
    path("delete/", account_views.account_delete_view, name="account-delete"),
]
