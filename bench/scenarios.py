"""The pages and API calls the benchmark measures, and how to reach them as the heavy user
(and, for the signed-in pages' query counts, as the editor and the viewer on their team).

To measure another page, add one `Scenario` to `SCENARIOS`: a key, a title, and a function
from `Targets` (ids and numbers found in the seeded data) to the URL path.
"""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.teams.models import Role
from bench import corpus, seed
from bench.urls import SIGNED_IN_REFERENCE_PATH

VAULT_PAGE_SIZE = 50
DEEP_PAGE = 100
SHOWN_VERSION = 25
API_LIST_SIZE = 50

# Who a request is made as.
SESSION = "session"  # signed in with a session cookie
API_KEY = "api key"  # Authorization: Bearer <secret>
ANONYMOUS = "anonymous"

OWNER = "owner"
# The vault's owner first: the load runs as the owner, the query counts as all three.
VAULT_ROLES = (OWNER, Role.EDITOR, Role.VIEWER)


@dataclass(frozen=True)
class Targets:
    heavy: User
    members: dict  # role → the heavy user's editor and viewer
    sample_id: str
    sample_key: str
    history_id: str
    deep_page: int
    share_code: str


@dataclass(frozen=True)
class Credentials:
    """What requests carry: a session per role in the heavy user's vault, and an API key."""

    sessions: dict  # role → session key
    api_secret: str


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str  # may name fields of Targets, e.g. {deep_page}
    path: Callable[[Targets], str]
    auth: str = SESSION
    # "page": held to the page targets; "api": held to the API targets; "floor": what the API
    # is compared with; "reference": what pages are compared with.
    role: str = "page"
    # Share pages count every view with an UPDATE: the page's own work, measured as such.
    note: str = ""
    # A page of a whole vault: a member names the vault (`?vault=<owner id>`), the owner needn't.
    vault_page: bool = False

    @property
    def authenticated(self) -> bool:
        return self.auth != ANONYMOUS

    @property
    def counted_by_role(self) -> bool:
        """Whether its queries are counted as the owner, the editor and the viewer."""
        return self.auth == SESSION

    def url_path(self, targets: Targets, role: str = OWNER) -> str:
        path = self.path(targets)
        if self.vault_page and role != OWNER:
            path += ("&" if "?" in path else "?") + urlencode({"vault": targets.heavy.pk})
        return path

    def label(self, targets: Targets) -> str:
        return self.title.format(deep_page=targets.deep_page, shown_version=SHOWN_VERSION)

    def headers(self, credentials: Credentials, role: str = OWNER) -> dict:
        if self.auth == SESSION:
            return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={credentials.sessions[role]}"}
        if self.auth == API_KEY:
            return {"Authorization": f"Bearer {credentials.api_secret}"}
        return {}


def _search(word: str) -> str:
    return "/prompts/?" + urlencode({"q": word})


FLOOR = Scenario(
    "floor",
    "Trivial view (/healthz, one SELECT 1)",
    lambda t: "/healthz",
    auth=ANONYMOUS,
    role="floor",
)
# What every signed-in page pays before its own work: session, user, middleware and the base
# layout with nothing in it (a page bench/urls.py adds for the benchmark).
SIGNED_IN_REFERENCE = Scenario(
    "signed_in_reference",
    "Reference: empty signed-in page (session, user, layout)",
    lambda t: SIGNED_IN_REFERENCE_PATH,
    role="reference",
)

SCENARIOS = [
    FLOOR,
    Scenario("vault_first", "Vault, first page", lambda t: "/prompts/", vault_page=True),
    Scenario(
        "vault_deep",
        "Vault, page {deep_page}",
        lambda t: f"/prompts/?page={t.deep_page}",
        vault_page=True,
    ),
    Scenario(
        "search_common",
        f"Search, common word ({corpus.COMMON_WORD})",
        lambda t: _search(corpus.COMMON_WORD),
        vault_page=True,
    ),
    Scenario(
        "search_rare",
        f"Search, rare word ({corpus.RARE_WORD})",
        lambda t: _search(corpus.RARE_WORD),
        vault_page=True,
    ),
    Scenario("prompt", "Prompt page", lambda t: f"/prompts/{t.sample_id}/"),
    Scenario(
        "version",
        "Version {shown_version} of 50",
        lambda t: f"/prompts/{t.history_id}/versions/{SHOWN_VERSION}/",
    ),
    Scenario("history", "History, 50 versions", lambda t: f"/prompts/{t.history_id}/history/"),
    Scenario(
        "diff",
        "Diff, version 10 against 40",
        lambda t: f"/prompts/{t.history_id}/diff/?from=10&to=40",
    ),
    Scenario(
        "share",
        "Share page (anonymous)",
        lambda t: f"/s/{t.share_code}/",
        auth=ANONYMOUS,
        note="one UPDATE per view counts it",
    ),
    Scenario("explore", "Explore, public gallery (anonymous)", lambda t: "/explore/", ANONYMOUS),
    Scenario(
        "api_prompt",
        f"API: a prompt by key and label ({seed.PRODUCTION_LABEL})",
        lambda t: f"/api/v1/prompts/{t.sample_key}?" + urlencode({"label": seed.PRODUCTION_LABEL}),
        auth=API_KEY,
        role="api",
    ),
    Scenario(
        "api_list",
        f"API: a list of {API_LIST_SIZE} prompts",
        lambda t: f"/api/v1/prompts/?limit={API_LIST_SIZE}",
        auth=API_KEY,
        role="api",
    ),
    SIGNED_IN_REFERENCE,
]


def find_targets() -> Targets:
    heavy = User.objects.get(email=seed.HEAVY_EMAIL)
    owned = heavy.prompts.all()
    pages = math.ceil(owned.count() / VAULT_PAGE_SIZE)
    sample = owned.get(name=seed.SAMPLE_NAME)
    return Targets(
        heavy=heavy,
        members=seed.members(),
        sample_id=str(sample.pk),
        sample_key=sample.key,
        history_id=str(owned.get(name=seed.HISTORY_NAME).pk),
        deep_page=min(DEEP_PAGE, pages),
        share_code=seed.target_share().share_code,
    )


def credentials(targets: Targets) -> Credentials:
    """A fresh session for the owner, the editor and the viewer, and a fresh API key."""
    people = {OWNER: targets.heavy, **targets.members}
    return Credentials(
        sessions={role: login_session(person) for role, person in people.items()},
        api_secret=seed.fresh_api_key(),
    )


def login_session(user: User) -> str:
    """A session in the database for `user`, as logging in would create; returns its key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def client_for(headers: dict) -> Client:
    """A test client that sends what the load tool sends: the session cookie (kept as a cookie,
    so the client's own cookie handling stays as a browser's), or other headers as given."""
    client = Client(HTTP_HOST="127.0.0.1")
    cookie = headers.get("Cookie", "")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    client.defaults.update(
        {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in headers.items()
            if name != "Cookie"
        }
    )
    return client


def count_only(path: str, *, headers: dict) -> dict:
    """The queries of one warm request for `path`, and its status."""
    client = client_for(headers)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return {"status": response.status_code, "queries": len(captured.captured_queries)}


def count_queries(path: str, *, headers: dict, repeat: int = 5) -> dict:
    """One warm request for `path`, in this process: its queries and their times, plus the
    median time of `repeat` requests with nothing else running in this process."""
    client = client_for(headers)
    client.get(path)
    timings: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - started) * 1000, sql))

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
        response = client.get(path)
    # Read the count now: the next request resets the connection's query log.
    query_count = len(captured.captured_queries)
    slowest_ms, slowest_sql = max(timings, default=(0.0, ""))
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        durations.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": query_count,
        "db_ms": round(sum(ms for ms, _ in timings), 2),
        "slowest_ms": round(slowest_ms, 2),
        "slowest_sql": slowest_sql[:2000],
        "app_ms": round(statistics.median(durations), 2),
        "bytes": len(response.content),
    }
