"""Headers every response carries (Permissions-Policy), the cache rules for pages that depend on
who is asking, and the cookie names outside production. Production's own names and headers are
checked in a production process by tests/test_production_settings.py."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.cache import has_vary_header, patch_vary_headers

from promptvault.headers import PermissionsPolicyMiddleware, PrivatePagesMiddleware
from tests.prompts.factories import PromptFactory
from tests.sharing.factories import ShareFactory


def _policy(response) -> dict[str, str]:
    header = response["Permissions-Policy"]
    entries = (entry.strip().split("=", 1) for entry in header.split(","))
    return {feature: allowed for feature, allowed in entries}


def _directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


# --- Permissions-Policy -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/healthz", "/no/such/page/", "/static/js/app.js"]
)
def test_every_response_carries_the_permissions_policy(client, db, url):
    response = client.get(url)
    assert "Permissions-Policy" in response


def test_signed_in_pages_carry_the_permissions_policy(alice_client):
    assert "Permissions-Policy" in alice_client.get(reverse("prompts:list"))


@pytest.mark.parametrize(
    "feature",
    [
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "hid",
        "midi",
        "display-capture",
        "interest-cohort",
        "browsing-topics",
    ],
)
def test_the_policy_denies_features_the_app_does_not_use(client, db, feature):
    assert _policy(client.get("/"))[feature] == "()"


def test_the_copy_buttons_may_still_write_to_the_clipboard(client, db):
    assert _policy(client.get("/"))["clipboard-write"] == "(self)"


def test_a_policy_a_view_set_itself_is_kept():
    def view(request):
        response = HttpResponse()
        response["Permissions-Policy"] = "fullscreen=(self)"
        return response

    response = PermissionsPolicyMiddleware(view)(RequestFactory().get("/"))
    assert response["Permissions-Policy"] == "fullscreen=(self)"


# --- Cache-Control for people signed in -------------------------------------------------------


def test_signed_in_pages_are_never_stored(alice_client, alice):
    prompt = PromptFactory(user=alice)
    for url in [
        "/",
        reverse("prompts:list"),
        reverse("prompts:detail", kwargs={"pk": prompt.pk}),
        reverse("prompts:history", kwargs={"pk": prompt.pk}),
        reverse("accounts:profile"),
        reverse("sharing:explore"),
        "/no/such/page/",
    ]:
        response = alice_client.get(url)
        assert _directives(response) >= {"private", "no-store"}, url


def test_htmx_partials_for_people_signed_in_are_never_stored(alice_client, alice):
    PromptFactory(user=alice)
    response = alice_client.get(
        reverse("prompts:list"), headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert response.status_code == 200
    assert _directives(response) >= {"private", "no-store"}


def test_redirects_for_people_signed_in_are_never_stored(alice_client):
    response = alice_client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert _directives(response) >= {"private", "no-store"}


def test_a_download_keeps_its_own_no_store_and_is_private(alice_client):
    response = alice_client.get(reverse("prompts:export"), {"format": "json", "scope": "all"})
    assert response.status_code == 200
    assert _directives(response) == {"no-store", "private"}


def test_the_health_check_keeps_its_own_never_cache_headers(alice_client):
    response = alice_client.get("/healthz")
    assert _directives(response) >= {"no-cache", "no-store", "must-revalidate", "private"}


def _signed_in_request(alice):
    request = RequestFactory().get("/")
    request.user = alice
    return request


def _read_the_session(response: HttpResponse) -> HttpResponse:
    """What the session middleware adds once a view has read the session (and the user)."""
    patch_vary_headers(response, ["Cookie"])
    return response


def test_a_revalidated_private_response_a_view_chose_is_kept(alice):
    """A view answering with an ETag may let the browser keep a copy it revalidates."""

    def view(request):
        response = HttpResponse()
        response["Cache-Control"] = "private, no-cache"
        response["ETag"] = '"v1"'
        return _read_the_session(response)

    response = PrivatePagesMiddleware(view)(_signed_in_request(alice))
    assert response["Cache-Control"] == "private, no-cache"


def test_a_signed_in_response_never_reaches_a_shared_cache(alice):
    def view(request):
        response = HttpResponse()
        response["Cache-Control"] = "public, max-age=600"
        return _read_the_session(response)

    response = PrivatePagesMiddleware(view)(_signed_in_request(alice))
    assert _directives(response) == {"private", "max-age=600"}


# --- Cache-Control for visitors ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/accounts/signup/", "/explore/", "/no/such/page/"]
)
def test_visitor_pages_that_vary_on_the_cookie_stay_out_of_shared_caches(client, db, url):
    response = client.get(url)
    assert has_vary_header(response, "Cookie")
    directives = _directives(response)
    assert "private" in directives
    assert "public" not in directives
    assert not any(d.startswith("s-maxage") for d in directives)


def test_share_pages_are_private_and_never_stored(client, db):
    share = ShareFactory()
    response = client.get(reverse("sharing:share_page", kwargs={"code": share.share_code}))
    assert response.status_code == 200
    assert _directives(response) == {"private", "no-store"}


def test_a_public_prompt_page_is_private_and_never_stored(client, db):
    prompt = PromptFactory(is_public=True)
    response = client.get(reverse("sharing:public_page", kwargs={"pk": prompt.pk}))
    assert response.status_code == 200
    assert _directives(response) == {"private", "no-store"}


def test_a_signed_in_response_the_view_said_nothing_about_is_never_stored(alice):
    response = PrivatePagesMiddleware(lambda request: _read_the_session(HttpResponse()))(
        _signed_in_request(alice)
    )
    assert response["Cache-Control"] == "private, no-store"


class _UnreadableUser:
    """Stands in for a user whose session lives in a database that is down."""

    @property
    def is_authenticated(self):
        raise AssertionError("the session was read")


def test_a_response_the_same_for_everyone_is_left_to_the_view():
    """Nothing read the session, so the page cannot depend on who asked; nor is it read here
    (the health check must answer 503, not fail, when the database is down)."""
    request = RequestFactory().get("/")
    request.user = _UnreadableUser()
    response = PrivatePagesMiddleware(lambda request: HttpResponse("same for all"))(request)
    assert "Cache-Control" not in response


# --- Cookie names outside production ----------------------------------------------------------


def test_outside_production_the_cookies_keep_their_plain_names(client, alice, password):
    """Browsers refuse __Host- cookies over plain http, which is how 127.0.0.1 is served."""
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
    client.get(reverse("accounts:login"))
    assert "csrftoken" in client.cookies
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": password}
    )
    assert response.status_code == 302
    assert "sessionid" in response.cookies
