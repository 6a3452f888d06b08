"""Judge the measurements against the targets and write docs/BENCHMARKS.md.

A report has three parts, pages, imports and work, each from its own latest run (`--only`
measures one of them), so each part states its own date and conditions.
"""

import math
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "<!-- Everything below this line is rewritten by bench/run.py on every run. -->"

DEFAULT_INTRO = """# Benchmarks

How fast PromptVault serves a large vault and reads large chat exports. `make bench` runs
`bench/run.py`; the figures below the marker line come from it.
"""

# Page targets are shares of the empty signed-in page's requests per second in the same run:
# absolute rates differ several-fold between machines of the same kind, a ratio much less.
# The gate: no page slower, relative to that page, than in the last committed full report
# (docs/BENCHMARKS.md, pages run of 2026-11-25: each page's "vs signed-in" figure), allowing
# BASELINE_NOISE for noise. Update these when a committed report moves a page for good.
BASELINE_SHARES = {
    "vault_first": 0.16,
    "vault_deep": 0.15,
    "search_common": 0.08,
    "search_rare": 0.24,
    "prompt": 0.26,
    "history": 0.14,
    "diff": 0.22,
    "share": 0.33,
    "explore": 0.21,
}
BASELINE_NOISE = 0.9
# Aims, reported but not gates: a page that shows one object, and a page that lists many.
SINGLE_OBJECT_AIM = 0.40
LIST_AIM = 0.25
AIMS = {
    "prompt": SINGLE_OBJECT_AIM,
    "version": SINGLE_OBJECT_AIM,
    "diff": SINGLE_OBJECT_AIM,
    "share": SINGLE_OBJECT_AIM,
    "vault_first": LIST_AIM,
    "vault_deep": LIST_AIM,
    "search_common": LIST_AIM,
    "search_rare": LIST_AIM,
    "history": LIST_AIM,
    "explore": LIST_AIM,
}
# The API is measured against the floor: it renders no page and loads no session.
API_FLOOR_SHARES = {"api_prompt": 0.5, "api_list": 0.25}
DEEP_PAGE_TOLERANCE = 0.9  # page 100 may be this much of page 1's rate: noise on a shared CPU
SLOW_QUERY_MS = 10.0
SQL_SHOWN = 600

IMPORT_RATE = 2_000  # prompts a second, end to end
IMPORT_PEAK_MB = 300.0
# Two processes doing the same work never reach exactly the same high-water mark: allocator
# arenas and caches differ by a few megabytes. "No more for the large file" allows that much.
MEMORY_NOISE = 0.05


TARGET = "target"
AIM = "aim"
BY_ROLE = "queries by role"


@dataclass
class Verdict:
    target: str
    measured: str
    passed: bool
    why: str = ""
    keys: tuple = field(default_factory=tuple)  # the scenarios or exports it is about
    kind: str = TARGET  # an aim is reported as met or not yet, and fails nothing
    table: str = ""  # the report table it is shown in, when not the targets table

    @property
    def result(self) -> str:
        if self.kind == AIM:
            return "aim met" if self.passed else "not yet"
        return "PASS" if self.passed else "**FAIL**"


def gates(verdicts: list[Verdict]) -> list[Verdict]:
    return [verdict for verdict in verdicts if verdict.kind == TARGET]


def aims(verdicts: list[Verdict]) -> list[Verdict]:
    return [verdict for verdict in verdicts if verdict.kind == AIM]


def upgrade(run: dict) -> dict:
    """A saved run as {"pages": …, "imports": …, "work": …}. Runs from before the report had
    parts hold one part's figures at the top."""
    if "pages" in run or "imports" in run or "work" in run:
        return run
    run = {key: value for key, value in run.items() if key != "verdicts"}
    return {"pages" if "floor_rps" in run else "imports": run}


# --- Judging --------------------------------------------------------------------------------


def at_least(share: float, least: float) -> bool:
    """`share` ≥ `least`, where a share exactly at the limit passes despite float rounding
    (0.16 × 0.9 is 0.14400000000000002)."""
    return share >= least or math.isclose(share, least)


def reference_rps(results: dict) -> float:
    """The empty signed-in page's requests per second, which page targets are shares of."""
    reference = next((row for row in results.values() if row["role"] == "reference"), None)
    return reference["load"]["rps"] if reference else 0.0


def judge(results: dict, floor_rps: float) -> list[Verdict]:
    verdicts = []
    signed_in_rps = reference_rps(results)
    pages = [row for row in results.values() if row["role"] == "page"]
    for row in pages:
        rps = row["load"]["rps"]
        share = rps / signed_in_rps if signed_in_rps else 0.0
        measured = (
            f"{rps:.0f} req/s = {share:.1%} of the empty signed-in page ({signed_in_rps:.0f} req/s)"
        )
        baseline = BASELINE_SHARES.get(row["key"])
        if baseline is not None:
            least = baseline * BASELINE_NOISE
            verdicts.append(
                Verdict(
                    target=(
                        f"{row['label']}: at least {least:.1%} of the empty signed-in page's "
                        f"requests per second"
                    ),
                    measured=measured,
                    passed=at_least(share, least),
                    why=f"{BASELINE_NOISE:.0%} of {baseline:.0%}, its share in the last "
                    "committed report",
                    keys=(row["key"],),
                )
            )
        aim = AIMS.get(row["key"])
        if aim is not None:
            verdicts.append(
                Verdict(
                    target=f"{row['label']}: aim {aim:.0%} of the empty signed-in page",
                    measured=measured,
                    passed=at_least(share, aim),
                    keys=(row["key"],),
                    kind=AIM,
                )
            )
    for row in results.values():
        share = API_FLOOR_SHARES.get(row["key"])
        if row["role"] != "api" or share is None:
            continue
        rps = row["load"]["rps"]
        measured_share = rps / floor_rps if floor_rps else 0.0
        verdicts.append(
            Verdict(
                target=f"{row['label']}: at least {share:.0%} of the floor's requests per second",
                measured=(
                    f"{rps:.0f} req/s = {measured_share:.0%} of the floor ({floor_rps:.0f} req/s)"
                ),
                passed=at_least(measured_share, share),
                keys=(row["key"],),
            )
        )
    first, deep = results.get("vault_first"), results.get("vault_deep")
    if first and deep:
        ratio = deep["load"]["rps"] / first["load"]["rps"] if first["load"]["rps"] else 0.0
        slower = deep["load"]["p50_ms"] / first["load"]["p50_ms"] if first["load"]["p50_ms"] else 0
        verdicts.append(
            Verdict(
                target=f"{deep['label']} as fast as the first page",
                measured=(
                    f"{deep['load']['rps']:.0f} against {first['load']['rps']:.0f} req/s "
                    f"({ratio:.0%}); p50 {deep['load']['p50_ms']:.1f} against "
                    f"{first['load']['p50_ms']:.1f} ms; alone {deep['queries']['app_ms']:.1f} "
                    f"against {first['queries']['app_ms']:.1f} ms"
                ),
                passed=ratio >= DEEP_PAGE_TOLERANCE and slower <= 1 / DEEP_PAGE_TOLERANCE,
                why=(
                    f"equal within {1 - DEEP_PAGE_TOLERANCE:.0%} in both rate and median "
                    "latency, to allow for noise"
                ),
                keys=("vault_first", "vault_deep"),
            )
        )
    for row in results.values():
        counts = row.get("queries_by_role")
        if counts:
            verdicts.append(
                Verdict(
                    target=f"{row['label']}: the same queries for the owner, an editor and a "
                    "viewer",
                    measured=", ".join(f"{role} {count}" for role, count in counts.items()),
                    passed=len(set(counts.values())) == 1,
                    keys=(row["key"],),
                    table=BY_ROLE,
                )
            )
    for row in results.values():
        if row["load"]["errors"]:
            verdicts.append(
                Verdict(
                    target=f"{row['label']}: no failed requests",
                    measured=f"{row['load']['errors']} errors: {row['load']['error_detail']}",
                    passed=False,
                    keys=(row["key"],),
                )
            )
    return verdicts


def judge_imports(results: dict) -> list[Verdict]:
    verdicts = []
    for row in results.values():
        expected = row["expected"]["prompts"]
        verdicts.append(
            Verdict(
                target=f"{row['label']}: every prompt in the file imported",
                measured=f"{row['imported']:,} of {expected:,}",
                passed=row["imported"] == expected,
                why="a check that the figures measure a working import, not a target",
                keys=(row["key"],),
            )
        )
        verdicts.append(
            Verdict(
                target=f"{row['label']}: at least {IMPORT_RATE:,} prompts a second end to end",
                measured=(
                    f"{row['end_to_end_rate']:,.0f} prompts/s ({row['imported']:,} prompts in "
                    f"{row['total_s']:.1f} s)"
                ),
                passed=row["end_to_end_rate"] >= IMPORT_RATE,
                keys=(row["key"],),
            )
        )
        verdicts.append(
            Verdict(
                target=f"{row['label']}: peak memory under {IMPORT_PEAK_MB:.0f} MB",
                measured=f"{row['peak_mb']:.0f} MB",
                passed=row["peak_mb"] < IMPORT_PEAK_MB,
                keys=(row["key"],),
            )
        )
    small = next((row for row in results.values() if row.get("role") == "small"), None)
    large = next((row for row in results.values() if row.get("role") == "large"), None)
    if small and large:
        verdicts.append(
            Verdict(
                target=(
                    f"Peak memory no higher for {large['label']} "
                    f"({large['expected']['json_bytes'] / 1e6:.0f} MB) than for "
                    f"{small['label']} ({small['expected']['json_bytes'] / 1e6:.0f} MB)"
                ),
                measured=f"{large['peak_mb']:.0f} MB against {small['peak_mb']:.0f} MB",
                passed=large["peak_mb"] <= small["peak_mb"] * (1 + MEMORY_NOISE),
                why=f"equal within {MEMORY_NOISE:.0%}, the spread between identical runs",
                keys=(small["key"], large["key"]),
            )
        )
    return verdicts


def judge_work(results: dict) -> list[Verdict]:
    return [
        Verdict(
            target=f"{row['label']}: under {row['target_ms'] / 1000:g} s",
            measured=f"median {row['median_ms']:.0f} ms, max {row['max_ms']:.0f} ms",
            passed=row["median_ms"] < row["target_ms"],
            why="the median of the timed requests",
            keys=(row["key"],),
        )
        for row in results.values()
    ]


def all_verdicts(parts: dict) -> list[Verdict]:
    verdicts = []
    if "pages" in parts:
        verdicts += judge(parts["pages"]["results"], parts["pages"]["floor_rps"])
    if "imports" in parts:
        verdicts += judge_imports(parts["imports"]["results"])
    if "work" in parts:
        verdicts += judge_work(parts["work"]["results"])
    return verdicts


# --- Writing --------------------------------------------------------------------------------


def machine() -> dict:
    memory_gb = 0.0
    cpu_model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = int(line.split()[1]) / 1024 / 1024
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model,
        "memory_gb": round(memory_gb, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def _intro(path: Path) -> str:
    if path.exists():
        text = path.read_text()
        if MARKER in text:
            return text.split(MARKER, 1)[0].rstrip() + "\n"
    return DEFAULT_INTRO


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _stalled_lines(part: dict) -> list[str]:
    """The slices measured again because the machine stood still while they ran."""
    stalled = part.get("stalled_slices") or []
    if not stalled:
        return []
    named = "; ".join(
        f"{entry['label']} ({entry['seconds']:.1f} s for a {entry['set_seconds']:g} s slice, "
        f"{entry['rps']:.0f} req/s, slowest request {entry['max_ms']:.0f} ms)"
        for entry in stalled
    )
    return [
        "- Measured again: a slice whose wall time ran more than half again over its set time "
        "was taken while the whole machine stood still (the load tool's own clock stops it "
        "on time however slow the server is), so it was dropped and measured once more: "
        + named
        + "."
    ]


def _machine_line(part: dict) -> str:
    info = part["machine"]
    return (
        f"- Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB RAM, "
        f"{info['os']}. **Shared machine**: other people's test suites run on the same "
        f"{info['cores']} cores (load average {part['load_before']} before, "
        f"{part['load_after']} after), so absolute figures are noisy."
    )


def _software_line(part: dict, extra: str = "") -> str:
    postgres = part["postgres"]
    migrations = part.get("migrations", {})
    latest = ", ".join(migrations.get("latest", []))
    applied = migrations.get("applied_now", [])
    return (
        f"- Software: PostgreSQL {postgres['server_version']} (shared_buffers "
        f"{postgres['shared_buffers']}, work_mem {postgres['work_mem']}, "
        f"max_parallel_workers_per_gather {postgres['max_parallel_workers_per_gather']}), "
        f"Python {part['machine']['python']}, Django {part['django']}{extra}, production "
        f"settings"
        + (f", cache: {part['cache']}" if part.get("cache") else "")
        + f". Code: {part['code']}."
        + (
            f" Schema at the latest migrations ({latest})"
            + (f"; this run applied {len(applied)} of them first" if applied else "")
            + "."
            if latest
            else ""
        )
    )


def _summary(parts: dict) -> list[str]:
    verdicts = all_verdicts(parts)
    targets = gates(verdicts)
    failed = [verdict for verdict in targets if not verdict.passed]
    lines = [
        "## Summary",
        "",
        f"{len(targets) - len(failed)} of {len(targets)} targets and checks met.",
    ]
    goals = aims(verdicts)
    if goals:
        met = sum(verdict.passed for verdict in goals)
        lines[-1] += f" Aims (not targets): {met} of {len(goals)} met."
    if failed:
        lines += ["", "Missed:", ""]
        lines += [f"- {verdict.target}: {verdict.measured}" for verdict in failed]
    return lines


def _verdict_table(verdicts: list[Verdict]) -> list[str]:
    lines = ["| Target | Measured | Result |", "|---|---|---|"]
    for verdict in verdicts:
        note = f" ({verdict.why})" if verdict.why else ""
        lines.append(f"| {verdict.target} | {verdict.measured}{note} | {verdict.result} |")
    return lines


def _pages(part: dict) -> list[str]:
    results = part["results"]
    floor_rps = part["floor_rps"]
    counts = part["counts"]
    reference = next((row for row in results.values() if row["role"] == "reference"), None)
    signed_in_rps = reference_rps(results)
    lines = [
        f"## Pages: run of {part['date']}",
        "",
        _machine_line(part) + " Compare pages within the run.",
        _software_line(part, f", gunicorn {part['gunicorn']} ({part['server']})"),
        f"- Load: {part['load_tool']}, {part['clients']} concurrent clients (keep-alive "
        "where the server allows it; gunicorn's sync workers close the connection after "
        f"each response), {part['duration']:g} s per page after a {part['warmup']:g} s warm-up"
        + (
            f", in {part['rounds']} slices of {part['duration'] / part['rounds']:g} s "
            "interleaved with the other pages so that drifting load on the shared machine "
            "affects every page alike (percentiles merged from each slice's; exact to within "
            "a percentile rank)"
            if part["rounds"] > 1
            else ""
        )
        + "; server and client on 127.0.0.1. Every response that is not a 200 counts as an "
        "error.",
        *_stalled_lines(part),
        f"- The server ran with `PUBLIC_RATE_LIMIT_PER_MINUTE={part.get('rate_limit', 0)}`"
        + (
            f" and `API_RATE_LIMIT_PER_MINUTE={part['api_rate_limit']}`"
            if part.get("api_rate_limit")
            else ""
        )
        + ": share pages and public prompts are rate-limited per client address (120 a minute "
        "by default) and the API per key (600 a minute), and every benchmark request comes "
        "from 127.0.0.1 with one key, so with the default limits the share page and the API "
        "would measure the 429 answer. The limits' own cost (a cache increment per request) "
        "is still paid.",
        f"- Data set{' (quick smoke run, not the full size)' if part['quick'] else ''}: "
        f"{counts['users']:,} users, {counts['prompts']:,} prompts "
        f"({counts.get('public_prompts', 0):,} public), {counts['versions']:,} versions, "
        f"{counts['tags']:,} tags, {counts['prompt_tags']:,} prompt–tag links, "
        f"{counts.get('shares', 0):,} share links ({counts.get('live_shares', 0):,} live, "
        f"{counts.get('pinned_shares', 0):,} pinned to a version). The measured user owns "
        f"{counts['heavy_prompts']:,} prompts ({counts['heavy_versions']:,} versions, "
        f"{counts['heavy_tags']} tags, {counts['heavy_prompt_tags']:,} links, "
        f"{counts.get('heavy_shares', 0):,} share links); the common search word is in "
        f"{counts['common_word_prompts']:,} of them, the rare one in "
        f"{counts['rare_word_prompts']}."
        + (
            f" Their team: {counts['heavy_editors']} editor and {counts['heavy_viewers']} "
            f"viewer; {counts['labels']} label (`production` on the sample prompt, one "
            f"version behind its newest); {counts['heavy_api_keys']} live API key (read), "
            "made afresh by the run."
            if "heavy_editors" in counts
            else ""
        ),
        "",
        "### Requests per second",
        "",
        "| Page | Path | requests | req/s | p50 ms | p95 ms | p99 ms | errors | queries | "
        "vs floor | vs signed-in |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results.values():
        load = row["load"]
        share = load["rps"] / floor_rps if floor_rps else 0.0
        signed_in = load["rps"] / signed_in_rps if signed_in_rps else 0.0
        label = row["label"] + (f" ({row['note']})" if row.get("note") else "")
        lines.append(
            f"| {label} | `{row['path']}` | {load['requests']:,} | {load['rps']:.0f} | "
            f"{_ms(load['p50_ms'])} | {_ms(load['p95_ms'])} | {_ms(load['p99_ms'])} | "
            f"{load['errors']} | {row['queries']['queries']} | {share:.0%} | "
            f"{signed_in:.0%} |"
        )
    floor_runs = ", ".join(f"{rps:.0f}" for rps in part["floor_runs"])
    lines += [
        "",
        "Two references: the floor is `/healthz` (no session, one `SELECT 1`, a small JSON "
        f"body), {floor_rps:.0f} req/s over the run"
        + (f" ({floor_runs} in its slices)" if len(part["floor_runs"]) > 1 else "")
        + '; "vs floor" compares with it, as the API targets do (for pages it is '
        'information only). "vs signed-in" compares with the empty signed-in page'
        + (f" ({signed_in_rps:.0f} req/s)" if reference else "")
        + ": the session and user look-ups, the middleware and the base layout with nothing "
        "in it, which every signed-in page pays before its own work (it exists only in the "
        "benchmark's URLs, `bench/urls.py`); the page targets are shares of it, since it "
        "moves with the machine as the pages do. The p95 and p99 figures are reported, not "
        "judged. After every slice the harness waits until gunicorn has finished the "
        "requests still queued, so one page's backlog never slows the next.",
    ]
    if any(row["load"]["requests"] < 100 for row in results.values()):
        lines += [
            "",
            "Pages with fewer than 100 requests give few samples: their percentiles are "
            "rough, and optimistic, since a load run that stops on time drops the requests "
            "still waiting in the queue.",
        ]
    verdicts = judge(results, floor_rps)
    targets = gates(verdicts)
    failed = [verdict for verdict in targets if not verdict.passed]
    shown = [verdict for verdict in targets if not verdict.table]
    lines += ["", "### Targets", "", *_verdict_table(shown)]
    by_role = {verdict.keys[0]: verdict for verdict in targets if verdict.table == BY_ROLE}
    lines += [
        "",
        f"{len(targets) - len(failed)} of {len(targets)} page and API targets met"
        + (", the queries by role below included." if by_role else "."),
    ]
    goals = aims(verdicts)
    if goals:
        lines += [
            "",
            "### Aims",
            "",
            f"Where the pages should get to, as shares of the empty signed-in page: "
            f"{SINGLE_OBJECT_AIM:.0%} for a page that shows one object, {LIST_AIM:.0%} for a "
            "page that lists many. Reported, not judged.",
            "",
            *_verdict_table(goals),
            "",
            f"{sum(verdict.passed for verdict in goals)} of {len(goals)} aims met.",
        ]
    if by_role:
        roles = list(results[next(iter(by_role))]["queries_by_role"])
        lines += [
            "",
            "### Queries by role",
            "",
            "Each signed-in page's queries, counted in-process (one warm request) as the "
            "vault's owner and as the editor and the viewer on their team, who name the vault "
            "(`?vault=<owner id>`) on pages that list it. Target: the same count for all three.",
            "",
            "| Page | " + " | ".join(roles) + " | Result |",
            "|---|" + "---:|" * len(roles) + "---|",
        ]
        for key, verdict in by_role.items():
            counts = results[key]["queries_by_role"]
            lines.append(
                f"| {results[key]['label']} | "
                + " | ".join(str(counts[role]) for role in roles)
                + f" | {verdict.result} |"
            )
    cores = part["machine"]["cores"]
    lines += [
        "",
        "### Time per request without concurrency",
        "",
        "Measured in-process with Django's test client, one request at a time, before the "
        "server starts: the median of five requests, and for one of them the number of "
        "queries, their total time and the slowest. The rest of a request's time is Python: "
        "middleware, view and template rendering. With one request per core at a time, "
        f"{cores} cores serve at most about {cores} × 1000 / (request ms) requests per second.",
        "",
        "| Page | request ms | queries | DB ms | slowest query ms | HTML KB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in results.values():
        queries = row["queries"]
        lines.append(
            f"| {row['label']} | {_ms(queries['app_ms'])} | {queries['queries']} | "
            f"{_ms(queries['db_ms'])} | {_ms(queries['slowest_ms'])} | "
            f"{queries['bytes'] / 1024:.0f} |"
        )
    lines += _breakdowns(part, reference)
    slow = [row for row in results.values() if row["queries"]["slowest_ms"] >= SLOW_QUERY_MS]
    if slow:
        lines += [
            "",
            f"### Queries over {SLOW_QUERY_MS:.0f} ms",
            "",
            "The slowest query of each page where one took that long (in the request above):",
            "",
        ]
        for row in slow:
            sql = " ".join(row["queries"]["slowest_sql"].split())
            if len(sql) > SQL_SHOWN:
                sql = sql[:SQL_SHOWN] + " …"
            lines += [
                f"- {row['label']}, {row['queries']['slowest_ms']:.1f} ms:",
                "",
                "  ```sql",
                f"  {sql}",
                "  ```",
            ]
    return lines


def _breakdowns(part: dict, reference: dict | None) -> list[str]:
    rows = [row for row in part["results"].values() if row.get("breakdown")]
    if not rows:
        return []
    reference_ms = (
        reference["breakdown"]["phases"]["total_ms"]
        if reference and reference.get("breakdown")
        else None
    )
    lines = [
        "",
        "### Where the time goes",
        "",
        "One request of each page that misses a target or an aim, of each API call, and of "
        "the empty signed-in page for comparison, in-process against the same database, no "
        "other load from this process. *Split* times the median of seven requests with "
        "hooks and no profiler, each phase without the phases nested in it: the middleware's "
        "own work (CSRF, messages, security headers), loading the session and the user "
        "(lazily, when the view or the layout first asks for the user), the view's own "
        "Python (ORM objects it builds included), template rendering (and any ORM work a "
        "lazy queryset does from the template), and query round trips wherever they run. "
        "*Profile* is a separate request under cProfile, which inflates Python-heavy code, "
        "so compare its areas with each other rather than with the split; the costliest "
        "functions by own time follow. Full profiles are in "
        "`bench/results/profile-<page>.txt` after a run. An API call has no session: its "
        "key is looked up (and its rate limit counted) inside the view, so that time is "
        "under view and queries.",
        "",
    ]
    if reference_ms is not None:
        lines += [
            f"The empty signed-in page takes {reference_ms:.1f} ms here: every signed-in page "
            "pays that before its own work. (Rates under load also pay for gunicorn and the "
            "sockets, which this split leaves out, so its times are not the inverse of the "
            "rates.)",
            "",
        ]
    lines += [
        "| Page | split: total ms | middleware | session and user | view | template | "
        "queries (n) | profile: largest areas (own ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        phases = row["breakdown"]["phases"]
        areas = row["breakdown"]["profile"]["areas_ms"]
        top_areas = "; ".join(f"{area} {ms:.1f}" for area, ms in list(areas.items())[:3])
        lines.append(
            f"| {row['label']} | {_ms(phases['total_ms'])} | {_ms(phases['middleware_ms'])} | "
            f"{_ms(phases.get('session_user_ms', 0.0))} | {_ms(phases['view_ms'])} | "
            f"{_ms(phases['template_ms'])} | "
            f"{_ms(phases['queries_ms'])} ({phases['query_count']}) | {top_areas} |"
        )
    lines += ["", "Costliest functions by own time, per page (cProfile, one request):", ""]
    for row in rows:
        top = row["breakdown"]["profile"]["top_functions"][:4]
        listed = "; ".join(
            f"`{item['function']}` {item['own_ms']:.1f} ms × {item['calls']}" for item in top
        )
        lines.append(f"- {row['label']}: {listed}")
    lines += [
        "",
        "Slowest queries of each of those requests (ms in the request; the plan of the "
        "slowest read, from EXPLAIN (ANALYZE, BUFFERS) run just after, folded):",
        "",
    ]
    for row in rows:
        queries = row["breakdown"].get("queries", [])
        if not queries:
            continue
        listed = "; ".join(f"{_query_name(item['sql'])} {item['ms']:.1f}" for item in queries)
        lines.append(f"- {row['label']}: {listed}")
        planned = next((item for item in queries if item["plan"]), None)
        if planned:
            sql = " ".join(planned["sql"].split())
            if len(sql) > SQL_SHOWN:
                sql = sql[:SQL_SHOWN] + " …"
            lines += [
                "",
                "  <details><summary>Plan of " + _query_name(planned["sql"]) + "</summary>",
                "",
                "  ```sql",
                f"  {sql}",
                "  ```",
                "",
                "  ```",
                *[f"  {line}" for line in planned["plan"]],
                "  ```",
                "",
                "  </details>",
                "",
            ]
    return lines


def _query_name(sql: str) -> str:
    """A short name for a query: its verb and main table (outside any subquery), and what it
    reads when that says more (a count, a distinct list, groups)."""
    depth, top_level = 0, []
    for character in sql:
        depth += character == "("
        top_level.append(character if depth == 0 else " ")
        depth -= character == ")"
    words = "".join(top_level).split()
    upper = [word.upper() for word in words]
    verb = upper[0] if upper else "?"
    table = ""
    for keyword in ("FROM", "INTO", "UPDATE"):
        if keyword in upper:
            index = upper.index(keyword)
            table = words[index + 1] if index + 1 < len(words) else ""
            break
    head = upper[: upper.index("FROM")] if "FROM" in upper else []
    detail = ""
    if "GROUP" in upper:
        detail = " grouped"
    elif upper[1:2] == ["DISTINCT"]:
        detail = " distinct"
    elif any(word.startswith("COUNT") for word in head):
        detail = " count"
    return f"`{verb}{detail} {table.strip(chr(34))}`"


def _step_cells(row: dict):
    def cell(name: str) -> str:
        queries = row.get("database", {}).get(name)
        inner = f" ({queries['seconds']:.1f})" if queries else ""
        return f"{row['steps_s'][name]:.1f}{inner}"

    return cell


def _imports(part: dict) -> list[str]:
    results = part["results"]
    lines = [
        f"## Imports: run of {part['date']}",
        "",
        _machine_line(part),
        _software_line(part),
        "- Method: each export is generated by `bench/import_data.py` into a temporary folder, "
        "as a zip laid out like the real download, then imported by `bench/import_worker.py` "
        "in a process of its own (imports run in the task worker in production) as a fresh "
        "user on the pro plan, so no limit applies. The worker calls the import services "
        "the web flow and the task use: `session_create` (stores the upload in "
        "`MEDIA_ROOT`, a temporary folder here) and `session_extract` (detects the source, "
        "reads the file into candidates) make *extract*; every candidate is then selected "
        "(earlier drafts of edited ChatGPT prompts start unselected); "
        "`session_start_import` and `session_import` make *write*. *End to end* is prompts "
        "imported over the time of every step, selection included. Peak memory is the "
        "worker's peak resident memory, Django and the app included: the larger of "
        "`/usr/bin/time -v`'s maximum resident set size and the process's own VmHWM (not "
        "`ru_maxrss` read from inside: a process started by fork and exec inherits its "
        "parent's high-water mark, here the harness's). The user and all it made are "
        "deleted afterwards, so the page data set stays as seeded.",
        "",
        "| Export | zip MB | JSON MB | prompts imported | extract s | write s | "
        "write prompts/s | end to end prompts/s | peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results.values():
        expected = row["expected"]
        lines.append(
            f"| {row['label']} | {expected['file_bytes'] / 1e6:.1f} | "
            f"{expected['json_bytes'] / 1e6:.1f} | {row['imported']:,} | "
            f"{row['extract_s']:.1f} | {row['write_s']:.1f} | {row['write_rate']:,.0f} | "
            f"{row['end_to_end_rate']:,.0f} | {row['peak_mb']:.0f} |"
        )
    lines += [
        "",
        "Each step in seconds (of which waiting for PostgreSQL, in brackets), and the "
        "worker's resident high-water mark (MB) once Django is loaded and after each step:",
        "",
        "| Export | store | extract | select all | start | write | memory: loaded | "
        "after extract | after write |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results.values():
        memory = row["memory_mb"]
        cell = _step_cells(row)
        lines.append(
            f"| {row['label']} | {cell('store')} | {cell('extract')} | {cell('select_all')} | "
            f"{cell('start_import')} | {cell('write')} | {memory['after_setup']:.0f} | "
            f"{memory['after_extract']:.0f} | {memory['after_write']:.0f} |"
        )
    profile = part.get("profile")
    if profile:
        lines += [
            "",
            f"Where the time goes: {profile['export']} imported once more under cProfile "
            f"({profile['imported']:,} prompts; the per-prompt work is the same at any size, "
            "and the profiler slows Python down, so read the shares, not the totals). Own "
            "time by area, builtins and the standard library counted for their callers; "
            "full listings in `bench/results/profile-import-<step>.txt` after a run.",
            "",
            "| Step | profiled s | per prompt ms | areas (s) | costliest functions (own ms) |",
            "|---|---:|---:|---|---|",
        ]
        for name, step in profile["steps"].items():
            areas = "; ".join(f"{area} {seconds:.2f}" for area, seconds in step["areas_s"].items())
            top = "; ".join(
                f"`{item['function']}` {item['own_ms']:.0f}" for item in step["top_functions"][:3]
            )
            lines.append(
                f"| {name} | {step['profiled_s']:.2f} | {step['per_prompt_ms']:.3f} | {areas} | "
                f"{top} |"
            )
    verdicts = judge_imports(results)
    lines += ["", "### Targets", "", "| Target | Measured | Result |", "|---|---|---|"]
    for verdict in verdicts:
        note = f" ({verdict.why})" if verdict.why else ""
        lines.append(
            f"| {verdict.target} | {verdict.measured}{note} | "
            f"{'PASS' if verdict.passed else '**FAIL**'} |"
        )
    failed = [verdict for verdict in verdicts if not verdict.passed]
    lines += ["", f"{len(verdicts) - len(failed)} of {len(verdicts)} import targets met."]
    return lines


def _work(part: dict) -> list[str]:
    results = part["results"]
    runs = next(iter(results.values()))["runs"] if results else 0
    lines = [
        f"## Work in one request: run of {part['date']}",
        "",
        _machine_line(part),
        _software_line(part),
        "- Method: `bench/inprocess.py` makes the data as a user of its own (deleted "
        "afterwards), then requests each page in-process with Django's test client, through "
        f"every middleware and template, one request at a time: one warm-up, then {runs} "
        "timed requests. *Wall* is what a visitor waits for (the targets are its median); "
        "*CPU* is this process's own time, which other work on the shared machine disturbs "
        "less (PostgreSQL's time is not in it).",
        "",
        "| Page | wall median ms | wall max ms | CPU median ms | queries | HTML KB | target | "
        "result |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    passed = {verdict.keys[0]: verdict.passed for verdict in judge_work(results)}
    for row in results.values():
        lines.append(
            f"| {row['label']} | {_ms(row['median_ms'])} | {_ms(row['max_ms'])} | "
            f"{_ms(row['cpu_median_ms'])} | {row['queries']} | {row['bytes'] / 1024:.0f} | "
            f"{row['target_ms']:.0f} ms | {'PASS' if passed[row['key']] else '**FAIL**'} |"
        )
    lines += ["", "What each page works on:", ""]
    lines += [f"- {row['label']}: {row['detail']}." for row in results.values()]
    return lines


def render(parts: dict, path: Path) -> str:
    lines = [_intro(path), MARKER, ""]
    lines += _summary(parts)
    if "pages" in parts:
        lines += ["", *_pages(parts["pages"])]
    if "imports" in parts:
        lines += ["", *_imports(parts["imports"])]
    if "work" in parts:
        lines += ["", *_work(parts["work"])]
    return "\n".join(lines) + "\n"


def write(parts: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(parts, path))
