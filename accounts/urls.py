from django.urls import path

from . import account_views, views

# The other account pages (login, the reset's other steps) are Django's own,
# included after these in config/urls.py; My contributions is community's.
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),  # usernames bounded
    path("logout/", views.LogoutView.as_view(), name="logout"),  # with a message
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    # Django's password pages with our forms: a refused password is said under its own field.
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("display-name/", account_views.display_name_change, name="account-display-name"),
    path("email/", account_views.email_change_view, name="account-email"),
    path(
        "email/confirm/<str:token>/",
        account_views.email_confirm_view,
        name="account-email-confirm",
    ),
    path("delete/", account_views.account_delete_view, name="account-delete"),
]
