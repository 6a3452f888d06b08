"""The product's error pages are what a person sees, with DEBUG on as well as off. Django's
debug page stays only for real exceptions (a 500) under DEBUG, where it helps the developer."""

import uuid
from unittest import mock

import pytest
from django.test import Client

from promptvault import views


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def _templates(response) -> list[str]:
    return [t.name for t in response.templates]


def test_an_unknown_address_under_debug_shows_the_product_404(debug, alice_client):
    response = alice_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "errors/404.html" in _templates(response)
    body = response.content.decode()
    assert "We couldn't find that page" in body.replace("&#x27;", "'")
    # Django's technical page lists the URLconf; a person must never see it.
    assert "URLconf" not in body
    assert "Go to your dashboard" in body


def test_a_missing_prompt_under_debug_shows_the_product_404(debug, alice_client):
    response = alice_client.get(f"/prompts/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert "errors/404.html" in _templates(response)
    assert "URLconf" not in response.content.decode()


def test_the_404_page_under_debug_carries_the_pages_script_nonce(debug, client, db):
    response = client.get("/no/such/page/")
    policy = response["Content-Security-Policy"]
    body = response.content.decode()
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"' in body


def test_an_address_missing_its_slash_still_redirects_under_debug(debug, alice_client):
    response = alice_client.get("/prompts")
    assert response.status_code == 301
    assert response["Location"] == "/prompts/"


def test_a_forbidden_action_under_debug_shows_the_product_403(debug, client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    response = client.get("/admin/accounts/stripeevent/add/")
    assert response.status_code == 403
    assert "errors/403.html" in _templates(response)


def test_a_real_error_under_debug_keeps_djangos_debug_page(debug, db):
    client = Client(raise_request_exception=False)
    with mock.patch.object(views, "render", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    assert "RuntimeError" in response.content.decode()


def test_without_debug_an_unknown_address_shows_the_product_404(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "errors/404.html" in _templates(response)


@pytest.mark.parametrize("debug_on", [True, False], ids=["debug", "production"])
def test_a_form_refused_by_the_csrf_check_shows_the_product_page(settings, db, debug_on):
    settings.DEBUG = debug_on
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a@example.com", "password": "x"})
    assert response.status_code == 403
    assert "errors/403_csrf.html" in _templates(response)
    body = response.content.decode().replace("&#x27;", "'")
    assert "That form has expired" in body
    assert "reload the page and send the form again" in body
    # Django's own page names its check and its help; a person sees neither.
    assert "CSRF verification failed" not in body
    # The reason helps a developer under DEBUG and stays out of production.
    assert ("CSRF cookie not set" in body) is debug_on
