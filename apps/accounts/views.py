from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from apps.accounts import services, throttling
from apps.accounts.forms import (
    AccountDeleteForm,
    EmailAuthenticationForm,
    ProfileForm,
    SignupForm,
)
from promptvault import entitlements


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    # An invite link sends people here with their invited address already filled in.
    form = SignupForm(
        request.POST if request.method == "POST" else None,
        initial={"email": request.GET.get("email", "")[:254]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to PromptVault! Your vault is ready.")
            return redirect(_safe_next(request) or "home")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


class LoginView(auth_views.LoginView):
    """Django's log-in; its form pauses attempts after too many failures (throttling)."""

    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled():
            response.status_code = 429
        return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"name": request.user.name, "email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(
                user=request.user, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile was saved.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "usage": entitlements.usage(request.user)},
    )


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_delete(user=request.user)
        logout(request)
        messages.success(request, "Your account and everything in it were deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed.")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The paused-log-in message sends people here; a reset proves they hold the inbox,
        # so the failures counted against their account no longer count. Their address's
        # stay: resetting one's own password must not buy guesses at someone else's.
        throttling.clear_account_failures(form.user.email)
        return response
