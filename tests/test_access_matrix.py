"""Who may open every URL of the site.

The URLconf is walked with get_resolver(); every named pattern must have an entry below,
stating what anonymous visitors, the owner (alice), her editor (bob), her viewer (dana) and a
stranger (charlie) get, for GET and for POST, on real objects. A new URL without an entry fails
this suite, so nothing ships unexamined. Admin URLs are checked as a group (staff only).

Outcomes: "ok" is any success or redirect that isn't a bounce to the log-in page; "login" is
that bounce; numbers are exact status codes. POSTs run inside a transaction that is rolled back,
so each cell sees the same data.
"""

import uuid
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts import services as account_services
from apps.imports.models import ImportCandidate
from apps.prompts import services as prompt_services
from apps.sharing import services as sharing_services
from apps.teams import services as team_services
from tests.accounts.factories import UserFactory
from tests.imports.factories import ImportSessionFactory
from tests.prompts.factories import PromptFactory, PromptOptimizationFactory
from tests.templates.factories import PromptTemplateFactory

ROLES = ("anonymous", "alice", "bob", "dana", "charlie")


@dataclass
class Rule:
    """Expected outcomes for one URL: `get` and `post` list one outcome per role in ROLES
    order, or None when the view doesn't take that method (then 405 is expected, or a log-in
    bounce for anonymous visitors where log-in comes first)."""

    kwargs: callable
    get: tuple | None
    post: tuple | None
    query: callable = field(default=lambda w: "")
    data: callable = field(default=lambda w: {})


def _everyone(outcome):
    return (outcome,) * 5


LOGGED_IN_OK = ("login", "ok", "ok", "ok", "ok")
OWNER_EDITOR_VIEWER = ("login", "ok", "ok", "ok", 404)
OWNER_EDITOR = ("login", "ok", "ok", 403, 404)
OWNER_ONLY = ("login", "ok", 403, 403, 404)
TEAM_OWNER_ONLY = ("login", "ok", 404, 404, 404)

NO_KWARGS = lambda w: {}  # noqa: E731
PROMPT = lambda w: {"pk": w.prompt.pk}  # noqa: E731
VAULT = lambda w: f"?vault={w.alice.pk}"  # noqa: E731
SESSION = lambda w: {"pk": w.import_session.pk}  # noqa: E731
TEMPLATE = lambda w: {"slug": w.template.slug}  # noqa: E731


def OPTIMIZATION(w) -> dict:  # noqa: N802 - read as one of the constants above
    """An AI rewrite of alice's prompt, ready for review (made once per world)."""
    if not hasattr(w, "optimization"):
        w.optimization = PromptOptimizationFactory(
            prompt=w.prompt,
            requested_by=w.alice,
            provider="llm",
            status="ready",
            optimized_content="Second version, as three bullet points.",
            base_version=w.prompt.versions.order_by("-version").first(),
        )
    return {"pk": w.prompt.pk, "optimization_pk": w.optimization.pk}


def API_KEY(w) -> dict:  # noqa: N802 - read as one of the constants above
    """One of alice's API keys (made once per world)."""
    if not hasattr(w, "api_key"):
        w.api_key, _secret = account_services.api_key_create(user=w.alice, name="World app")
    return {"pk": w.api_key.pk}


API_PROMPT = lambda w: {"key_or_id": w.prompt.key}  # noqa: E731

MATRIX: dict[str, Rule] = {
    "home": Rule(NO_KWARGS, _everyone("ok"), None),
    "healthz": Rule(NO_KWARGS, _everyone(200), None),
    # Accounts
    "accounts:signup": Rule(NO_KWARGS, _everyone("ok"), _everyone("ok")),
    "accounts:login": Rule(NO_KWARGS, _everyone("ok"), _everyone("ok")),
    "accounts:logout": Rule(NO_KWARGS, None, _everyone("ok")),
    "accounts:profile": Rule(NO_KWARGS, LOGGED_IN_OK, LOGGED_IN_OK),
    "accounts:api_keys": Rule(
        NO_KWARGS, LOGGED_IN_OK, LOGGED_IN_OK, data=lambda w: {"name": "App", "scopes": "read"}
    ),
    "accounts:api_key_revoke": Rule(API_KEY, None, TEAM_OWNER_ONLY),
    # The API: a browser session is no key, so everyone is refused alike; the callers with keys
    # are in tests/test_api_access_matrix.py.
    "api:api-root": Rule(NO_KWARGS, _everyone(404), _everyone(404)),
    # The schema and its docs page are public, and only read.
    "api:openapi-json": Rule(NO_KWARGS, _everyone(200), _everyone(405)),
    "api:openapi-view": Rule(NO_KWARGS, _everyone(200), _everyone(405)),
    # Any other path under the API's prefix: a JSON 404.
    "api:not_found": Rule(NO_KWARGS, _everyone(404), _everyone(404)),
    "api:prompt_list": Rule(NO_KWARGS, _everyone(401), _everyone(401)),
    "api:prompt_create": Rule(NO_KWARGS, _everyone(401), _everyone(401)),
    "api:prompt_detail": Rule(API_PROMPT, _everyone(401), _everyone(405)),
    "api:prompt_render": Rule(API_PROMPT, _everyone(405), _everyone(401)),
    "api:prompt_versions": Rule(API_PROMPT, _everyone(401), _everyone(405)),
    "api:prompt_labels": Rule(API_PROMPT, _everyone(405), _everyone(401)),
    "api:prompt_label_history": Rule(API_PROMPT, _everyone(401), _everyone(405)),
    "accounts:delete": Rule(
        NO_KWARGS, LOGGED_IN_OK, LOGGED_IN_OK, data=lambda w: {"password": "wrong"}
    ),
    "accounts:password_change": Rule(NO_KWARGS, LOGGED_IN_OK, LOGGED_IN_OK),
    "accounts:email_change": Rule(
        NO_KWARGS, LOGGED_IN_OK, LOGGED_IN_OK, data=lambda w: {"email": "new@example.com"}
    ),
    "accounts:email_change_cancel": Rule(NO_KWARGS, None, LOGGED_IN_OK),
    # Links from mail work without a session; a token that isn't one is a clear 400.
    "accounts:email_change_confirm": Rule(
        lambda w: {"token": "not-a-token"}, _everyone(400), _everyone(400)
    ),
    "accounts:email_confirmation_send": Rule(NO_KWARGS, None, LOGGED_IN_OK),
    "accounts:email_confirm": Rule(
        lambda w: {"token": "not-a-token"}, _everyone(400), _everyone(400)
    ),
    # A fresh address each time: resets are limited per address (tests/accounts/test_password).
    "accounts:password_reset": Rule(
        NO_KWARGS,
        _everyone("ok"),
        _everyone("ok"),
        data=lambda w: {"email": f"nobody-{uuid.uuid4().hex[:8]}@example.com"},
    ),
    "accounts:password_reset_done": Rule(NO_KWARGS, _everyone("ok"), None),
    "accounts:password_reset_confirm": Rule(
        lambda w: {"uidb64": "AA", "token": "set-password"}, _everyone("ok"), _everyone("ok")
    ),
    "accounts:password_reset_complete": Rule(NO_KWARGS, _everyone("ok"), None),
    # Billing (no Stripe keys here: checkout and portal answer with a message, not Stripe)
    "billing:pricing": Rule(NO_KWARGS, _everyone("ok"), None),
    "billing:overview": Rule(NO_KWARGS, LOGGED_IN_OK, None),
    "billing:checkout": Rule(NO_KWARGS, None, LOGGED_IN_OK, data=lambda w: {"plan": "pro"}),
    "billing:portal": Rule(NO_KWARGS, None, LOGGED_IN_OK),
    # Stripe's signed events: no session, no CSRF token; anything unsigned is a 400.
    "billing:webhook": Rule(NO_KWARGS, None, _everyone(400)),
    # The vault
    "prompts:list": Rule(NO_KWARGS, OWNER_EDITOR_VIEWER, None, query=VAULT),
    "prompts:bulk": Rule(
        NO_KWARGS,
        None,
        LOGGED_IN_OK,
        data=lambda w: {"action": "delete", "ids": [str(w.prompt.pk)], "confirmed": "1"},
    ),
    "prompts:create": Rule(NO_KWARGS, OWNER_EDITOR, OWNER_EDITOR, query=VAULT),
    # The prompt check reads only the text posted: anyone signed in, nothing of anyone's vault.
    "prompts:analyze": Rule(
        NO_KWARGS, None, LOGGED_IN_OK, data=lambda w: {"content": "Summarize {{notes}}."}
    ),
    "prompts:export": Rule(NO_KWARGS, OWNER_EDITOR_VIEWER, OWNER_EDITOR_VIEWER, query=VAULT),
    "prompts:folders": Rule(NO_KWARGS, OWNER_EDITOR_VIEWER, None, query=VAULT),
    "prompts:folder_rename": Rule(
        NO_KWARGS,
        None,
        OWNER_EDITOR,
        data=lambda w: {"vault": str(w.alice.pk), "old_path": "team", "new_path": "crew"},
    ),
    "prompts:tags": Rule(
        NO_KWARGS,
        OWNER_EDITOR_VIEWER,
        OWNER_EDITOR,
        query=VAULT,
        data=lambda w: {"vault": str(w.alice.pk), "name": "new", "color": "#112233"},
    ),
    "prompts:tag_merge": Rule(
        NO_KWARGS,
        None,
        LOGGED_IN_OK,
        data=lambda w: {"source": str(w.tag.pk), "target": str(w.other_tag.pk), "confirmed": "1"},
    ),
    # GET opens the tag's row for editing, so it asks for the right to edit.
    "prompts:tag_update": Rule(
        lambda w: {"pk": w.tag.pk},
        OWNER_EDITOR,
        OWNER_EDITOR,
        query=lambda w: "?edit=name",
        data=lambda w: {"name": "renamed", "color": "#445566"},
    ),
    "prompts:tag_delete": Rule(
        lambda w: {"pk": w.tag.pk}, None, OWNER_EDITOR, data=lambda w: {"confirmed": "1"}
    ),
    "prompts:detail": Rule(PROMPT, OWNER_EDITOR_VIEWER, None),
    "prompts:edit": Rule(
        PROMPT,
        OWNER_EDITOR,
        OWNER_EDITOR,
        data=lambda w: {"name": "Edited", "content": "New", "model": "gpt-4"},
    ),
    "prompts:delete": Rule(PROMPT, OWNER_ONLY, OWNER_ONLY),
    "prompts:duplicate": Rule(PROMPT, None, OWNER_EDITOR_VIEWER),
    "prompts:history": Rule(PROMPT, OWNER_EDITOR_VIEWER, None),
    "prompts:version": Rule(lambda w: {"pk": w.prompt.pk, "number": 1}, OWNER_EDITOR_VIEWER, None),
    "prompts:restore": Rule(lambda w: {"pk": w.prompt.pk, "number": 1}, None, OWNER_EDITOR),
    "prompts:label_move": Rule(PROMPT, None, OWNER_EDITOR, data=lambda w: {"move": "production 1"}),
    "prompts:diff": Rule(PROMPT, OWNER_EDITOR_VIEWER, None, query=lambda w: "?from=1&to=2"),
    # AI rewrites: no model is configured here, so starting one answers with a message.
    "prompts:optimize": Rule(PROMPT, None, OWNER_EDITOR),
    "prompts:optimization": Rule(OPTIMIZATION, OWNER_EDITOR_VIEWER, None),
    "prompts:optimization_accept": Rule(OPTIMIZATION, None, OWNER_EDITOR),
    "prompts:optimization_discard": Rule(OPTIMIZATION, None, OWNER_EDITOR),
    # Sharing
    "sharing:manage": Rule(PROMPT, OWNER_ONLY, OWNER_ONLY, data=lambda w: {"expires_in": "1d"}),
    "sharing:visibility": Rule(PROMPT, None, OWNER_ONLY, data=lambda w: {"is_public": "true"}),
    "sharing:revoke": Rule(lambda w: {"pk": w.share.pk}, None, OWNER_ONLY),
    "sharing:share_page": Rule(lambda w: {"code": w.share.share_code}, _everyone(200), None),
    "sharing:share_download": Rule(
        lambda w: {"code": w.share.share_code, "fmt": "md"}, _everyone(200), None
    ),
    "sharing:share_save": Rule(lambda w: {"code": w.share.share_code}, None, LOGGED_IN_OK),
    "sharing:public_page": Rule(lambda w: {"pk": w.public_prompt.pk}, _everyone(200), None),
    "sharing:public_download": Rule(
        lambda w: {"pk": w.public_prompt.pk, "fmt": "json"}, _everyone(200), None
    ),
    "sharing:public_save": Rule(lambda w: {"pk": w.public_prompt.pk}, None, LOGGED_IN_OK),
    "sharing:explore": Rule(NO_KWARGS, _everyone(200), None),
    # Teams
    "teams:team": Rule(
        NO_KWARGS,
        LOGGED_IN_OK,
        ("login", "ok", 400, 400, 400),
        data=lambda w: {"email": "new@example.com", "role": "viewer"},
    ),
    "teams:resend": Rule(lambda w: {"pk": w.pending_invite.pk}, None, TEAM_OWNER_ONLY),
    "teams:revoke": Rule(lambda w: {"pk": w.dana_membership.pk}, None, TEAM_OWNER_ONLY),
    "teams:role": Rule(
        lambda w: {"pk": w.bob_membership.pk},
        None,
        TEAM_OWNER_ONLY,
        data=lambda w: {"role": "viewer"},
    ),
    "teams:shared": Rule(NO_KWARGS, LOGGED_IN_OK, None),
    "teams:leave": Rule(
        lambda w: {"pk": w.bob_membership.pk}, None, ("login", 404, "ok", 404, 404)
    ),
    # Imports: sessions belong to the uploader alone, team or not.
    "imports:list": Rule(NO_KWARGS, LOGGED_IN_OK, ("login", 400, 400, 400, 400)),
    "imports:detail": Rule(SESSION, TEAM_OWNER_ONLY, None),
    "imports:select": Rule(SESSION, None, TEAM_OWNER_ONLY, data=lambda w: {"mode": "none"}),
    "imports:source": Rule(SESSION, None, TEAM_OWNER_ONLY, data=lambda w: {"source": "file"}),
    "imports:start": Rule(SESSION, None, TEAM_OWNER_ONLY, data=lambda w: {"folder": "imported"}),
    "imports:discard": Rule(SESSION, None, TEAM_OWNER_ONLY),
    "teams:accept": Rule(
        lambda w: {"token": w.pending_token}, _everyone(200), (401, 403, 403, 403, 403)
    ),
    # The template library: open to visitors; using and rating ask them to log in first.
    "templates:list": Rule(NO_KWARGS, _everyone(200), None),
    "templates:detail": Rule(TEMPLATE, _everyone(200), None),
    "templates:preview": Rule(TEMPLATE, None, _everyone(200), data=lambda w: {"var_topic": "x"}),
    "templates:use": Rule(TEMPLATE, None, LOGGED_IN_OK, data=lambda w: {"var_topic": "tides"}),
    "templates:rate": Rule(TEMPLATE, None, LOGGED_IN_OK, data=lambda w: {"score": "4"}),
    "templates:publish": Rule(
        PROMPT, OWNER_ONLY, OWNER_ONLY, data=lambda w: {"category": "writing"}
    ),
    "templates:unpublish": Rule(TEMPLATE, None, ("login", "ok", 403, 403, 403)),
}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner == "admin":
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _named_patterns(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_has_an_entry_in_the_matrix():
    names = set(_named_patterns())
    missing = sorted(names - set(MATRIX))
    stale = sorted(set(MATRIX) - names)
    assert not missing, f"URLs without an access rule: {missing}"
    assert not stale, f"Rules for URLs that no longer exist: {stale}"


class World:
    """Real objects in alice's vault, her team and its invites."""

    def __init__(self):
        self.alice = UserFactory(email="alice@example.com", name="Alice", tier="pro")
        self.bob = UserFactory(email="bob@example.com", name="Bob")
        self.dana = UserFactory(email="dana@example.com", name="Dana")
        self.charlie = UserFactory(email="charlie@example.com", name="Charlie")
        self.prompt = PromptFactory(
            user=self.alice, name="Team brief", folder="team", tags=["one", "two"]
        )
        prompt_services.prompt_update(
            prompt=self.prompt, author=self.alice, content="Second version"
        )
        self.public_prompt = PromptFactory(user=self.alice, name="Public one", is_public=True)
        self.tag = self.alice.tags.get(name="one")
        self.other_tag = self.alice.tags.get(name="two")
        self.share = sharing_services.share_create(
            prompt=self.prompt, shared_by=self.alice, expires_in="7d"
        )
        self.bob_membership = team_services.invite_create(
            owner=self.alice, email=self.bob.email, role="editor"
        )
        team_services.invite_accept(invite=self.bob_membership, user=self.bob)
        self.dana_membership = team_services.invite_create(
            owner=self.alice, email=self.dana.email, role="viewer"
        )
        team_services.invite_accept(invite=self.dana_membership, user=self.dana)
        self.pending_invite = team_services.invite_create(
            owner=self.alice, email="eve@example.com", role="viewer"
        )
        self.pending_token = team_services.invite_token(self.pending_invite)
        self.template = PromptTemplateFactory(
            slug="world-template", is_official=False, created_by=self.alice
        )
        self.import_session = ImportSessionFactory(user=self.alice, status="ready", source="file")
        ImportCandidate.objects.create(
            session=self.import_session,
            position=0,
            name="Found",
            content="Found text",
            content_key="k",
            selected=True,
        )

    def client_for(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(self, role))
        return client


@pytest.fixture
def world(db):
    return World()


def _check(response, expected, role, label):
    login_url = reverse("accounts:login")
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    bounced = location.startswith(login_url)
    if expected == "ok":
        assert response.status_code < 400 and not bounced, (
            f"{label} as {role}: expected success, got {response.status_code} {location}"
        )
    elif expected == "login":
        assert bounced, f"{label} as {role}: expected a log-in redirect, got {response.status_code}"
    else:
        assert response.status_code == expected, (
            f"{label} as {role}: expected {expected}, got {response.status_code} {location}"
        )


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(world, name):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(world)) + rule.query(world)
    for method in ("get", "post"):
        outcomes = getattr(rule, method)
        for index, role in enumerate(ROLES):
            client = world.client_for(role)
            with transaction.atomic():
                if method == "get":
                    response = client.get(url)
                else:
                    response = client.post(url, rule.data(world))
                transaction.set_rollback(True)
            if outcomes is None:
                if response.status_code in (301, 302) and role == "anonymous":
                    _check(response, "login", role, f"{method.upper()} {url}")
                else:
                    got = response.status_code
                    assert got == 405, f"{method.upper()} {url} as {role}: expected 405, got {got}"
                continue
            _check(response, outcomes[index], role, f"{method.upper()} {url}")


def test_admin_is_for_staff_only(world):
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = staff
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    admin_login = reverse("admin:login")
    for role in ROLES:
        client = world.client_for(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(admin_login), (
                f"{url} as {role}: {response.status_code}"
            )
    client = Client()
    client.force_login(staff)
    for url in urls:
        assert client.get(url).status_code == 200, url
