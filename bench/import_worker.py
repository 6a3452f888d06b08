"""One import, start to finish, in a process of its own, as the task worker would run it.

    python bench/import_worker.py EXPORT --email import-…@imports.bench.promptvault.test

Creates the user (on the pro plan, so no limit applies), then times each step the web flow
and the worker go through: storing the upload (`session_create`), reading it into candidates
(`session_extract`), selecting every candidate, queueing the import (`session_start_import`)
and writing the prompts (`session_import`), and the time its queries took in each. Memory is
this process's resident high-water mark (VmHWM), read once Django has started and after each
step; bench/run.py also reads the peak from outside (`/usr/bin/time -v`). Not `ru_maxrss`
from inside: on Linux a process started by fork and exec inherits its parent's high-water
mark, so it would report the harness's memory, not the worker's. Prints one JSON line.

With `--profile DIR` the extraction and the write each run under cProfile (much slower: for
finding where the time goes, not for the figures); the statistics go to DIR/extract.prof and
DIR/write.prof.

The environment comes from bench/run.py: production settings, the benchmark database, and a
temporary MEDIA_ROOT for the stored upload. The caller deletes the user afterwards.
"""

import argparse
import cProfile
import json
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # reported in kB
    raise RuntimeError(f"{field} missing from /proc/self/status")


def peak_mb() -> float:
    return _status_mb("VmHWM")


def current_mb() -> float:
    return _status_mb("VmRSS")


def run(path: Path, email: str, profilers: dict[str, cProfile.Profile] | None = None) -> dict:
    import django

    django.setup()
    from django.core.files import File
    from django.db import connection

    from apps.accounts import services as account_services
    from apps.imports import services
    from apps.imports.models import ImportSession
    from apps.prompts.models import Prompt

    figures: dict = {"file": path.name, "file_bytes": path.stat().st_size}
    memory = {"after_setup": round(peak_mb(), 1)}
    steps: dict[str, float] = {}
    database: dict[str, dict] = {}
    clock = {"seconds": 0.0, "queries": 0}

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            clock["seconds"] += time.perf_counter() - started
            clock["queries"] += 1

    def step(name, function):
        clock.update(seconds=0.0, queries=0)
        profiler = (profilers or {}).get(name)
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        with connection.execute_wrapper(timed_query):
            result = function()
        if profiler is not None:
            profiler.disable()
        steps[name] = round(time.perf_counter() - started, 3)
        database[name] = {"seconds": round(clock["seconds"], 3), "queries": clock["queries"]}
        memory[f"after_{name}"] = round(peak_mb(), 1)
        return result

    user = account_services.user_create(
        email=email, password=secrets.token_urlsafe(16), name="Import benchmark"
    )
    account_services.user_set_tier(user=user, tier="pro")

    def store():
        with path.open("rb") as handle:
            return services.session_create(user=user, files=[File(handle, name=path.name)])

    session = step("store", store)
    session = step("extract", lambda: services.session_extract(session=session))
    if session.status != ImportSession.Status.READY:
        raise RuntimeError(f"extraction ended {session.status}: {session.error}")
    extracted = dict(session.metadata.get("extracted", {}))
    step("select_all", lambda: services.candidates_select_all(session=session, mode="all"))
    session = step(
        "start_import",
        lambda: services.session_start_import(
            session=session, folder=f"imports/{session.source}", tags=[]
        ),
    )
    session = step("write", lambda: services.session_import(session=session))
    if session.status != ImportSession.Status.DONE:
        raise RuntimeError(f"import ended {session.status}: {session.error}")
    imported = Prompt.objects.filter(user=user).count()
    figures.update(
        {
            "source": session.source,
            "summary": session.metadata.get("summary", ""),
            "extracted": extracted,
            "imported": session.imported_count,
            "prompts_in_vault": imported,
            "skipped": session.skipped_count,
            "skipped_detail": session.metadata.get("skipped", {}),
            "steps_s": steps,
            "database": database,
            "memory_mb": memory,
            "peak_mb": round(peak_mb(), 1),
            "rss_at_end_mb": round(current_mb(), 1),
        }
    )
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--email", required=True)
    parser.add_argument("--profile", type=Path, help="a folder for cProfile statistics")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    profilers = {name: cProfile.Profile() for name in ("extract", "write")} if args.profile else {}
    figures = run(args.path.resolve(), args.email, profilers)
    for name, profiler in profilers.items():
        profiler.dump_stats(args.profile / f"{name}.prof")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
