"""Requests whose form data is over DATA_UPLOAD_MAX_MEMORY_SIZE get a 413 page in the product's
layout saying what the limit is, in DEBUG too, instead of Django's 400 for RequestDataTooBig.

Django raises RequestDataTooBig whenever `request.POST` is first read: in the CSRF middleware
or in the view. This middleware sits before CsrfViewMiddleware and reads the form first, where
the error can still be answered. Views exempt from CSRF read the body themselves, after
setting up their own upload handlers (imports): for those the error is caught on its way out
of the view."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

MB = 1024 * 1024


def request_too_large(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "errors/413.html",
        {
            "limit_mb": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / MB:g}",
            "content_max": settings.PROMPT_CONTENT_MAX,
            "upload_mb": settings.IMPORT_MAX_UPLOAD_BYTES // MB,
        },
        status=413,
    )


class RequestTooLargeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018 - reading the form is the point
        except RequestDataTooBig:
            return request_too_large(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, RequestDataTooBig):
            return request_too_large(request)
        return None
