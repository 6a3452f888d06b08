"""The API answers every error in its own shape, `{"error": {"code", "message"}}`, including
the ones the framework gives outside our endpoints: a method a URL doesn't take (405, with
Allow), a path under /api/v1/ that doesn't exist (404), the schema and the docs asked with
anything but GET (405), a body too large (413) or unreadable (400), and a server error (500,
logged like Django logs one)."""

import logging
from functools import wraps

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import (
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, URLPattern, re_path, resolve
from ninja import NinjaAPI

logger = logging.getLogger("django.request")

# The framework's own pages: the schema and the docs are read, never written to.
READ_ONLY = {"openapi-json", "openapi-view"}
READ_METHODS = ("GET", "HEAD")


def error_json(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message}}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def method_not_allowed(allowed) -> JsonResponse:
    allowed = sorted(set(allowed))
    response = error_json(405, "method_not_allowed", f"This URL answers {', '.join(allowed)} only.")
    response["Allow"] = ", ".join(allowed)
    return response


def not_found(request, *args, **kwargs):
    """Anything under the API's prefix no endpoint answers. A GET missing its final slash is
    sent to the URL with it, as Django's APPEND_SLASH does elsewhere."""
    if request.method in READ_METHODS and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return error_json(404, "not_found", "No such endpoint. The schema is at /api/v1/openapi.json.")


def _json_view(pattern: URLPattern) -> URLPattern:
    if pattern.name == "api-root":  # the framework's 404 page, kept only for reversing
        pattern.callback = not_found
        return pattern
    view = pattern.callback
    read_only = pattern.name in READ_ONLY

    @wraps(view)
    def answer(request, *args, **kwargs):
        if read_only and request.method not in READ_METHODS:
            return method_not_allowed(READ_METHODS)
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(response["Allow"].split(", "))
        return response

    pattern.callback = answer
    return pattern


class JsonErrorsAPI(NinjaAPI):
    """NinjaAPI whose URLs answer the framework's errors in the API's JSON shape."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        patterns = [
            _json_view(pattern) if isinstance(pattern, URLPattern) else pattern
            for pattern in patterns
        ]
        return [*patterns, re_path(r"", not_found, name="not_found")], app_name, namespace


def install_handlers(api: NinjaAPI) -> None:
    """Errors raised inside an endpoint that no more specific handler answers."""

    @api.exception_handler(RequestDataTooBig)
    def _too_large(request, exc):
        return error_json(413, "too_large", "The request body is too large.")

    @api.exception_handler(SuspiciousOperation)
    def _bad_request(request, exc):
        return error_json(400, "bad_request", "The request could not be read.")

    @api.exception_handler(Exception)
    def _server_error(request, exc):
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return error_json(500, "server_error", "Something went wrong on our side.")
