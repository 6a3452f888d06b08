"""The import benchmark: generated exports, each imported by bench/import_worker.py in a
process of its own, and the benchmark database left as it was.

Exports are written to a temporary folder (never the repository) by the generators in
bench/import_data.py, in the zip layout the real downloads have. Each import runs as a fresh
user on the pro plan whose address is on a domain of its own, so the seeded data set never
mixes with it; the user and everything it made are deleted after the run (and at the start,
should an interrupted run have left one behind).
"""

import io
import json
import pstats
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from bench import breakdown, import_data

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
WORKER = Path(__file__).with_name("import_worker.py")
EMAIL_DOMAIN = "imports.bench.promptvault.test"
WORKER_TIMEOUT = 3600
TIME = Path("/usr/bin/time")
RESULTS = ROOT / "bench" / "results"

# Where an import's time goes, by the code doing the work (see bench/breakdown.py).
IMPORT_AREAS = [
    (
        "reading the export (parsers, JSON, zip)",
        ("/apps/imports/parsers/", "ijson", "/zipfile", "zlib", "/json/", "_json"),
    ),
    ("import and prompt services", ("/apps/imports/", "/apps/prompts/", "/promptvault/")),
    ("ORM (building queries, making objects)", ("/django/db/",)),
    ("database driver and waiting", ("/psycopg/", "psycopg")),
    ("Django, other", ("/django/",)),
]


@dataclass(frozen=True)
class Export:
    key: str
    label: str
    source: str
    conversations: int
    # The pair of ChatGPT files whose peak memory is compared (one ten times the other).
    role: str = ""

    def write(self, folder: Path) -> tuple[Path, dict]:
        path = folder / f"{self.key}.zip"
        generate = (
            import_data.bench_chatgpt_export
            if self.source == "chatgpt"
            else import_data.bench_claude_export
        )
        return path, generate(path, conversations=self.conversations)


FULL = [
    Export("chatgpt_small", "ChatGPT, 2,000 conversations", "chatgpt", 2_000, "small"),
    Export("chatgpt_large", "ChatGPT, 20,000 conversations", "chatgpt", 20_000, "large"),
    Export("claude", "Claude, 20,000 conversations", "claude", 20_000),
]
QUICK = [
    Export("chatgpt_small", "ChatGPT, 20 conversations", "chatgpt", 20, "small"),
    Export("chatgpt_large", "ChatGPT, 200 conversations", "chatgpt", 200, "large"),
    Export("claude", "Claude, 200 conversations", "claude", 200),
]


def remove_import_users() -> int:
    """Delete every benchmark import user and what it owns, in foreign-key order (the
    database cascades nothing by itself); returns how many users went."""
    pattern = f"%@{EMAIL_DOMAIN}"
    statements = [
        "DELETE FROM import_candidates WHERE session_id IN (SELECT id FROM import_sessions "
        "WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s))",
        "DELETE FROM import_sessions WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s)",
        "DELETE FROM prompt_tags WHERE prompt_id IN (SELECT id FROM prompts "
        "WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s))",
        "DELETE FROM shares WHERE prompt_id IN (SELECT id FROM prompts "
        "WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s))",
        "DELETE FROM prompt_optimizations WHERE prompt_id IN (SELECT id FROM prompts "
        "WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s))",
        "DELETE FROM prompt_versions WHERE prompt_id IN (SELECT id FROM prompts "
        "WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s))",
        "DELETE FROM prompts WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s)",
        "DELETE FROM tags WHERE user_id IN (SELECT id FROM users WHERE email LIKE %s)",
        "DELETE FROM users WHERE email LIKE %s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [pattern])
        removed = cursor.rowcount
    return removed


def table_counts() -> dict:
    """Rows in the tables an import writes, to show the cleanup left the data set as it was."""
    counts = {}
    with connection.cursor() as cursor:
        for table in ("users", "prompts", "prompt_versions", "tags", "prompt_tags"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM import_sessions")
        counts["import_sessions"] = cursor.fetchone()[0]
    return counts


def vacuum() -> None:
    """Deleted import rows leave dead tuples behind; clear them before anything is measured."""
    with connection.cursor() as cursor:
        for table in ("prompts", "prompt_versions", "prompt_tags", "import_candidates"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _max_rss_mb(stderr: str) -> float | None:
    for line in stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1]) / 1024  # kbytes
    return None


def _run_worker(path: Path, env: dict, media_root: Path, profile: Path | None = None) -> dict:
    email = f"import-{uuid.uuid4().hex[:12]}@{EMAIL_DOMAIN}"
    worker_env = {**env, "MEDIA_ROOT": str(media_root)}
    command = [str(PYTHON), str(WORKER), str(path), "--email", email]
    if profile is not None:
        command += ["--profile", str(profile)]
    measured_outside = TIME.exists()
    if measured_outside:
        # The kernel's own account of the worker's peak, as the operations team would read it.
        command = [str(TIME), "-v", *command]
    started = time.monotonic()
    finished = subprocess.run(
        command, cwd=ROOT, env=worker_env, capture_output=True, text=True, timeout=WORKER_TIMEOUT
    )
    wall = time.monotonic() - started
    if finished.returncode != 0:
        raise RuntimeError(f"import worker failed on {path.name}:\n{finished.stderr[-3000:]}")
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    figures["process_wall_s"] = round(wall, 2)
    figures["peak_hwm_mb"] = figures["peak_mb"]
    outside = _max_rss_mb(finished.stderr) if measured_outside else None
    if outside is not None:
        figures["peak_time_v_mb"] = round(outside, 1)
        figures["peak_mb"] = max(figures["peak_mb"], round(outside, 1))
    return figures


def profile(export: Export, *, env: dict, folder: Path) -> dict:
    """Import `export` once more under cProfile and sum each step's time by area. The
    per-prompt work is the same for every size, so a small export shows where a large one's
    time goes."""
    path, _expected = export.write(folder)
    media_root = folder / "media-profile"
    media_root.mkdir()
    stats_folder = folder / "profile"
    stats_folder.mkdir()
    try:
        figures = _run_worker(path, env, media_root, profile=stats_folder)
    finally:
        remove_import_users()
    result = {"export": export.label, "imported": figures["imported"], "steps": {}}
    for name in ("extract", "write"):
        stats = pstats.Stats(str(stats_folder / f"{name}.prof"))
        text = io.StringIO()
        pstats.Stats(str(stats_folder / f"{name}.prof"), stream=text).sort_stats(
            "tottime"
        ).print_stats(40)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"profile-import-{name}.txt").write_text(text.getvalue())
        result["steps"][name] = {
            "profiled_s": round(stats.total_tt, 2),
            "per_prompt_ms": round(stats.total_tt * 1000 / max(figures["imported"], 1), 3),
            "areas_s": {
                area: round(seconds, 2)
                for area, seconds in breakdown.areas_of(stats, IMPORT_AREAS).items()
            },
            "top_functions": breakdown.top_functions(stats, 6),
        }
    return result


def run(exports: list[Export], *, env: dict, report=print) -> tuple[dict, dict]:
    """Generate each export, import it in a worker process, clean up, then profile one small
    import; returns the figures and the profile."""
    removed = remove_import_users()
    if removed:
        report(f"  Removed {removed} import user(s) left by an earlier run")
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="promptvault-bench-imports-") as folder:
        folder = Path(folder)
        for export in exports:
            report(f"  Writing {export.label}")
            started = time.monotonic()
            path, expected = export.write(folder)
            generated = time.monotonic() - started
            report(
                f"    {expected['file_bytes'] / 1e6:.1f} MB zip, "
                f"{expected['json_bytes'] / 1e6:.1f} MB of JSON, {expected['prompts']:,} prompts "
                f"expected, in {generated:.0f} s; importing"
            )
            media_root = folder / f"media-{export.key}"
            media_root.mkdir()
            try:
                figures = _run_worker(path, env, media_root)
            finally:
                remove_import_users()
                path.unlink(missing_ok=True)
            leftover = sum(1 for item in media_root.rglob("*") if item.is_file())
            results[export.key] = {
                "key": export.key,
                "label": export.label,
                "role": export.role,
                "source": export.source,
                "conversations": export.conversations,
                "expected": expected,
                "generate_s": round(generated, 1),
                "files_left_in_storage": leftover,
                **derive(figures),
            }
            row = results[export.key]
            report(
                f"    extract {row['extract_s']:.1f} s, write {row['write_s']:.1f} s "
                f"({row['write_rate']:,.0f} prompts/s), end to end {row['end_to_end_rate']:,.0f} "
                f"prompts/s, peak {row['peak_mb']:.0f} MB"
            )
        small = next((export for export in exports if export.role == "small"), exports[0])
        report(f"  Profiling an import of {small.label} (slower under the profiler)")
        profiled = profile(small, env=env, folder=folder)
    vacuum()
    return results, profiled


def derive(figures: dict) -> dict:
    """The rates the targets speak of, from the worker's step times."""
    steps = figures["steps_s"]
    imported = figures["imported"]
    extract = steps["store"] + steps["extract"]
    write = steps["start_import"] + steps["write"]
    total = sum(steps.values())
    return {
        **figures,
        "extract_s": round(extract, 2),
        "write_s": round(write, 2),
        "total_s": round(total, 2),
        "write_rate": imported / write if write else 0.0,
        "end_to_end_rate": imported / total if total else 0.0,
        "extract_rate": figures["extracted"].get("found", 0) / extract if extract else 0.0,
    }
