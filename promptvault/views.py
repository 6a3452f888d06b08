"""Site-wide pages: the landing page, health check and error pages. The home URL is the
vault's dashboard, which shows the landing page to visitors."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from promptvault import entitlements

logger = logging.getLogger(__name__)


def landing(request: HttpRequest) -> HttpResponse:
    """What PromptVault is and what its plans cost, for visitors."""
    return render(request, "home/landing.html", {"plans": entitlements.PLANS.values()})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers, 503 otherwise. Used by load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check: a page that says what to do, never Django's own."""
    context = {"reason": reason if settings.DEBUG else ""}
    return render(request, "errors/403_csrf.html", context, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors or the database, which may be what failed.
    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)
