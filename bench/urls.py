"""The app's URLs plus one page that exists only for the benchmark: the base layout for a
signed-in user, with nothing in it. It pays for the session, the user look-up, the middleware
and the layout (navigation, messages, CSRF token), and for nothing else."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from promptvault.urls import handler400, handler403, handler404, handler500, urlpatterns

SIGNED_IN_REFERENCE_PATH = "/bench/signed-in/"


@login_required
@require_GET
def signed_in_layout(request):
    return render(request, "base.html")


urlpatterns = [path(SIGNED_IN_REFERENCE_PATH.strip("/") + "/", signed_in_layout), *urlpatterns]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
