"""The site's home page: a signed-in person's dashboard, the landing page for visitors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.prompts.selectors import dashboard_summary
from promptvault.views import landing


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what PromptVault is; people signed in go straight to their dashboard."""
    if not request.user.is_authenticated:
        return landing(request)
    return render(request, "home/dashboard.html", dashboard_summary(request.user))
