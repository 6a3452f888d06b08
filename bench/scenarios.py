"""The pages the benchmark measures, and how to reach them as the heavy user.

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
from bench import corpus, seed
from bench.urls import SIGNED_IN_REFERENCE_PATH

VAULT_PAGE_SIZE = 50
DEEP_PAGE = 100


@dataclass(frozen=True)
class Targets:
    heavy: User
    sample_id: str
    history_id: str
    deep_page: int
    share_code: str


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str  # may name fields of Targets, e.g. {deep_page}
    path: Callable[[Targets], str]
    authenticated: bool = True
    # "page": held to the targets; "floor": what pages are compared with; "reference":
    # reported for context only.
    role: str = "page"
    # Share pages count every view with an UPDATE: the page's own work, measured as such.
    note: str = ""

    def url_path(self, targets: Targets) -> str:
        return self.path(targets)

    def label(self, targets: Targets) -> str:
        return self.title.format(deep_page=targets.deep_page)


def _search(word: str) -> str:
    return "/prompts/?" + urlencode({"q": word})


FLOOR = Scenario(
    "floor", "Trivial view (/healthz, one SELECT 1)", lambda t: "/healthz", False, "floor"
)

SCENARIOS = [
    FLOOR,
    Scenario("vault_first", "Vault, first page", lambda t: "/prompts/"),
    Scenario("vault_deep", "Vault, page {deep_page}", lambda t: f"/prompts/?page={t.deep_page}"),
    Scenario(
        "search_common",
        f"Search, common word ({corpus.COMMON_WORD})",
        lambda t: _search(corpus.COMMON_WORD),
    ),
    Scenario(
        "search_rare",
        f"Search, rare word ({corpus.RARE_WORD})",
        lambda t: _search(corpus.RARE_WORD),
    ),
    Scenario("prompt", "Prompt page", lambda t: f"/prompts/{t.sample_id}/"),
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
        authenticated=False,
        note="one UPDATE per view counts it",
    ),
    Scenario("explore", "Explore, public gallery (anonymous)", lambda t: "/explore/", False),
    # What every signed-in page pays before its own work: session, user, middleware and the
    # base layout with nothing in it (a page bench/urls.py adds for the benchmark).
    Scenario(
        "signed_in_reference",
        "Reference: empty signed-in page (session, user, layout)",
        lambda t: SIGNED_IN_REFERENCE_PATH,
        role="reference",
    ),
]
SIGNED_IN_REFERENCE = SCENARIOS[-1]


def find_targets() -> Targets:
    heavy = User.objects.get(email=seed.HEAVY_EMAIL)
    owned = heavy.prompts.all()
    pages = math.ceil(owned.count() / VAULT_PAGE_SIZE)
    return Targets(
        heavy=heavy,
        sample_id=str(owned.get(name=seed.SAMPLE_NAME).pk),
        history_id=str(owned.get(name=seed.HISTORY_NAME).pk),
        deep_page=min(DEEP_PAGE, pages),
        share_code=seed.target_share().share_code,
    )


def login_session(user: User) -> str:
    """A session in the database for `user`, as logging in would create; returns its key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def count_queries(path: str, *, session_key: str | None, repeat: int = 5) -> dict:
    """One warm request for `path`, in this process: its queries and their times, plus the
    median time of `repeat` requests with nothing else running in this process."""
    client = Client(HTTP_HOST="127.0.0.1")
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
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
