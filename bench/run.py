"""Benchmark PromptVault under load and write docs/BENCHMARKS.md.

Pages: seeds (or reuses) a PostgreSQL database, serves the app with gunicorn and production
settings on 127.0.0.1, measures every page and API call in `bench/scenarios.py` from a
separate load process, counts each signed-in page's queries in-process as the vault's owner,
an editor and a viewer and, for every page that misses a target and every API call, shows
where one request's time goes. Imports: generated ChatGPT and Claude exports, each
imported by a worker process of its own (bench/import_bench.py). Work: pages whose cost is
what one request computes (large diffs, the gallery search over large prompts), timed
in-process (bench/inprocess.py). Writes the report either way. Run it as `make bench`.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/promptvault_bench"
# A database of its own on the local Redis, emptied before every run.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
# Per client address for public pages, per key for the API: every request of the benchmark
# comes from one address with one key.
RATE_LIMIT = 100_000_000
# A load slice whose wall time runs this many times over its set time is measured again.
STALLED_SLICE = 1.5


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help=f"PostgreSQL database to seed and serve (default {DEFAULT_DATABASE_URL}; "
        "with --quick, the same name with _quick appended). Created if missing.",
    )
    parser.add_argument("--reseed", action="store_true", help="rebuild the data set")
    parser.add_argument(
        "--redis-url",
        help=f"the shared cache, as a deployment with more than one process has it (default "
        f"{DEFAULT_REDIS_URL} when Redis answers there; 'none' for per-process memory caches)",
    )
    parser.add_argument("--duration", type=float, help="seconds per page (default 10)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per page (default 2)")
    parser.add_argument(
        "--rounds",
        type=int,
        help="slices each page's time is cut into, interleaved with the other pages "
        "(default 2; 1 with --quick)",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (more than 1: gthread)"
    )
    parser.add_argument("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--output", type=Path, help="report file (default docs/BENCHMARKS.md)")
    parser.add_argument(
        "--load-tool",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="wrk when installed, else the Python client in bench/load.py",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 2,000 prompts, 2 s per page, imports of 20 to 200 conversations, "
        "report in bench/results/",
    )
    parser.add_argument(
        "--only",
        choices=["pages", "imports", "work"],
        help="measure only the pages, the imports or the in-process work; the report keeps "
        "the latest figures of the other parts",
    )
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="skip the in-process breakdown of pages that miss a target or an aim, and of "
        "the API calls",
    )
    parser.add_argument(
        "--from-results",
        type=Path,
        metavar="JSON",
        help="rewrite the report from a saved run in bench/results/ without measuring",
    )
    args = parser.parse_args(argv)
    if args.database_url is None:
        args.database_url = DEFAULT_DATABASE_URL + ("_quick" if args.quick else "")
    if args.duration is None:
        args.duration = 2.0 if args.quick else 10.0
    if args.rounds is None:
        args.rounds = 1 if args.quick else 2
    if args.rounds < 1 or args.duration / args.rounds < 1:
        parser.error("each slice (--duration / --rounds) must last at least one second")
    if args.warmup is None:
        args.warmup = 1.0 if args.quick else 2.0
    if args.output is None:
        args.output = RESULTS / "BENCHMARKS-quick.md" if args.quick else ROOT / "docs/BENCHMARKS.md"
    if urlsplit(args.database_url).hostname not in {"127.0.0.1", "localhost"}:
        parser.error("the benchmark only runs against a local PostgreSQL")
    return args


def redis_url(requested: str | None) -> str:
    """The Redis to use as the shared cache, emptied; "" when there is none."""
    if requested == "none":
        return ""
    url = requested or DEFAULT_REDIS_URL
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.RedisError as error:
        if requested:
            raise SystemExit(f"Redis at {url} does not answer: {error}") from error
        print(f"No Redis at {url}: each gunicorn worker keeps its own memory cache")
        return ""
    return url


def bench_env(database_url: str, cache_url: str = "") -> dict:
    """Production settings, made to serve plain http on 127.0.0.1."""
    env = dict(os.environ)
    env.pop("DATABASE_URL_UNPOOLED", None)
    env.pop("REDIS_URL", None)
    env.pop("VAULT_SIDEBAR_CACHE", None)
    if cache_url:
        env["REDIS_URL"] = cache_url
    env.update(
        {
            "DJANGO_ENV": "production",
            # The production settings plus one bare signed-in page (bench/urls.py).
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            # Throwaway: sessions are created afresh on every run.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "600",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            # Share pages and public prompts are rate-limited per client address, and every
            # request of the benchmark comes from 127.0.0.1: without this, all but the first
            # 120 requests a minute would measure the "too many requests" page. The API is
            # limited per key (600 a minute by default), and the benchmark uses one key. Both
            # limits still count every request, so their cost is paid.
            "PUBLIC_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
            "API_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def ensure_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"Creating database {name}")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def tool_version(command: list[str]) -> str:
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except OSError:
        return "unknown"
    output = (finished.stdout or finished.stderr).strip().splitlines()
    return output[0] if output else "unknown"


def code_version() -> str:
    """The commit measured, and whether the app's files differed from it."""
    head = tool_version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    changed = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "apps", "promptvault", "templates"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    return f"commit {head}" + (" with uncommitted changes to the app" if changed else "")


def preflight(port: int, path: str, headers: dict) -> None:
    """One request before measuring: a page that fails or redirects would measure nothing."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(
            f"GET {path} answered {response.status} "
            f"{response.getheader('Location') or body[:300]!r}; not measuring a broken page"
        )


def rewrite_report(saved: Path, output: Path) -> None:
    """Rewrite the report from a saved run; a part the run lacks comes from the report's
    figures."""
    sys.path.insert(0, str(ROOT))
    from bench import report

    run = report.upgrade(json.loads(saved.read_text()))
    parts = {**report_figures(output), **{key: run[key] for key in PARTS if key in run}}
    write_report(parts, output)
    print(f"Wrote {output} from {saved}")


PARTS = ("pages", "imports", "work")


def figures_path(output: Path) -> Path:
    """The figures a report was written from, kept beside it (docs/BENCHMARKS.json, committed
    with the report), so that measuring one part on a fresh clone keeps the other's."""
    return output.with_suffix(".json")


def report_figures(output: Path) -> dict:
    path = figures_path(output)
    if not path.exists():
        return {}
    saved = json.loads(path.read_text())
    return {part: saved[part] for part in PARTS if part in saved}


def write_report(parts: dict, output: Path) -> None:
    from bench import report

    report.write(parts, output)
    figures_path(output).write_text(json.dumps(parts, indent=1, default=str) + "\n")


def migrate(env: dict) -> dict:
    """Bring the database to the latest migrations and prove it: the figures are only worth
    anything for the schema the code expects (search reads a column a migration adds)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from bench import server

    pending = [
        migration
        for migration, _ in MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    ]
    connection.close()
    print(f"Migrating ({len(pending)} migration(s) to apply)")
    server.manage("migrate", "--noinput", "--verbosity", "0", env=env)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    still = executor.migration_plan(leaves)
    if still:
        raise RuntimeError(f"Migrations still unapplied after migrate: {still}")
    applied = sorted(f"{app}.{name}" for app, name in leaves if app in LOCAL_APPS)
    return {"applied_now": [f"{m.app_label}.{m.name}" for m in pending], "latest": applied}


LOCAL_APPS = {"accounts", "prompts", "sharing", "teams", "imports", "prompt_templates"}


def environment(args) -> dict:
    import django
    import gunicorn
    from django.db import connection

    from bench import report

    settings = {}
    with connection.cursor() as cursor:
        for name in (
            "server_version",
            "shared_buffers",
            "work_mem",
            "max_parallel_workers_per_gather",
        ):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "machine": report.machine(),
        "postgres": settings,
        "code": code_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "cache": cache_description(),
    }


def cache_description() -> str:
    from django.conf import settings

    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        import redis

        url = settings.CACHES["default"]["LOCATION"]
        version = redis.Redis.from_url(url).info("server")["redis_version"]
        return f"Redis {version} shared by the workers (REDIS_URL {url})"
    return "a memory cache in each worker (no REDIS_URL)"


def run_pages(args, env: dict, migrations: dict) -> dict:
    from django.contrib.sessions.models import Session
    from django.db import connection

    from bench import breakdown, load, report, scenarios, seed, server

    size = seed.QUICK if args.quick else seed.FULL
    if args.reseed or not seed.is_seeded(size):
        print(f"Seeding {size.prompts:,} prompts over {size.users} users")
        seed.wipe()
        seconds = seed.seed(size)
        print(f"Seeded in {seconds:.0f} s")
    else:
        print("Data set already in place (use --reseed to rebuild it)")
        if not seed.has_shares():
            print(f"Adding share links (the data set predates them): {seed.seed_shares(size):,}")
            seed.verify()
        if not seed.has_team():
            print("Seating an editor and a viewer on the heavy user's team")
            seed.seed_team()
        if not seed.has_labels(size):
            print(f"Labelling the sample prompt {seed.PRODUCTION_LABEL!r}")
            seed.seed_labels(size)
            seed.verify()
    # Measure a settled database, as autovacuum keeps one: fresh planner statistics (a
    # migration may have rewritten a table; an earlier import run added and removed rows) and
    # a current visibility map, which index-only scans need.
    print("Vacuuming and analyzing")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    part = environment(args)

    print("Collecting static files")
    server.collectstatic(env)

    Session.objects.all().delete()
    targets = scenarios.find_targets()
    credentials = scenarios.credentials(targets)
    counts = seed.data_set_counts()

    results: dict = {}
    print("Counting queries")
    for scenario in scenarios.SCENARIOS:
        path = scenario.url_path(targets)
        queries = scenarios.count_queries(path, headers=scenario.headers(credentials))
        if queries["status"] != 200:
            raise RuntimeError(f"{path} answered {queries['status']} in-process")
        results[scenario.key] = {
            "key": scenario.key,
            "label": scenario.label(targets),
            "role": scenario.role,
            "path": path,
            "auth": scenario.auth,
            "authenticated": scenario.authenticated,
            "note": scenario.note,
            "queries": queries,
        }
        if scenario.counted_by_role:
            by_role = {scenarios.OWNER: queries["queries"]}
            for role in scenarios.VAULT_ROLES[1:]:
                member_path = scenario.url_path(targets, role)
                counted = scenarios.count_only(
                    member_path, headers=scenario.headers(credentials, role)
                )
                if counted["status"] != 200:
                    raise RuntimeError(
                        f"{member_path} answered {counted['status']} in-process for the {role}"
                    )
                by_role[role] = counted["queries"]
            results[scenario.key]["queries_by_role"] = by_role
    connection.close()

    port = args.port or server.free_port()
    load_tool = (
        "wrk"
        if args.load_tool == "wrk" or (args.load_tool == "auto" and load.wrk_available())
        else "python"
    )
    load_before = load_average()
    slices: dict[str, list[dict]] = {scenario.key: [] for scenario in scenarios.SCENARIOS}
    slice_seconds = args.duration / args.rounds
    stalled: list[dict] = []
    print(f"Serving on 127.0.0.1:{port} with {args.workers} gunicorn workers; load by {load_tool}")
    with server.gunicorn(
        env=env,
        port=port,
        workers=args.workers,
        threads=args.threads,
        log_path=RESULTS / "gunicorn.log",
    ) as running:

        def drive(scenario, seconds: float, *, retake: bool = False) -> dict:
            url = f"http://127.0.0.1:{port}{results[scenario.key]['path']}"
            figures = load.measure(
                url,
                duration=seconds,
                clients=args.clients,
                headers=scenario.headers(credentials),
                tool=load_tool,
            )
            figures["drain_seconds"] = round(running.wait_until_idle(), 2)
            if retake and figures["seconds"] > seconds * STALLED_SLICE:
                # The load tool's own clock stops it on time however slow the server is: a
                # slice that ran far over was taken while the whole machine stood still (every
                # request of the moment then waits seconds). It is measured once more.
                print(
                    f"  {results[scenario.key]['label']}: a {seconds:g} s slice took "
                    f"{figures['seconds']:.1f} s; measuring it again"
                )
                stalled.append(
                    {
                        "label": results[scenario.key]["label"],
                        "set_seconds": seconds,
                        "seconds": figures["seconds"],
                        "rps": round(figures["rps"], 1),
                        "max_ms": round(figures["max_ms"], 1),
                    }
                )
                return drive(scenario, seconds)
            return figures

        for scenario in scenarios.SCENARIOS:
            preflight(port, results[scenario.key]["path"], scenario.headers(credentials))
            drive(scenario, args.warmup)
        # The machine is shared and its load drifts: each page is measured in several slices,
        # interleaved with every other page, so all pages see the same conditions on average.
        for number in range(1, args.rounds + 1):
            print(f"Round {number} of {args.rounds}")
            for scenario in scenarios.SCENARIOS:
                slices[scenario.key].append(drive(scenario, slice_seconds, retake=True))
    for scenario in scenarios.SCENARIOS:
        figures = load.combine(slices[scenario.key])
        results[scenario.key]["load"] = figures
        print(
            f"  {results[scenario.key]['label']:<55} {figures['rps']:8.1f} req/s  "
            f"p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  "
            f"errors {figures['errors']}"
        )
    load_after = load_average()
    floor_rps = results[scenarios.FLOOR.key]["load"]["rps"]
    part.update(
        {
            "migrations": migrations,
            "server": (
                f"{args.workers} workers, "
                + (f"gthread × {args.threads} threads" if args.threads > 1 else "sync")
            ),
            "load_tool": tool_version(["wrk", "--version"]).split(" Copyright")[0]
            if load_tool == "wrk"
            else ("bench/load.py (Python threads)"),
            "clients": args.clients,
            "duration": args.duration,
            "rounds": args.rounds,
            "warmup": args.warmup,
            "load_before": load_before,
            "load_after": load_after,
            "rate_limit": RATE_LIMIT,
            "api_rate_limit": RATE_LIMIT,
            "counts": counts,
            "results": results,
            "floor_runs": [part["rps"] for part in slices[scenarios.FLOOR.key]],
            "floor_rps": floor_rps,
            "stalled_slices": stalled,
        }
    )
    verdicts = report.judge(results, floor_rps)
    if not args.no_profile:
        # Aims not yet met count as misses here: the breakdown shows what is left to do.
        failing = {key for verdict in verdicts if not verdict.passed for key in verdict.keys}
        explain = [
            scenario
            for scenario in scenarios.SCENARIOS
            if scenario.key in failing or scenario.role in ("reference", "api")
        ]
        if explain:
            print("Breaking down one request of each page that misses a target, and the API's")
        for scenario in explain:
            row = results[scenario.key]
            row["breakdown"] = breakdown.explain(
                row["path"],
                headers=scenario.headers(credentials),
                save_to=RESULTS / f"profile-{scenario.key}{'-quick' if args.quick else ''}.txt",
            )
            phases = row["breakdown"]["phases"]
            print(
                f"  {row['label']:<55} {phases['total_ms']:7.1f} ms: middleware "
                f"{phases['middleware_ms']:.1f}, session and user "
                f"{phases['session_user_ms']:.1f}, view {phases['view_ms']:.1f}, template "
                f"{phases['template_ms']:.1f}, queries {phases['queries_ms']:.1f}"
            )
        connection.close()
    return part


def run_imports(args, env: dict, migrations: dict) -> dict:
    from bench import import_bench

    exports = import_bench.QUICK if args.quick else import_bench.FULL
    part = environment(args)
    print("Imports")
    load_before = load_average()
    before = import_bench.table_counts()
    results, profile = import_bench.run(exports, env=env)
    after = import_bench.table_counts()
    if after != before:
        raise RuntimeError(f"The imports left the database changed: {before} became {after}")
    part.update(
        {
            "migrations": migrations,
            "load_before": load_before,
            "results": results,
            "profile": profile,
            "load_after": load_average(),
        }
    )
    return part


def run_work(args, env: dict, migrations: dict) -> dict:
    from bench import inprocess, server

    part = environment(args)
    print("Work in one request")
    server.collectstatic(env)
    load_before = load_average()
    results = inprocess.run(quick=args.quick)
    part.update(
        {
            "migrations": migrations,
            "load_before": load_before,
            "results": results,
            "load_after": load_average(),
        }
    )
    return part


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.from_results:
        rewrite_report(args.from_results, args.output)
        return 0
    env = bench_env(args.database_url, redis_url(args.redis_url))
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    ensure_database(args.database_url)
    import django

    django.setup()
    from bench import report

    migrations = migrate(env)
    run: dict = {}
    if args.only in (None, "pages"):
        run["pages"] = run_pages(args, env, migrations)
    if args.only in (None, "imports"):
        run["imports"] = run_imports(args, env, migrations)
    if args.only in (None, "work"):
        run["work"] = run_work(args, env, migrations)

    RESULTS.mkdir(parents=True, exist_ok=True)
    parts = {**report_figures(args.output), **run}
    write_report(parts, args.output)
    raw = RESULTS / f"run-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    raw.write_text(json.dumps(run, indent=2, default=str))
    print(f"Wrote {args.output} and {raw}")
    for verdict in report.all_verdicts(parts):
        if not verdict.passed:
            print(f"  {verdict.result.strip('*')} {verdict.target}: {verdict.measured}")
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    started = time.monotonic()
    # Ctrl-C and a plain kill both unwind through the finally blocks that stop gunicorn, even
    # when the shell that started us left SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = main()
    except KeyboardInterrupt:
        print("Interrupted; gunicorn stopped.", file=sys.stderr)
        code = 130
    print(f"Finished in {time.monotonic() - started:.0f} s")
    sys.exit(code)
