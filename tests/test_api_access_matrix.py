"""Who may call which API endpoint. Walks the API's URL patterns: an endpoint without a rule
here fails the suite. Every endpoint is called with no key, a malformed key, a revoked key, an
expired key, and the keys of alice (owner), bob (editor), dana (viewer) and charlie (no access).
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import ApiKey
from tests.test_access_matrix import World

CALLERS = ("none", "malformed", "revoked", "expired", "alice", "bob", "dana", "charlie")
UNAUTHENTICATED = (401, 401, 401, 401)
TEAM_READS = (*UNAUTHENTICATED, 200, 200, 200, 404)
OPEN = (200,) * len(CALLERS)

BY_KEY = lambda w: {"key_or_id": w.prompt.key}  # noqa: E731
BY_ID = lambda w: {"key_or_id": str(w.prompt.pk)}  # noqa: E731
IN_ALICES_VAULT = lambda w: f"?vault={w.alice.pk}"  # noqa: E731


@dataclass
class Call:
    method: str
    kwargs: callable
    outcomes: tuple
    query: callable = field(default=lambda w: "")
    body: dict | None = None


API: dict[str, tuple[Call, ...]] = {
    "api:api-root": (Call("get", lambda w: {}, (404,) * len(CALLERS)),),
    "api:openapi-json": (Call("get", lambda w: {}, OPEN),),
    "api:openapi-view": (Call("get", lambda w: {}, OPEN),),
    "api:prompt_list": (Call("get", lambda w: {}, TEAM_READS, IN_ALICES_VAULT),),
    "api:prompt_detail": (
        Call("get", BY_KEY, TEAM_READS, IN_ALICES_VAULT),
        Call("get", BY_ID, TEAM_READS),
    ),
    "api:prompt_render": (
        Call("post", BY_KEY, TEAM_READS, IN_ALICES_VAULT, body={"variables": {}}),
        Call("post", BY_ID, TEAM_READS, body={"variables": {}}),
    ),
    "api:prompt_versions": (
        Call("get", BY_KEY, TEAM_READS, IN_ALICES_VAULT),
        Call("get", BY_ID, TEAM_READS),
    ),
}


def _api_patterns():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern) and pattern.name, pattern
                yield f"api:{pattern.name}"


def test_every_api_endpoint_has_rules():
    names = set(_api_patterns())
    assert names, "the API's URLs were not found"
    assert not sorted(names - set(API)), f"API URLs without rules: {sorted(names - set(API))}"
    assert not sorted(set(API) - names), f"rules for missing URLs: {sorted(set(API) - names)}"


class ApiWorld(World):
    def __init__(self):
        super().__init__()
        self.secrets = {"none": None, "malformed": "pv_not-a-real-key"}
        for person in ("alice", "bob", "dana", "charlie"):
            _key, self.secrets[person] = account_services.api_key_create(
                user=getattr(self, person), name=f"{person}'s app"
            )
        revoked, self.secrets["revoked"] = account_services.api_key_create(
            user=self.alice, name="revoked"
        )
        account_services.api_key_revoke(key=revoked)
        expired, self.secrets["expired"] = account_services.api_key_create(
            user=self.alice, name="expired", expires_at=timezone.now() + timedelta(minutes=1)
        )
        ApiKey.objects.filter(pk=expired.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )


@pytest.fixture
def api_world(db):
    return ApiWorld()


@pytest.mark.parametrize("name", sorted(API))
def test_api_access(api_world, name):
    for call in API[name]:
        url = reverse(name, kwargs=call.kwargs(api_world)) + call.query(api_world)
        for caller, expected in zip(CALLERS, call.outcomes, strict=True):
            secret = api_world.secrets[caller]
            headers = {"Authorization": f"Bearer {secret}"} if secret else {}
            client = Client()
            if call.method == "post":
                response = client.post(
                    url, call.body or {}, content_type="application/json", headers=headers
                )
            else:
                response = client.get(url, headers=headers)
            assert response.status_code == expected, (
                f"{call.method.upper()} {url} as {caller}: expected {expected}, "
                f"got {response.status_code} {response.content[:200]!r}"
            )
            if expected >= 400 and name not in ("api:api-root",):
                error = response.json()["error"]
                assert error["code"] and error["message"]


def test_a_browser_session_does_not_authenticate_the_api(api_world):
    client = Client()
    client.force_login(api_world.alice)
    response = client.get(reverse("api:prompt_list"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
