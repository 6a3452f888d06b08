"""Hostile input on every URL of the site: no request may end in a 5xx.

Built on the access matrix (tests/test_access_matrix.py): every named URL has an entry there
with the objects it needs and sane baseline values, so a new URL is walked here as soon as it
has its access rule. What each view reads is discovered from its code: the `request.GET` /
`request.POST` keys it (and the helpers of its module it calls) asks for, and the fields of
every form it builds. A view that reads its body some other way (`request.body`, JSON) fails
the suite until it is given a hostile body below.

For each URL, as the owner (alice) and anonymously where the page is open to visitors, every
discovered parameter is sent alone with each hostile value, the others keeping their baseline,
by every method the view takes; path segments typed as text are replaced too. Each request
runs in a transaction that is rolled back, so they all see the same data. The admin is left
out, as in the access matrix: it is staff-only and has focused tests of its own.
"""

import inspect
import re
from collections import defaultdict
from urllib.parse import quote, quote_plus

import pytest
from django import forms
from django.core.cache import cache
from django.db import transaction
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

from tests.conftest import PASSWORD
from tests.test_access_matrix import MATRIX, World


class Raw(str):
    """A value already percent-encoded: bytes no Python string could carry into a request,
    such as a lone surrogate encoded as UTF-8."""


TEN_MB = "x" * (10 * 1024 * 1024)
DEEP_JSON = "[" * 100_000 + "]" * 100_000
HOSTILE = {
    "nul": "ok\x00ok",
    "surrogate-and-invalid-utf8": Raw("%ED%A0%80%FF"),
    "json-nul-surrogate-nan": '{"\\u0000": "\\ud800", "b": NaN, "c": 1e999}',
    "deep-json": DEEP_JSON,
    "float-overflow": "1e999",
    "huge-integer": str(10**400),
    "negative": "-1",
    "not-a-uuid": "../not-a-uuid",
    "long": "y" * 300_000,
    "control-characters": "a\r\nBcc: victim@example.com\x07\x1b[31m\u202e",
}
ALONE = ("nul", "not-a-uuid")
# A value for one request per URL and method, not for every parameter: it costs a lot to send.
HUGE = {"ten-megabytes": TEN_MB}
PATH_VALUES = {
    "nul": "%00",
    "surrogate-bytes": "%ED%A0%80",
    "huge-integer": str(10**400),
    "not-a-uuid": "not-a-uuid",
    "long": "z" * 5000,
    "trailing-newline": "A" * 22 + "%0A",
    "dots": "..",
}

# Baselines that pass each form, where the access matrix's don't, so that a hostile value in one
# field travels on to the services instead of stopping at another field's error.
VALID_POST = {
    "prompts:create": lambda w: {"name": "Walked", "content": "Text", "model": "gpt-4"},
    "accounts:signup": lambda w: {
        "name": "New",
        "email": "new@example.com",
        "password": "a-long-unusual-passphrase",
    },
    "accounts:login": lambda w: {"username": w.alice.email, "password": PASSWORD},
    "accounts:profile": lambda w: {"name": "Alice", "email": w.alice.email},
    "accounts:password_change": lambda w: {
        "old_password": PASSWORD,
        "new_password1": "another-long-passphrase",
        "new_password2": "another-long-passphrase",
    },
}
VALID_GET = {
    "prompts:export": lambda w: f"?vault={w.alice.pk}&format=json",
}

# Views reading their body in a way the discovery can't see must say how to attack it here.
# Values are raw bodies, each posted as it is; signed hostile events are sent to the webhook in
# tests/accounts/test_billing.py, which has the signing secret.
BODY_READERS: dict[str, dict] = {
    "billing:webhook": {
        "empty": b"",
        "not json": b"{not json",
        "not utf-8": b"\xff\xfe\x00{",
        "a list": b"[1, 2]",
        "nested deep": b"[" * 10_000 + b"]" * 10_000,
        "unsigned event": b'{"id": "evt_1", "type": "invoice.paid", "data": {"object": {}}}',
    },
}
_READS_BODY = re.compile(r"request\.(body|read\(|readlines|stream)|json\.loads?\(request")
_PARAM = re.compile(r"""(?:request\.(GET|POST)|\bparams)\.(?:get|getlist)\(\s*["']([^"']+)["']""")
# A form built with data: bound to request.GET / request.POST, to `params`, or to something else
# (then both); `Form()` and `Form(initial=…)` are unbound and read nothing.
_FORM = re.compile(r"\b([A-Z]\w*Form)\(\s*(?!\)|\w+=)(request\.(?:GET|POST)|params)?")
_CALL = re.compile(r"\b(_?[a-z]\w*)\(")


def _view_sources(func) -> list[str]:
    """The source of a view and of the functions of its module it calls, recursively; for a
    class-based view, its class and form class."""
    view_class = getattr(func, "view_class", None)
    if view_class is not None:
        return [inspect.getsource(klass) for klass in view_class.__mro__ if _ours(klass)]
    func = inspect.unwrap(func)
    module = inspect.getmodule(func)
    seen, sources, pending = set(), [], [func]
    while pending:
        current = inspect.unwrap(pending.pop())
        if current in seen:
            continue
        seen.add(current)
        source = inspect.getsource(current)
        sources.append(source)
        for name in _CALL.findall(source):
            candidate = getattr(module, name, None)
            if inspect.isfunction(candidate) and inspect.getmodule(candidate) is module:
                pending.append(candidate)
    return sources


def _ours(klass) -> bool:
    return klass.__module__.startswith("apps.")


def _form_classes(func, sources: list[str]) -> list[tuple[type, set[str]]]:
    """Forms the view builds, each with the methods whose data it is bound to."""
    found = []
    view_class = getattr(func, "view_class", None)
    if view_class is not None and getattr(view_class, "form_class", None):
        found.append((view_class.form_class, {"POST"}))
    module = inspect.getmodule(inspect.unwrap(func))
    for source in sources:
        for name, bound in _FORM.findall(source):
            klass = getattr(module, name, None)
            if inspect.isclass(klass) and issubclass(klass, forms.BaseForm):
                methods = {"GET"} if "GET" in bound else {"POST"} if "POST" in bound else set()
                found.append((klass, methods or {"GET", "POST"}))
    return found


def discovered_params(func) -> dict[str, set[str]]:
    """{"GET": names, "POST": names} that the view reads."""
    sources = _view_sources(func)
    params: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        for method, name in _PARAM.findall(source):
            for each in [method] if method else ["GET", "POST"]:
                params[each].add(name)
    for klass, methods in _form_classes(func, sources):
        for method in methods:
            params[method].update(klass.base_fields)
    return params


def reads_body(func) -> bool:
    return any(_READS_BODY.search(source) for source in _view_sources(func))


def _encode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(
        f"{quote_plus(key)}={value if isinstance(value, Raw) else quote_plus(value)}"
        for key, value in pairs
    )


def _pairs(values: dict) -> list[tuple[str, str]]:
    pairs = []
    for key, value in values.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, item if isinstance(item, Raw) else str(item)))
    return pairs


def _baseline(query: str) -> dict:
    values: dict[str, list] = defaultdict(list)
    for pair in filter(None, query.lstrip("?").split("&")):
        key, _, value = pair.partition("=")
        values[key].append(value)
    return {key: items if len(items) > 1 else items[0] for key, items in values.items()}


class Walker:
    def __init__(self, world: World):
        self.world = world
        self.clients = {
            "alice": world.client_for("alice"),
            "anonymous": world.client_for("anonymous"),
        }
        for client in self.clients.values():
            client.raise_request_exception = True
        self.failures: list[str] = []
        self.requests = 0

    def send(self, role: str, method: str, path: str, values: dict, label: str) -> int | None:
        client = self.clients[role]
        body = _encode(_pairs(values))
        cache.clear()  # rate limits and log-in throttles would answer 429 before the view runs
        self.requests += 1
        try:
            with transaction.atomic():
                if method == "GET":
                    response = client.get(f"{path}?{body}" if body else path)
                else:
                    response = client.post(
                        path, body, content_type="application/x-www-form-urlencoded"
                    )
                if response.streaming:
                    b"".join(response.streaming_content)  # downloads fail while streaming
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the next
            self.failures.append(f"{method} {path[:120]} as {role}, {label}: {error!r}"[:400])
            return None
        if response.status_code >= 500:
            self.failures.append(
                f"{method} {path[:120]} as {role}, {label}: {response.status_code}"
            )
        return response.status_code

    def walk(self, name: str) -> None:
        rule = MATRIX[name]
        kwargs = rule.kwargs(self.world)
        path = reverse(name, kwargs=kwargs)
        func = resolve(path).func
        if reads_body(func) and name not in BODY_READERS:
            self.failures.append(f"{name} reads its body directly: give it a hostile body")
        for label, body in BODY_READERS.get(name, {}).items():
            for role in ("alice", "anonymous"):
                with transaction.atomic():
                    response = self.clients[role].post(path, body, content_type="application/json")
                    transaction.set_rollback(True)
                self.requests += 1
                if response.status_code >= 500:
                    self.failures.append(f"POST {path} as {role}, body {label}: 5xx")
        params = discovered_params(func)
        methods = [m for m, outcomes in (("GET", rule.get), ("POST", rule.post)) if outcomes]
        for role in ("alice", "anonymous"):
            for method in methods:
                if method == "GET":
                    baseline = _baseline(VALID_GET.get(name, rule.query)(self.world))
                else:
                    baseline = dict(rule.data(self.world))
                    if name in VALID_POST:
                        baseline.update(VALID_POST[name](self.world))
                status = self.send(role, method, path, baseline, "baseline")
                if role == "anonymous" and status in (301, 302):
                    continue  # the log-in page comes first; walked as the owner
                for param in sorted(params.get(method, ())):
                    for label, value in HOSTILE.items():
                        self.send(
                            role, method, path, {**baseline, param: value}, f"{param}={label}"
                        )
                    # Alone too: a baseline value can steer the view past the code that reads
                    # this parameter (a select-all mode, say, skipping the per-row ids).
                    for label in ALONE:
                        self.send(
                            role, method, path, {param: HOSTILE[label]}, f"only {param}={label}"
                        )
                first = sorted(params.get(method, ()))[:1]
                for param in first:
                    for label, value in HUGE.items():
                        self.send(
                            role, method, path, {**baseline, param: value}, f"{param}={label}"
                        )
            self.walk_path(role, name, kwargs, methods, rule)

    def walk_path(self, role: str, name: str, kwargs: dict, methods: list[str], rule) -> None:
        """Replace each text path segment (codes, tokens, formats) with hostile values."""
        pattern_text = {
            key: value for key, value in kwargs.items() if isinstance(value, str) and key != "pk"
        }
        for key in pattern_text:
            for label, value in PATH_VALUES.items():
                marker = "PLACEHOLDERSEGMENT"
                try:
                    path = reverse(name, kwargs={**kwargs, key: marker})
                except NoReverseMatch:
                    continue
                path = path.replace(marker, value if "%" in value else quote(value, safe=""))
                for method in methods:
                    data = rule.data(self.world) if method == "POST" else {}
                    self.send(role, method, path, data, f"path {key}={label}")


def url_names(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL outside the admin, with its namespace."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            # The JSON API reads no forms: tests/prompts/test_api.py sends it hostile input, and
            # tests/test_api_access_matrix.py walks its endpoints.
            if entry.namespace in ("admin", "api"):
                continue
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def _app_of(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else ""


def test_every_url_is_walked():
    missing = sorted(url_names() - set(MATRIX))
    assert not missing, (
        f"URLs without an entry in tests/test_access_matrix.py, so not walked here: {missing}"
    )


def test_discovery_sees_what_views_read():
    def params(name, **kwargs):
        return discovered_params(resolve(reverse(name, kwargs=kwargs)).func)

    world_free = {"pk": "00000000-0000-0000-0000-000000000001"}
    assert {"tag", "q", "vault", "page", "sort"} <= params("prompts:list")["GET"]
    assert {"name", "content", "metadata", "change_message", "seen_at"} <= params(
        "prompts:edit", **world_free
    )["POST"]
    assert {"on_page", "selected", "mode", "page"} <= params("imports:select", **world_free)["POST"]
    assert {"username", "password"} <= params("accounts:login")["POST"]
    assert {"q", "tag", "page"} <= params("sharing:explore")["GET"]
    assert {"page"} <= params("imports:detail", **world_free)["GET"]  # read by a helper
    assert {"email", "role"} <= params("teams:team")["POST"]


# One world per app's URLs: a world per URL would cost more than the walking.
@pytest.mark.parametrize(
    "app", sorted({_app_of(name) for name in url_names()}), ids=lambda app: app or "site"
)
def test_no_hostile_input_gets_a_server_error(db, app):
    world = World()
    walker = Walker(world)
    names = url_names()
    for name in sorted(MATRIX):
        if _app_of(name) == app and name in names:
            walker.walk(name)
    assert walker.requests, f"no URL of {app or 'the site'} has an entry in the access matrix"
    assert not walker.failures, "\n".join(walker.failures[:60])
