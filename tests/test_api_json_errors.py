"""Every error the API gives is JSON in its one shape, the framework's own included: a method a
URL doesn't take, an unknown path, the schema and docs written to, a body too large, a bug."""

import json
import logging

import pytest
from django.test import Client
from ninja import NinjaAPI

from apps.accounts import services as account_services
from apps.prompts.api.json_errors import install_handlers

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_with_key(alice):
    _key, secret = account_services.api_key_create(user=alice, name="app", scopes=["read", "write"])
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert body["error"]["code"] == code and body["error"]["message"]
    return body


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/prompts/", "GET, POST"),
        ("DELETE", "/api/v1/prompts/refund/versions", "GET"),
        ("PATCH", "/api/v1/prompts/refund/render", "POST"),
        ("PUT", "/api/v1/prompts/refund", "DELETE, GET, PATCH"),
        ("POST", "/api/v1/openapi.json", "GET, HEAD"),
        ("POST", "/api/v1/docs", "GET, HEAD"),
        ("DELETE", "/api/v1/docs", "GET, HEAD"),
    ],
)
def test_a_method_a_url_does_not_take_is_a_json_405_with_allow(
    client_with_key, method, path, allowed
):
    response = client_with_key.generic(method, path, "{}", content_type="application/json")
    _error(response, 405, "method_not_allowed")
    assert response["Allow"] == allowed


def test_the_schema_and_docs_still_answer_get(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "PromptVault API"
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/api/v1/prompts/a/b/c", "/api/v1/", "/api/v1/x/"]
)
def test_an_unknown_path_under_the_api_is_a_json_404(client_with_key, path):
    _error(client_with_key.get(path), 404, "not_found")
    _error(client_with_key.post(path, {}, content_type="application/json"), 404, "not_found")


def test_a_get_without_its_final_slash_is_sent_to_the_url_with_it(client_with_key):
    response = client_with_key.get("/api/v1/prompts?limit=2")
    assert response.status_code == 301 and response["Location"] == "/api/v1/prompts/?limit=2"


def test_an_unreadable_or_too_large_body_is_json(client_with_key, settings):
    _error(
        client_with_key.post("/api/v1/prompts/", "{not json", content_type="application/json"),
        400,
        "bad_request",
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"name": "x", "content": "' + "y" * 2000 + '"}'
    _error(
        client_with_key.post("/api/v1/prompts/", body, content_type="application/json"),
        413,
        "too_large",
    )


def test_a_server_error_is_a_logged_json_500(caplog, rf):
    # An API of its own, with the same handlers, whose one endpoint has a bug.
    broken = NinjaAPI(urls_namespace="broken")
    install_handlers(broken)

    @broken.get("/boom")
    def boom(request):
        raise RuntimeError("a bug")

    patterns, _app, _namespace = broken.urls
    view = next(pattern.callback for pattern in patterns if pattern.name == "boom")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = view(rf.get("/boom"))
    _error(response, 500, "server_error")
    assert "a bug" in caplog.text
