"""Site-wide behaviour: the home page, health check, error pages and the security headers
every page carries."""

import json
import re
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from promptvault import views
from tests.prompts.factories import PromptFactory

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def _nonce(response) -> str:
    policy = response["Content-Security-Policy"]
    match = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)
    assert match, policy
    return match.group(1)


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


# --- Home -------------------------------------------------------------------------------------


def test_visitors_see_the_landing_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "home/landing.html" in [t.name for t in response.templates]
    assert reverse("accounts:signup") in response.content.decode()


def test_people_signed_in_see_their_dashboard(alice_client, alice):
    PromptFactory(user=alice, name="Weekly report", folder="work")
    response = alice_client.get("/")
    assert response.status_code == 200
    assert "home/dashboard.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "Weekly report" in body
    assert "Hello, Alice" in body


# --- Health check -----------------------------------------------------------------------------


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch.object(views.connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["database"] != "ok"


# --- Error pages ------------------------------------------------------------------------------


def test_an_unknown_address_renders_the_404_page(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "errors/404.html" in [t.name for t in response.templates]
    assert "We couldn't find that page" in response.content.decode().replace("&#x27;", "'")


def test_the_404_page_knows_who_is_signed_in(alice_client):
    response = alice_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Go to your dashboard" in response.content.decode()


def test_a_forbidden_action_renders_the_403_page(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    # Processed Stripe events are records, never added by hand.
    response = client.get("/admin/accounts/stripeevent/add/")
    assert response.status_code == 403
    assert "errors/403.html" in [t.name for t in response.templates]


def test_processed_stripe_events_cannot_be_deleted_in_the_admin(client, alice):
    from apps.accounts.models import StripeEvent

    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    event = StripeEvent.objects.create(event_id="evt_1", event_type="invoice.paid", payload={})
    # Deleting the record would let Stripe's redelivery of the event apply it a second time.
    response = client.post(f"/admin/accounts/stripeevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    client.post(
        "/admin/accounts/stripeevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert StripeEvent.objects.filter(pk=event.pk).exists()


def test_a_request_for_an_unknown_host_renders_the_400_page(client, db):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "errors/400.html" in [t.name for t in response.templates]


def test_the_500_page_renders_without_a_database():
    """No `db` fixture: any query here would fail the test."""
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "<script" not in body


def test_an_unhandled_error_answers_with_the_500_page(db, settings):
    client = Client(raise_request_exception=False)
    with mock.patch.object(views, "render", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


# --- Security headers and scripts -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no/such/page/",
        "/admin/login/",
    ],
)
def test_every_visitor_page_sends_a_strict_content_security_policy(client, db, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html")
    _assert_strict_policy(response)


@pytest.mark.parametrize(
    "url", ["/", "/accounts/profile/", "/accounts/password/change/", "/prompts/", "/admin/"]
)
def test_every_signed_in_page_sends_a_strict_content_security_policy(client, alice, url):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    _assert_strict_policy(response)


def _assert_strict_policy(response) -> None:
    directives = _directives(response)
    assert re.fullmatch(r"'self' 'nonce-[A-Za-z0-9_\-+/=]+'", directives["script-src"])
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("url", "signed_in"),
    [("/", False), ("/accounts/login/", False), ("/accounts/signup/", False), ("/", True)],
    ids=["landing", "login", "signup", "dashboard"],
)
def test_every_script_carries_the_pages_nonce(client, alice, url, signed_in):
    if signed_in:
        client.force_login(alice)
        PromptFactory(user=alice)
    response = client.get(url)
    nonce = _nonce(response)
    tags = SCRIPT_TAG.findall(response.content.decode())
    assert tags
    for tag in tags:
        assert f'nonce="{nonce}"' in tag, tag


def test_each_response_gets_a_fresh_nonce(client, db):
    assert _nonce(client.get("/")) != _nonce(client.get("/"))


def test_htmx_is_served_from_our_own_static_files(client, db):
    body = client.get("/").content.decode()
    sources = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', body)
    htmx = [src for src in sources if "htmx" in src]
    assert len(htmx) == 1
    assert htmx[0].startswith("/static/")
    assert all(src.startswith("/static/") for src in sources)
    assert finders.find(htmx[0].removeprefix("/static/"))


def test_the_body_sends_the_csrf_token_with_htmx_requests(db):
    client = Client(enforce_csrf_checks=True)
    client.get("/")  # sets the CSRF cookie
    body = client.get(reverse("accounts:login")).content.decode()
    match = re.search(r"<body hx-headers='(\{[^']*\})'", body)
    assert match
    token = json.loads(match.group(1))["x-csrftoken"]
    assert token
    # The token in the header is accepted where a form without it is refused.
    refused = client.post(reverse("accounts:password_reset"), {"email": "x@example.com"})
    assert refused.status_code == 403
    accepted = client.post(
        reverse("accounts:password_reset"),
        {"email": "x@example.com"},
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 302


def test_the_admin_answers_with_our_titles(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    body = client.get("/admin/").content.decode()
    assert "PromptVault administration" in body
    assert "Everything in the vault" in body
