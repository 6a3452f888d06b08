"""The API keys page: make a key (its secret shown once), list them, revoke one."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts import services
from apps.accounts.forms import ApiKeyForm
from apps.accounts.models import ApiKey
from promptvault import form_errors

# The new key's secret waits here between the POST that made it and the page that shows it:
# read once and gone, so a reload neither makes a second key nor shows the secret again.
NEW_KEY_SESSION = "api_key_new"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        days = data["expires_in"]
        try:
            created, secret = services.api_key_create(
                user=request.user,
                name=data["name"],
                scopes=data["scopes"].split(),
                expires_at=timezone.now() + timedelta(days=int(days)) if days else None,
            )
        except ValidationError as error:
            form_errors.add_to_form(form, error)
        else:
            request.session[NEW_KEY_SESSION] = {"id": str(created.pk), "secret": secret}
            return redirect("accounts:api_keys")
    keys = ApiKey.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    created = secret = None
    new_key = request.session.pop(NEW_KEY_SESSION, None) if request.method == "GET" else None
    if isinstance(new_key, dict):
        created = next((key for key in keys if str(key.pk) == new_key.get("id")), None)
        secret = new_key.get("secret") if created else None
    return render(
        request,
        "accounts/api_keys.html",
        {"form": form, "keys": keys, "created": created, "secret": secret, "now": timezone.now()},
    )


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, pk) -> HttpResponse:
    key = ApiKey.objects.filter(user=request.user, pk=pk).first()
    if key is None:
        raise Http404("No such key.")
    services.api_key_revoke(key=key)
    messages.success(request, f"The key “{key.name}” was revoked. Programs using it are refused.")
    return redirect("accounts:api_keys")
