"""The product's 404 page in every mode.

With DEBUG on, Django answers an unknown address or a raised Http404 with its technical page,
which lists every URL pattern: under `make run` that is what a person trying the product would
see. `NotFoundPageMiddleware` answers both with the product's 404 instead. Django's debug page
stays for real exceptions (500s) and for a 400, where it helps whoever runs the server. A 403
goes through the handler in promptvault/urls.py in both modes, and a form refused by the CSRF
check through `views.csrf_failure` (the CSRF_FAILURE_VIEW setting).

Listed last, inside the CSP middleware, so the page's scripts get the nonce the response's
policy names.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase

from promptvault import views


class NotFoundPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # No resolver match means the address matched no URL pattern: the technical 404.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return views.page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        return None
