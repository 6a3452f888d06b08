"""Every page of the site renders without template syntax left in its HTML.

A comment Django can't parse (`{# … #}` spans one line only) or a tag typed wrong is printed
as text instead of failing, so nothing but reading the output catches it. The URLconf is walked
as in tests/test_access_matrix.py: every named URL needs an entry below, naming the requests
whose HTML is read (as the person the page is for, on realistic data) or saying why the URL
answers no HTML. POSTs are followed through their redirect, so the page people land on, with
its message, is read too.

Prompt content legitimately holds `{{placeholders}}`, and pages show it as written. The data
uses a few placeholder names of its own (DATA_VARIABLES); exactly those placeholders are taken
out of the HTML before looking for template syntax, and a test checks that no template spells
one of them, so taking them out can only ever hide the data, never a leaked template. The
product's own copy shows the syntax on purpose in two examples (COPY_EXAMPLES: the landing
page, the content field's help), written without spaces as template code never is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts import services as account_services
from apps.imports.models import ImportCandidate
from apps.prompts import services as prompt_services
from apps.prompts.variables import VARIABLE_RE
from apps.sharing import services as sharing_services
from apps.teams import services as team_services
from promptvault import views as site_views
from tests.accounts.factories import UserFactory
from tests.imports.factories import ImportSessionFactory
from tests.prompts.factories import PromptFactory, PromptOptimizationFactory
from tests.templates.factories import PromptTemplateFactory

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}", "{{", "}}")
DATA_VARIABLES = frozenset({"product_name", "audience", "tone"})
COPY_EXAMPLES = ("{{topic}}", "{{variable}}")


@dataclass(frozen=True)
class Render:
    """One request whose HTML is read: made as `who`, answering `status` once redirects are
    followed. `htmx_target` makes it an htmx request for that region's partial."""

    who: str
    kwargs: Callable = field(default=lambda w: {})
    query: Callable = field(default=lambda w: "")
    method: str = "get"
    data: Callable = field(default=lambda w: {})
    htmx_target: str = ""
    status: int = 200


@dataclass(frozen=True)
class NotHtml:
    """A URL that answers something other than a page; `why` says what."""

    why: str


PROMPT = lambda w: {"pk": w.prompt.pk}  # noqa: E731
PUBLIC = lambda w: {"pk": w.public_prompt.pk}  # noqa: E731
SHARE = lambda w: {"code": w.share.share_code}  # noqa: E731
SESSION = lambda w: {"pk": w.import_session.pk}  # noqa: E731
VAULT = lambda w: f"?vault={w.alice.pk}"  # noqa: E731
TEMPLATE = lambda w: {"slug": w.template.slug}  # noqa: E731


def _optimization(w, status: str, *, base: int = 2) -> dict:
    """An AI rewrite of the launch email in `status`, started from version `base`."""
    rewrite = w.prompt.content + "\nAnswer as three bullet points."
    optimization = PromptOptimizationFactory(
        prompt=w.prompt,
        requested_by=w.alice,
        provider="llm",
        status=status,
        optimized_content=rewrite if status == "ready" else "",
        improvements=["Stated the output format"] if status == "ready" else [],
        error="The model server answered with an error (500)." if status == "failed" else "",
        score_after=81.0 if status == "ready" else None,
        criteria_before=[{"key": "format", "label": "Output format", "score": 20}],
        criteria_after=[{"key": "format", "label": "Output format", "score": 100}],
        base_version=w.prompt.versions.get(version=base),
    )
    return {"pk": w.prompt.pk, "optimization_pk": optimization.pk}


OPTIMIZATION = lambda w: _optimization(w, "ready")  # noqa: E731
RUNNING_OPTIMIZATION = lambda w: _optimization(w, "running")  # noqa: E731
FAILED_OPTIMIZATION = lambda w: _optimization(w, "failed")  # noqa: E731
STALE_OPTIMIZATION = lambda w: _optimization(w, "ready", base=1)  # noqa: E731


def _reset_link(w) -> dict:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(w.alice.pk)),
        "token": default_token_generator.make_token(w.alice),
    }


def _email_change_link(w) -> dict:
    w.alice.pending_email = "alice.new@example.com"
    w.alice.save(update_fields=["pending_email"])
    return {"token": account_services.email_change_token(w.alice)}


NOT_A_TOKEN = lambda w: {"token": "not-a-token"}  # noqa: E731


def _api_key(w) -> dict:
    key, _secret = account_services.api_key_create(user=w.alice, name="Rendered app")
    return {"pk": key.pk}


PAGES: dict[str, tuple[Render, ...] | NotHtml] = {
    "home": (Render("anonymous"), Render("alice")),
    "healthz": NotHtml("a JSON health report for the load balancer"),
    # Accounts
    "accounts:signup": (
        Render("anonymous", query=lambda w: f"?next=/s/{w.share.share_code}/"),
        Render("anonymous", method="post", data=lambda w: {"email": "not an address"}),
    ),
    "accounts:login": (
        Render("anonymous", query=lambda w: f"?next=/s/{w.share.share_code}/"),
        Render(
            "anonymous",
            method="post",
            data=lambda w: {"username": w.alice.email, "password": "wrong"},
        ),
    ),
    "accounts:logout": (Render("alice", method="post"),),
    "accounts:profile": (Render("alice"),),
    "accounts:api_keys": (
        Render("alice"),
        Render(
            "alice",
            method="post",
            data=lambda w: {"name": "App", "scopes": "read write"},
        ),
        Render("alice", method="post", data=lambda w: {"name": "", "scopes": "admin"}),
    ),
    "accounts:api_key_revoke": (Render("alice", kwargs=_api_key, method="post"),),
    # The JSON API (tests/prompts/test_api.py); its docs page is Swagger UI's, not ours.
    "api:api-root": NotHtml("the JSON API's root, which answers 404"),
    "api:not_found": NotHtml("any other path under the JSON API, which answers a JSON 404"),
    "api:openapi-json": NotHtml("the API's OpenAPI schema"),
    "api:openapi-view": NotHtml("Swagger UI's page for the API, rendered by django-ninja"),
    "api:prompt_list": NotHtml("JSON API"),
    "api:prompt_create": NotHtml("JSON API"),
    "api:prompt_detail": NotHtml("JSON API"),
    "api:prompt_render": NotHtml("JSON API"),
    "api:prompt_versions": NotHtml("JSON API"),
    "api:prompt_labels": NotHtml("JSON API"),
    "api:prompt_label_history": NotHtml("JSON API"),
    "accounts:delete": (
        Render("alice"),
        Render("alice", method="post", data=lambda w: {"password": "wrong"}),
    ),
    "accounts:password_change": (Render("alice"),),
    "accounts:email_change": (
        Render("alice"),
        Render(
            "alice",
            method="post",
            data=lambda w: {"email": "alice.new@example.com", "password": "wrong"},
        ),
    ),
    "accounts:email_change_cancel": (Render("alice", method="post"),),
    "accounts:email_change_confirm": (
        Render("anonymous", kwargs=_email_change_link),
        Render("anonymous", kwargs=NOT_A_TOKEN, status=400),
    ),
    "accounts:email_confirmation_send": (Render("alice", method="post"),),
    "accounts:email_confirm": (
        Render(
            "anonymous",
            kwargs=lambda w: {"token": account_services.email_confirmation_token(w.alice)},
        ),
        Render("anonymous", kwargs=NOT_A_TOKEN, status=400),
    ),
    "accounts:password_reset": (
        Render("anonymous"),
        Render("anonymous", method="post", data=lambda w: {"email": w.alice.email}),
    ),
    "accounts:password_reset_done": (Render("anonymous"),),
    "accounts:password_reset_confirm": (
        Render("anonymous", kwargs=_reset_link),
        Render("anonymous", kwargs=lambda w: {"uidb64": "AA", "token": "set-password"}),
    ),
    "accounts:password_reset_complete": (Render("anonymous"),),
    # Billing
    "billing:pricing": (Render("anonymous"), Render("alice")),
    "billing:overview": (
        Render("alice"),
        Render("alice", query=lambda w: "?checkout=success"),
    ),
    "billing:checkout": (
        Render("alice", method="post", data=lambda w: {"plan": "pro"}),
        Render("alice", method="post", data=lambda w: {"plan": "gold"}, status=400),
    ),
    "billing:portal": (Render("alice", method="post"),),
    "billing:webhook": NotHtml("Stripe's signed events, answered with JSON or plain text"),
    # The vault
    "prompts:list": (
        Render("alice"),
        Render("alice", query=lambda w: "?q=launch", htmx_target="results"),
        Render("bob", query=VAULT),
    ),
    "prompts:bulk": (
        Render(
            "alice",
            method="post",
            data=lambda w: {"action": "delete", "ids": [str(w.prompt.pk)]},
        ),
        Render(
            "alice",
            method="post",
            data=lambda w: {"action": "move", "ids": [str(w.prompt.pk)], "folder": "moved"},
        ),
    ),
    "prompts:create": (
        Render("alice"),
        Render("alice", method="post", data=lambda w: {"name": ""}),
    ),
    "prompts:analyze": (
        Render(
            "bob",
            method="post",
            data=lambda w: {"content": "Write a launch email for {{audience}}, maybe etc."},
            htmx_target="analysis",
        ),
        Render("alice", method="post", data=lambda w: {"content": "Summarize it, etc."}),
        Render(
            "alice",
            method="post",
            data=lambda w: {"content": "x" * 200_001},
            htmx_target="analysis",
            status=400,
        ),
    ),
    "prompts:export": (Render("alice"),),
    "prompts:folders": (
        Render("alice"),
        Render("alice", query=lambda w: "?edit=marketing%2Femail"),
        Render("alice", query=lambda w: "?edit=marketing%2Femail", htmx_target="row"),
        Render("alice", query=lambda w: "?row=marketing%2Femail", htmx_target="row"),
    ),
    "prompts:folder_rename": (
        Render(
            "alice",
            method="post",
            data=lambda w: {"vault": str(w.alice.pk), "old_path": "marketing", "new_path": "ads"},
        ),
        Render("alice", method="post", data=lambda w: {"old_path": "marketing", "new_path": ".."}),
    ),
    "prompts:tags": (Render("alice"),),
    "prompts:tag_merge": (
        Render(
            "alice",
            method="post",
            data=lambda w: {"source": str(w.tag.pk), "target": str(w.other_tag.pk)},
        ),
        Render(
            "alice",
            method="post",
            data=lambda w: {"source": str(w.tag.pk), "target": str(w.tag.pk), "confirmed": "1"},
        ),
    ),
    "prompts:tag_update": (
        Render("alice", kwargs=lambda w: {"pk": w.tag.pk}, query=lambda w: "?edit=name"),
        Render(
            "alice",
            kwargs=lambda w: {"pk": w.tag.pk},
            query=lambda w: "?edit=color",
            htmx_target="row",
        ),
        Render(
            "alice",
            kwargs=lambda w: {"pk": w.tag.pk},
            query=lambda w: "?focus=name",
            htmx_target="row",
        ),
        Render(
            "alice",
            kwargs=lambda w: {"pk": w.tag.pk},
            method="post",
            data=lambda w: {"name": "renamed", "color": "#445566"},
        ),
        Render(
            "alice",
            kwargs=lambda w: {"pk": w.tag.pk},
            method="post",
            data=lambda w: {"name": "launch"},
        ),
    ),
    "prompts:tag_delete": (
        Render("alice", kwargs=lambda w: {"pk": w.tag.pk}, method="post"),
        Render(
            "alice",
            kwargs=lambda w: {"pk": w.tag.pk},
            method="post",
            data=lambda w: {"confirmed": "1"},
        ),
    ),
    "prompts:detail": (
        Render("alice", kwargs=PROMPT),
        Render("alice", kwargs=PROMPT, query=lambda w: "?var_audience=founders"),
        Render("dana", kwargs=PROMPT),
    ),
    "prompts:edit": (Render("alice", kwargs=PROMPT), Render("bob", kwargs=PROMPT)),
    "prompts:delete": (Render("alice", kwargs=PROMPT),),
    "prompts:duplicate": (Render("alice", kwargs=PROMPT, method="post"),),
    "prompts:history": (Render("alice", kwargs=PROMPT), Render("dana", kwargs=PROMPT)),
    "prompts:label_move": (
        Render("alice", kwargs=PROMPT, method="post", data=lambda w: {"move": "production 1"}),
        Render("bob", kwargs=PROMPT, method="post", data=lambda w: {"move": "staging 99"}),
    ),
    "prompts:version": (Render("alice", kwargs=lambda w: {"pk": w.prompt.pk, "number": 1}),),
    "prompts:restore": (
        Render("alice", kwargs=lambda w: {"pk": w.prompt.pk, "number": 1}, method="post"),
    ),
    "prompts:diff": (
        Render("alice", kwargs=PROMPT, query=lambda w: "?from=1&to=2"),
        Render("alice", kwargs=PROMPT, query=lambda w: "?from=1&to=2", htmx_target="diff"),
    ),
    "prompts:optimize": (Render("alice", kwargs=PROMPT, method="post"),),
    "prompts:optimization": (
        Render("alice", kwargs=OPTIMIZATION),
        Render("alice", kwargs=OPTIMIZATION, query=lambda w: "?mode=side"),
        Render("dana", kwargs=OPTIMIZATION),
        Render("alice", kwargs=RUNNING_OPTIMIZATION),
        Render("alice", kwargs=RUNNING_OPTIMIZATION, htmx_target="optimization"),
        Render("alice", kwargs=FAILED_OPTIMIZATION),
    ),
    "prompts:optimization_accept": (
        Render("alice", kwargs=OPTIMIZATION, method="post"),
        Render("alice", kwargs=STALE_OPTIMIZATION, method="post", status=409),
    ),
    "prompts:optimization_discard": (Render("alice", kwargs=OPTIMIZATION, method="post"),),
    # Sharing
    "sharing:manage": (Render("alice", kwargs=PROMPT),),
    "sharing:visibility": (
        Render("alice", kwargs=PROMPT, method="post", data=lambda w: {"is_public": "true"}),
    ),
    "sharing:revoke": (Render("alice", kwargs=lambda w: {"pk": w.share.pk}, method="post"),),
    "sharing:share_page": (
        Render("anonymous", kwargs=SHARE),
        Render("charlie", kwargs=SHARE, query=lambda w: "?var_tone=warm"),
        Render("anonymous", kwargs=lambda w: {"code": w.revoked_share.share_code}, status=410),
        Render("anonymous", kwargs=lambda w: {"code": "no-such-link"}, status=404),
    ),
    "sharing:share_download": NotHtml("the shared prompt as a .txt, .md or .json file"),
    "sharing:share_save": (Render("charlie", kwargs=SHARE, method="post"),),
    "sharing:public_page": (Render("anonymous", kwargs=PUBLIC), Render("charlie", kwargs=PUBLIC)),
    "sharing:public_download": NotHtml("the public prompt as a .txt, .md or .json file"),
    "sharing:public_save": (Render("charlie", kwargs=PUBLIC, method="post"),),
    "sharing:explore": (
        Render("anonymous"),
        Render("charlie", query=lambda w: "?q=launch", htmx_target="gallery"),
    ),
    # Teams
    "teams:team": (
        Render("alice"),
        Render("alice", method="post", data=lambda w: {"email": "", "role": "viewer"}, status=400),
    ),
    "teams:resend": (Render("alice", kwargs=lambda w: {"pk": w.pending_invite.pk}, method="post"),),
    "teams:revoke": (
        Render("alice", kwargs=lambda w: {"pk": w.dana_membership.pk}, method="post"),
        Render(
            "alice",
            kwargs=lambda w: {"pk": w.dana_membership.pk},
            method="post",
            data=lambda w: {"confirmed": "1"},
        ),
    ),
    "teams:role": (
        Render(
            "alice",
            kwargs=lambda w: {"pk": w.bob_membership.pk},
            method="post",
            data=lambda w: {"role": "viewer"},
        ),
    ),
    "teams:shared": (Render("bob"), Render("dana")),
    "teams:leave": (
        Render("bob", kwargs=lambda w: {"pk": w.bob_membership.pk}, method="post"),
        Render(
            "bob",
            kwargs=lambda w: {"pk": w.bob_membership.pk},
            method="post",
            data=lambda w: {"confirmed": "1"},
        ),
    ),
    "teams:accept": (
        Render("anonymous", kwargs=lambda w: {"token": w.pending_token}),
        Render("eve", kwargs=lambda w: {"token": w.pending_token}),
        Render("charlie", kwargs=lambda w: {"token": w.pending_token}),
        Render("eve", kwargs=lambda w: {"token": w.pending_token}, method="post"),
        Render("anonymous", kwargs=lambda w: {"token": "forged"}, status=400),
    ),
    # Imports
    "imports:list": (Render("alice"),),
    "imports:detail": (
        Render("alice", kwargs=SESSION),
        Render("alice", kwargs=SESSION, htmx_target="import-progress"),
        Render("alice", kwargs=lambda w: {"pk": w.finished_session.pk}),
    ),
    "imports:select": (
        Render("alice", kwargs=SESSION, method="post", data=lambda w: {"mode": "none"}),
        Render(
            "alice",
            kwargs=SESSION,
            method="post",
            data=lambda w: {"mode": "all"},
            htmx_target="selection-count",
        ),
    ),
    "imports:source": (
        Render("alice", kwargs=SESSION, method="post", data=lambda w: {"source": "file"}),
    ),
    "imports:start": (
        Render("alice", kwargs=SESSION, method="post", data=lambda w: {"folder": "imported"}),
    ),
    "imports:discard": (Render("alice", kwargs=SESSION, method="post"),),
    # The template library
    "templates:list": (
        Render("anonymous"),
        Render("alice", query=lambda w: "?q=launch&category=marketing", htmx_target="library"),
    ),
    "templates:detail": (
        Render("anonymous", kwargs=TEMPLATE),
        Render("alice", kwargs=TEMPLATE, query=lambda w: "?var_tone=formal&var_audience=ops"),
    ),
    "templates:preview": (
        Render("anonymous", kwargs=TEMPLATE, method="post", data=lambda w: {"var_tone": "warm"}),
        Render(
            "alice",
            kwargs=TEMPLATE,
            method="post",
            data=lambda w: {"var_audience": "ops"},
            htmx_target="preview",
        ),
    ),
    "templates:use": (
        Render(
            "alice",
            kwargs=TEMPLATE,
            method="post",
            data=lambda w: {"var_product_name": "Vault", "var_audience": "ops"},
        ),
        Render("alice", kwargs=TEMPLATE, method="post", data=lambda w: {"var_tone": "shouty"}),
    ),
    "templates:rate": (
        Render("alice", kwargs=TEMPLATE, method="post", data=lambda w: {"score": "5"}),
    ),
    "templates:publish": (
        Render("alice", kwargs=PROMPT),
        Render("alice", kwargs=PROMPT, method="post", data=lambda w: {"category": "marketing"}),
    ),
    "templates:unpublish": (Render("alice", kwargs=TEMPLATE, method="post"),),
}


def _named_urls(resolver=None, namespace=""):
    """Every named URL, namespaced; the admin's pages are Django's own templates."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = entry.namespace or ""
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _named_urls(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


class World:
    """Alice's vault as people use it: prompts with placeholders and versions, tags and folders,
    a share link and a revoked one, a public prompt, a team with an invite waiting for Eve, and
    an import waiting for review beside one that finished."""

    def __init__(self):
        self.alice = UserFactory(email="alice@example.com", name="Alice", tier="pro")
        self.bob = UserFactory(email="bob@example.com", name="Bob")
        self.dana = UserFactory(email="dana@example.com", name="Dana")
        self.charlie = UserFactory(email="charlie@example.com", name="Charlie")
        self.eve = UserFactory(email="eve@example.com", name="Eve")
        self.prompt = PromptFactory(
            user=self.alice,
            name="Launch email",
            description="Announce a release",
            content="Write a launch email about {{product_name}} for {{audience}}.",
            folder="marketing/email",
            tags=["email", "launch"],
        )
        prompt_services.prompt_update(
            prompt=self.prompt,
            author=self.alice,
            content="Write a short launch email about {{product_name}} for {{audience}}, "
            "in a {{tone}} tone.",
        )
        self.public_prompt = PromptFactory(
            user=self.alice,
            name="Launch tweet",
            content="A launch tweet for {{product_name}}, {{tone}}.",
            tags=["launch"],
            is_public=True,
        )
        self.tag = self.alice.tags.get(name="email")
        self.other_tag = self.alice.tags.get(name="launch")
        self.share = sharing_services.share_create(
            prompt=self.prompt, shared_by=self.alice, expires_in="7d"
        )
        self.revoked_share = sharing_services.share_create(
            prompt=self.prompt, shared_by=self.alice, expires_in="1d"
        )
        sharing_services.share_revoke(share=self.revoked_share)
        self.bob_membership = team_services.invite_create(
            owner=self.alice, email=self.bob.email, role="editor"
        )
        team_services.invite_accept(invite=self.bob_membership, user=self.bob)
        self.dana_membership = team_services.invite_create(
            owner=self.alice, email=self.dana.email, role="viewer"
        )
        team_services.invite_accept(invite=self.dana_membership, user=self.dana)
        self.pending_invite = team_services.invite_create(
            owner=self.alice, email=self.eve.email, role="viewer"
        )
        self.pending_token = team_services.invite_token(self.pending_invite)
        self.template = PromptTemplateFactory(
            slug="launch-email",
            category="marketing",
            name="Launch email",
            is_official=False,
            created_by=self.alice,
            content="Write a launch email about {{product_name}} for {{audience}}, {{tone}}.",
            variables=[
                {"name": "product_name", "type": "text", "required": True},
                {"name": "audience", "type": "multiline", "default": "customers"},
                {"name": "tone", "type": "choice", "options": ["warm", "formal"]},
            ],
        )
        self.import_session = ImportSessionFactory(user=self.alice, status="ready", source="file")
        for position, (name, content) in enumerate(
            [
                ("Found brief", "Brief the team on {{product_name}}."),
                ("Launch email", "Write a launch email about {{product_name}} for {{audience}}."),
            ]
        ):
            ImportCandidate.objects.create(
                session=self.import_session,
                position=position,
                name=name,
                content=content,
                content_key=f"key-{position}",
                selected=True,
            )
        self.finished_session = ImportSessionFactory(
            user=self.alice, status="done", source="file", imported_count=1
        )

    def client_for(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(getattr(self, who))
        return client


@pytest.fixture
def world(db):
    return World()


def leftover_template_syntax(html: str) -> list[str]:
    """Template syntax found in rendered HTML, each with the text around it; the data's own
    placeholders and the copy's examples are taken out first."""
    html = VARIABLE_RE.sub(
        lambda match: "" if match.group(1) in DATA_VARIABLES else match.group(0), html
    )
    for example in COPY_EXAMPLES:
        html = html.replace(example, "")
    found = []
    for marker in TEMPLATE_SYNTAX:
        start = html.find(marker)
        while start != -1:
            found.append(repr(html[max(0, start - 60) : start + 60]))
            start = html.find(marker, start + 1)
    return found


def _renders():
    for name, entry in sorted(PAGES.items()):
        if isinstance(entry, NotHtml):
            continue
        for index, render in enumerate(entry):
            yield pytest.param(name, render, id=f"{name}-{index}")


def test_every_url_has_an_entry():
    names = set(_named_urls())
    missing = sorted(names - set(PAGES))
    stale = sorted(set(PAGES) - names)
    assert not missing, f"URLs without an entry in PAGES: {missing}"
    assert not stale, f"Entries for URLs that no longer exist: {stale}"


def test_no_template_spells_a_placeholder_of_the_data():
    for path in TEMPLATES_DIR.rglob("*"):
        if path.is_file():
            names = {m.group(1) for m in VARIABLE_RE.finditer(path.read_text(encoding="utf-8"))}
            assert not names & DATA_VARIABLES, f"{path} spells {names & DATA_VARIABLES}"


def test_template_comments_open_and_close_on_one_line():
    """Django's `{# #}` can't span lines; a longer comment needs {% comment %}."""
    for path in TEMPLATES_DIR.rglob("*"):
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            opened, closed = line.count("{#"), line.count("#}")
            assert opened == closed, f"{path}:{number} opens a comment it doesn't close: {line}"


def test_the_check_sees_what_a_broken_comment_prints():
    printed = '{# "Fill and copy": one input per ; static/js/app.js re-renders it, and'
    assert leftover_template_syntax(f"<p>{printed}</p>")
    assert not leftover_template_syntax("<pre>For {{audience}}, {{ tone }}.</pre>")
    assert leftover_template_syntax("<pre>For {{ variable }}.</pre>")


@pytest.mark.parametrize(("name", "render"), list(_renders()))
def test_the_page_shows_no_template_syntax(world, name, render):
    url = reverse(name, kwargs=render.kwargs(world)) + render.query(world)
    client = world.client_for(render.who)
    headers = {"HX-Request": "true", "HX-Target": render.htmx_target} if render.htmx_target else {}
    if render.method == "post":
        response = client.post(url, render.data(world), headers=headers, follow=True)
    else:
        response = client.get(url, headers=headers, follow=True)
    label = f"{render.method.upper()} {url} as {render.who}"
    assert response.status_code == render.status, f"{label}: {response.status_code}"
    assert response["Content-Type"].startswith("text/html"), f"{label}: not HTML"
    login = reverse("accounts:login")
    bounced = [url for url, _ in response.redirect_chain if url.startswith(login)]
    assert not bounced, f"{label}: sent to log in, so the page itself was never read"
    html = response.content.decode()
    assert html.strip(), f"{label}: empty page"
    leftovers = leftover_template_syntax(html)
    assert not leftovers, f"{label} shows template syntax:\n" + "\n".join(leftovers)


@pytest.mark.parametrize(
    "handler",
    [
        site_views.bad_request,
        site_views.permission_denied,
        site_views.page_not_found,
        site_views.server_error,
        site_views.csrf_failure,
    ],
)
def test_error_pages_show_no_template_syntax(db, handler):
    request = RequestFactory().get("/somewhere/")
    request.user = UserFactory.build()
    response = handler(request)
    assert response.status_code >= 400
    assert not leftover_template_syntax(response.content.decode())


def test_the_rate_limited_page_shows_no_template_syntax(world, settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 1
    client = Client()
    url = reverse("sharing:public_page", kwargs={"pk": world.public_prompt.pk})
    client.get(url)
    response = client.get(url)
    assert response.status_code == 429
    assert not leftover_template_syntax(response.content.decode())
