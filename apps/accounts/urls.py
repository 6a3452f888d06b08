from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts import api_key_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("delete/", views.account_delete, name="delete"),
    path("api-keys/", api_key_views.api_keys, name="api_keys"),
    path("api-keys/<uuid:pk>/revoke/", api_key_views.api_key_revoke, name="api_key_revoke"),
    path("email/", views.email_change, name="email_change"),
    path("email/cancel/", views.email_change_cancel, name="email_change_cancel"),
    path("email/change/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("email/confirm/", views.email_confirmation_send, name="email_confirmation_send"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
