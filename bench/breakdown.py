"""Where one request's time goes, measured in-process against the benchmark database.

Two views of the same page, each from its own requests:

- `phases`: the request timed with hooks around Django's handler, the session and user
  look-up, the view call, template rendering and every query, with no profiler running, so
  the split is not distorted by profiling overhead. Each phase's time excludes the phases
  nested in it: middleware is the middleware's own work (CSRF, messages, security headers),
  session and user is loading both (lazily, whenever the view or the layout first asks for
  the user), view is the view's own Python (ORM objects included), template is rendering,
  and queries are the round trips to PostgreSQL wherever they run.
- `profile`: one request under cProfile, its own time summed by area of the code and the
  functions that cost most, to show what to change.
- `queries`: the slowest reads of one request with their EXPLAIN ANALYZE plans.
"""

import contextlib
import cProfile
import io
import pstats
import time
from pathlib import Path

from django.contrib import auth
from django.core.handlers.base import BaseHandler
from django.db import connection
from django.template.backends.django import Template as BackendTemplate

from bench.scenarios import client_for

REPEAT = 7
TOP_FUNCTIONS = 8
EXPLAINED = 3
SQL_KEPT = 4000

# Own time of profiled functions, summed by where the code lives. The first match wins.
AREAS = [
    ("templates", ("/django/template/", "/django/templatetags/", "/templatetags/")),
    (
        "templates",
        (
            "/django/utils/html.py",
            "/django/utils/safestring.py",
            "/django/utils/formats.py",
            "/django/utils/dateformat.py",
            "/django/utils/timesince.py",
            "/django/utils/text.py",
        ),
    ),
    ("ORM (building queries, making objects)", ("/django/db/",)),
    ("database driver and waiting", ("/psycopg/", "psycopg")),
    (
        "middleware, session, auth, routing",
        (
            "/django/middleware/",
            "/django/contrib/sessions/",
            "/django/contrib/auth/",
            "/django/contrib/messages/",
            "/django/core/handlers/",
            "/django/urls/",
            "/django/http/",
            "/django_htmx/",
            "/whitenoise/",
            "/django/core/signing.py",
            "/django/utils/crypto.py",
            "/django/views/",
        ),
    ),
    ("app code", ("/apps/", "/promptvault/", "/bench/")),
    ("test client", ("/django/test/",)),
]


PHASES = ("middleware", "session_user", "view", "template", "queries")


@contextlib.contextmanager
def _hooks(clock: dict):
    """Time each phase of a request exclusively: a phase's time excludes the phases that run
    inside it (a query run while a template renders counts as a query, a user loaded lazily
    while a template renders counts as session and user)."""
    original_outer = BaseHandler.get_response
    original_inner = BaseHandler._get_response
    original_render = BackendTemplate.render
    original_get_user = auth.get_user
    stack: list[list] = []

    def enter(name: str) -> None:
        stack.append([name, time.perf_counter(), 0.0])

    def leave() -> None:
        name, started, inside = stack.pop()
        elapsed = time.perf_counter() - started
        clock[name] += elapsed - inside
        if stack:
            stack[-1][2] += elapsed

    def timed(name, function):
        def wrapper(*args, **kwargs):
            enter(name)
            try:
                return function(*args, **kwargs)
            finally:
                leave()

        return wrapper

    def render(self, context=None, request=None):
        enter("template")
        try:
            return original_render(self, context, request)
        finally:
            leave()

    def query(execute, sql, params, many, context):
        clock["query_count"] += 1
        enter("queries")
        try:
            return execute(sql, params, many, context)
        finally:
            leave()

    BaseHandler.get_response = timed("middleware", original_outer)
    # The middleware chain keeps the bound `_get_response` it was built with, so the clients
    # made inside this block (whose chains are built on their first request) see the hook.
    BaseHandler._get_response = timed("view", original_inner)
    BackendTemplate.render = render
    # AuthenticationMiddleware loads the session and the user lazily, through auth.get_user.
    auth.get_user = timed("session_user", original_get_user)
    try:
        with connection.execute_wrapper(query):
            yield
    finally:
        BaseHandler.get_response = original_outer
        BaseHandler._get_response = original_inner
        BackendTemplate.render = original_render
        auth.get_user = original_get_user


def phases(path: str, *, headers: dict, repeat: int = REPEAT) -> dict:
    """Milliseconds per phase for the request with the median total of `repeat` requests."""
    runs = []
    clock = dict.fromkeys((*PHASES, "query_count"), 0.0)
    with _hooks(clock):
        client = client_for(headers)
        client.get(path)  # warm: connection, caches, compiled templates
        for _ in range(repeat):
            clock.update(dict.fromkeys(clock, 0.0))
            response = client.get(path)
            total = sum(clock[name] for name in PHASES)
            runs.append({**clock, "total": total, "status": response.status_code})
    runs.sort(key=lambda item: item["total"])
    run = runs[len(runs) // 2]
    return {
        "status": run["status"],
        "total_ms": round(run["total"] * 1000, 2),
        "spread_ms": [round(item["total"] * 1000, 2) for item in runs],
        "query_count": int(run["query_count"]),
        **{f"{name}_ms": round(run[name] * 1000, 2) for name in PHASES},
    }


OTHER = "Python and other libraries"


def _area(filename: str, function: str, areas: list = AREAS) -> str:
    where = filename if filename != "~" else function
    for area, needles in areas:
        if any(needle in where for needle in needles):
            return area
    return OTHER


def areas_of(stats: pstats.Stats, areas: list = AREAS) -> dict[str, float]:
    """Own time by area. General-purpose code (builtins, the standard library, Django's
    lazy-object and translation helpers) works for whoever calls it, so its time goes to its
    callers' areas in proportion to what each call cost, following generic callers upwards
    to the first caller with an area of its own."""
    table = stats.stats

    def area_of(key) -> str:
        return _area(key[0], key[2], areas)

    def owner(key, seen: frozenset) -> str:
        area = area_of(key)
        if area != OTHER or key in seen or len(seen) > 20:
            return area
        callers = table.get(key, (0, 0, 0, 0, {}))[4]
        if not callers:
            return OTHER
        heaviest = max(callers.items(), key=lambda item: item[1][2])[0]
        return owner(heaviest, seen | {key})

    totals: dict[str, float] = {}
    for key, (_calls, _primitive, own, _cumulative, callers) in table.items():
        if area_of(key) != OTHER or not callers:
            area = area_of(key)
            totals[area] = totals.get(area, 0.0) + own
            continue
        for caller, figures in callers.items():
            area = owner(caller, frozenset({key}))
            totals[area] = totals.get(area, 0.0) + figures[2]
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def top_functions(stats: pstats.Stats, count: int = TOP_FUNCTIONS) -> list[dict]:
    functions = []
    for (filename, line, function), (
        _calls,
        primitive,
        own,
        cumulative,
        _callers,
    ) in stats.stats.items():
        short = filename.split("site-packages/")[-1].split("/work/main/")[-1]
        functions.append(
            {
                "function": f"{short}:{line}({function})" if filename != "~" else function,
                "own_ms": round(own * 1000, 2),
                "cumulative_ms": round(cumulative * 1000, 2),
                "calls": primitive,
            }
        )
    functions.sort(key=lambda item: item["own_ms"], reverse=True)
    return functions[:count]


def profile(path: str, *, headers: dict, save_to: Path | None = None) -> dict:
    """One request under cProfile: own time by area and the costliest functions."""
    client = client_for(headers)
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    response = client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    if save_to is not None:
        text = io.StringIO()
        report = pstats.Stats(profiler, stream=text)
        report.sort_stats("tottime").print_stats(40)
        report.sort_stats("cumulative").print_stats(40)
        save_to.parent.mkdir(parents=True, exist_ok=True)
        save_to.write_text(f"GET {path} -> {response.status_code}\n\n{text.getvalue()}")
    return {
        "status": response.status_code,
        "profiled_ms": round(stats.total_tt * 1000, 2),
        "areas_ms": {area: round(seconds * 1000, 2) for area, seconds in areas_of(stats).items()},
        "top_functions": top_functions(stats),
        "saved_to": str(save_to) if save_to else "",
    }


def slowest_queries(path: str, *, headers: dict, count: int = EXPLAINED) -> list:
    """The `count` slowest reads of one warm request, each with its EXPLAIN (ANALYZE,
    BUFFERS) plan. Writes are timed but not explained: explaining runs the statement."""
    client = client_for(headers)
    client.get(path)
    captured: list[tuple[float, str, object]] = []

    def query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if not many:
                captured.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(query):
        client.get(path)
    captured.sort(key=lambda item: item[0], reverse=True)
    slowest = []
    for seconds, sql, params in captured[:count]:
        row = {"ms": round(seconds * 1000, 2), "sql": sql[:SQL_KEPT], "plan": []}
        if sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                row["plan"] = [line for (line,) in cursor.fetchall()]
        slowest.append(row)
    return slowest


def explain(path: str, *, headers: dict, save_to: Path | None = None) -> dict:
    return {
        "phases": phases(path, headers=headers),
        "profile": profile(path, headers=headers, save_to=save_to),
        "queries": slowest_queries(path, headers=headers),
    }
