from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import rate_limits, services, tasks, throttling
from apps.accounts.forms import (
    AccountDeleteForm,
    EmailAuthenticationForm,
    EmailChangeForm,
    ProfileForm,
    SignupForm,
)
from apps.accounts.models import normalize_email
from apps.teams import services as team_services
from promptvault import entitlements, form_errors


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    # Only a path: redirect() would take a bare word for a URL name and fail to reverse it.
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _invited_address(next_url: str | None) -> str:
    """The address the invite link in `next` was sent to, or "". Signing up from that link
    shows the invite mail reached the address."""
    if not next_url:
        return ""
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return ""
    if match.view_name != "teams:accept":
        return ""
    try:
        return team_services.invite_from_token(match.kwargs["token"]).invited_email
    except team_services.InviteTokenError:
        return ""


def _send_confirmation(request: HttpRequest, user, next_url: str = "") -> None:
    base_url = _base_url(request)
    transaction.on_commit(
        lambda: tasks.send_email_confirmation.enqueue(
            user_id=str(user.pk), base_url=base_url, next_url=next_url
        )
    )


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
        email = form.cleaned_data["email"]
        try:
            user = services.user_create(
                email=email,
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
                email_confirmed=email == _invited_address(_safe_next(request)),
            )
        except ValidationError as error:
            form_errors.add_to_form(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to PromptVault! Your vault is ready.")
            if user.email_confirmed_at is None:
                _send_confirmation(request, user)
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
        request.POST if request.method == "POST" else None, initial={"name": request.user.name}
    )
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, name=form.cleaned_data["name"])
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
def email_change(request: HttpRequest) -> HttpResponse:
    """Ask for a new login address; it takes effect once the link mailed to it is opened."""
    user = request.user
    form = EmailChangeForm(request.POST if request.method == "POST" else None, user=user)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not rate_limits.account_mail_allowed(user):
            form.add_error(None, rate_limits.refused_message("confirmation emails were sent"))
            status = 429
        else:
            try:
                services.email_change_request(user=user, email=form.cleaned_data["email"])
            except ValidationError as error:
                form_errors.add_to_form(form, error)
            else:
                base_url = _base_url(request)
                transaction.on_commit(
                    lambda: tasks.send_email_change_link.enqueue(
                        user_id=str(user.pk), base_url=base_url
                    )
                )
                messages.success(
                    request,
                    f"We sent a link to {user.pending_email}. Your address stays {user.email} "
                    "until you open it.",
                )
                return redirect("accounts:profile")
    return render(request, "accounts/email_change.html", {"form": form}, status=status)


@login_required
@require_POST
def email_change_cancel(request: HttpRequest) -> HttpResponse:
    services.email_change_cancel(user=request.user)
    messages.success(request, "The change of email address was cancelled.")
    return redirect("accounts:profile")


@require_http_methods(["GET", "POST"])
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to the new address. Opening it asks; the button makes the change."""
    try:
        if request.method == "GET":
            user = services.email_change_check(token)
            return render(request, "accounts/email_confirm.html", {"new_email": user.pending_email})
        user, old_email = services.email_change_confirm(token=token)
    except services.EmailLinkError as error:
        return render(
            request, "accounts/email_link_invalid.html", {"reason": str(error)}, status=error.status
        )
    except ValidationError as error:
        return render(
            request,
            "accounts/email_link_invalid.html",
            {"reason": form_errors.as_text(error)},
            status=409,
        )
    transaction.on_commit(
        lambda: tasks.send_email_changed_notice.enqueue(user_id=str(user.pk), old_email=old_email)
    )
    messages.success(request, f"Your email address is now {user.email}.")
    return redirect("accounts:profile" if request.user == user else "accounts:login")


@login_required
@require_POST
def email_confirmation_send(request: HttpRequest) -> HttpResponse:
    """Mail a fresh link confirming the current address; `next` is where the link leads."""
    user = request.user
    next_url = _safe_next(request) or ""
    if user.email_confirmed_at is not None:
        messages.info(request, f"{user.email} is already confirmed.")
    elif not rate_limits.account_mail_allowed(user):
        messages.error(request, rate_limits.refused_message("confirmation emails were sent"))
    else:
        _send_confirmation(request, user, next_url)
        messages.success(
            request, f"We sent a confirmation link to {user.email}. Open it to continue."
        )
    return redirect(next_url or "accounts:profile")


@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a confirmation mail. Opening it asks; the button confirms."""
    try:
        if request.method == "GET":
            user, _next = services.email_confirmation_check(token)
            return render(request, "accounts/email_confirm.html", {"confirm_email": user.email})
        user, next_url = services.email_confirm(token=token)
    except services.EmailLinkError as error:
        return render(
            request, "accounts/email_link_invalid.html", {"reason": str(error)}, status=error.status
        )
    messages.success(request, f"Thank you: {user.email} is confirmed.")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return redirect(next_url or ("home" if request.user.is_authenticated else "accounts:login"))


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


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per address and per client. The mail goes out from a task
    that looks the address up, so this request does the same work whether or not an account
    uses it: the answer and its timing say nothing about who has one."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = normalize_email(form.cleaned_data["email"])
        if not rate_limits.password_reset_allowed(self.request, email):
            form.add_error(
                None,
                rate_limits.refused_message(
                    "password reset requests for this address or from your network"
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        domain, use_https = self.request.get_host(), self.request.is_secure()
        transaction.on_commit(
            lambda: tasks.send_password_reset.enqueue(
                email=email, domain=domain, use_https=use_https
            )
        )
        return HttpResponseRedirect(self.get_success_url())


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
