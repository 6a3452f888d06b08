"""One import, start to finish, in a process of its own, as the task worker would run it.

    python bench/import_worker.py EXPORT --email import-…@imports.bench.promptvault.test

Creates the user (on the pro plan, so no limit applies), then times each step the web flow
and the worker go through: storing the upload (`session_create`), reading it into candidates
(`session_extract`), selecting every candidate, queueing the import (`session_start_import`)
and writing the prompts (`session_import`). Peak memory is this process's high-water mark
(`ru_maxrss`), read after Django has started and after each step. Prints one JSON line.

The environment comes from bench/run.py: production settings, the benchmark database, and a
temporary MEDIA_ROOT for the stored upload. The caller deletes the user afterwards.
"""

import argparse
import json
import resource
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


def run(path: Path, email: str) -> dict:
    import django

    django.setup()
    from django.core.files import File

    from apps.accounts import services as account_services
    from apps.imports import services
    from apps.imports.models import ImportSession
    from apps.prompts.models import Prompt

    figures: dict = {"file": path.name, "file_bytes": path.stat().st_size}
    memory = {"after_setup": round(peak_mb(), 1)}
    steps: dict[str, float] = {}

    def step(name, function):
        started = time.perf_counter()
        result = function()
        steps[name] = round(time.perf_counter() - started, 3)
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
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    print(json.dumps(run(args.path.resolve(), args.email)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
