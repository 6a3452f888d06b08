"""Who may call which API endpoint. Walks the API's URL patterns: an endpoint without a rule
here fails the suite. Every endpoint is called with no key, a malformed key, a revoked key, an
expired key, alice's read key and her write key (owner), and the write keys of bob (editor),
dana (viewer) and charlie (no access). Each call is rolled back, so a delete doesn't change
what the next caller finds.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from apps.accounts import services as account_services
from apps.accounts.models import ApiKey
from tests.test_access_matrix import World

CALLERS = (
    "none",
    "malformed",
    "revoked",
    "expired",
    "alice",
    "alice_write",
    "bob",
    "dana",
    "charlie",
)
UNAUTHENTICATED = (401, 401, 401, 401)
TEAM_READS = (*UNAUTHENTICATED, 200, 200, 200, 200, 404)
# Alice's read key lacks the scope (403); dana's role does (403); charlie sees nothing (404).
EDITS = lambda ok: (*UNAUTHENTICATED, 403, ok, ok, 403, 404)  # noqa: E731
OWNER_WRITES = lambda ok: (*UNAUTHENTICATED, 403, ok, 403, 403, 404)  # noqa: E731
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
    "api:not_found": (
        Call("get", lambda w: {}, (404,) * len(CALLERS)),
        Call("post", lambda w: {}, (404,) * len(CALLERS)),
    ),
    "api:openapi-json": (Call("get", lambda w: {}, OPEN),),
    "api:openapi-view": (Call("get", lambda w: {}, OPEN),),
    "api:prompt_list": (Call("get", lambda w: {}, TEAM_READS, IN_ALICES_VAULT),),
    "api:prompt_create": (
        Call("post", lambda w: {}, EDITS(201), IN_ALICES_VAULT, body={"name": "N", "content": "c"}),
    ),
    "api:prompt_detail": (
        Call("get", BY_KEY, TEAM_READS, IN_ALICES_VAULT),
        Call("get", BY_ID, TEAM_READS),
        Call("patch", BY_KEY, EDITS(200), IN_ALICES_VAULT, body={"content": "Third"}),
        Call("patch", BY_ID, EDITS(200), body={"name": "Renamed"}),
        Call("patch", BY_ID, OWNER_WRITES(200), body={"is_public": True}),
        Call("delete", BY_KEY, OWNER_WRITES(204), IN_ALICES_VAULT),
        Call("delete", BY_ID, OWNER_WRITES(204)),
    ),
    "api:prompt_render": (
        Call("post", BY_KEY, TEAM_READS, IN_ALICES_VAULT, body={"variables": {}}),
        Call("post", BY_ID, TEAM_READS, body={"variables": {}}),
    ),
    "api:prompt_labels": (
        Call("post", BY_KEY, EDITS(200), IN_ALICES_VAULT, body={"label": "staging", "version": 1}),
        Call("post", BY_ID, EDITS(200), body={"label": "production", "version": None}),
    ),
    "api:prompt_label_history": (
        Call("get", BY_KEY, TEAM_READS, IN_ALICES_VAULT),
        Call("get", BY_ID, TEAM_READS),
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
        _key, self.secrets["alice"] = account_services.api_key_create(
            user=self.alice, name="alice's reader"
        )
        _key, self.secrets["alice_write"] = account_services.api_key_create(
            user=self.alice, name="alice's writer", scopes=("read", "write")
        )
        for person in ("bob", "dana", "charlie"):
            _key, self.secrets[person] = account_services.api_key_create(
                user=getattr(self, person), name=f"{person}'s app", scopes=("read", "write")
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
            with transaction.atomic():
                if call.method in ("post", "patch"):
                    response = getattr(client, call.method)(
                        url, call.body or {}, content_type="application/json", headers=headers
                    )
                else:
                    response = getattr(client, call.method)(url, headers=headers)
                transaction.set_rollback(True)
            assert response.status_code == expected, (
                f"{call.method.upper()} {url} as {caller}: expected {expected}, "
                f"got {response.status_code} {response.content[:200]!r}"
            )
            if expected >= 400:
                error = response.json()["error"]
                assert error["code"] and error["message"]


def test_a_browser_session_does_not_authenticate_the_api(api_world):
    client = Client()
    client.force_login(api_world.alice)
    response = client.get(reverse("api:prompt_list"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
