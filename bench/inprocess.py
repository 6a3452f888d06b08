"""The work benchmark: pages whose cost is what one request computes, timed in this process
with the real Django stack (production settings, the benchmark's PostgreSQL, the test client
through every middleware and template), one request at a time.

- The diff of two 24 KB versions that differ everywhere (every line has changed words), and
  of two 4,000-line versions where every other line has moved, inline and side by side.
- The public gallery's search when 24 public prompts of 190 KB each match the query.
- The prompt analyzer (`apps/prompts/analyzer.py`, what the editor's prompt check runs as
  the person types) on prompts of 10 KB and 100 KB, and on the slowest of several degenerate
  100 KB texts (random characters, "1 " or "{{x}} " repeated…): the function itself, with no
  request around it, since its own time is what the target speaks of.

Each request is timed several times after a warm-up: wall time, which is what a visitor
waits for and what the targets speak of, and this process's CPU time, which the other work
on a shared machine disturbs less (PostgreSQL's own time is not in it). The data is made by a
user of its own on a domain of its own and deleted afterwards, and at the start should an
interrupted run have left it behind, so the page data set stays as seeded.
"""

import json
import random
import secrets
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.prompts import services
from apps.prompts.analyzer import analyze
from apps.prompts.diff import diff_texts
from bench import corpus, scenarios

EMAIL_DOMAIN = "work.bench.promptvault.test"
RANDOM_SEED = 20_251_202
RUNS = 5
QUICK_RUNS = 3

DIFF_TARGET_MS = 1_000.0
SEARCH_TARGET_MS = 300.0
ANALYZER_TARGET_MS = 50.0
ANALYZER_SIZES = {"analyzer_10kb": 10_000, "analyzer_100kb": 100_000}
ANALYZER_WORST_CHARS = 100_000
# The analyzer takes milliseconds: more runs, so one disturbed run moves the median less.
ANALYZER_RUNS_PER_RUN = 4

DIFF_TEXT_CHARS = 24_000
DIFF_LINES = 4_000
GALLERY_PROMPTS = 24
GALLERY_PROMPT_CHARS = 190_000
# In no other prompt of the data set (corpus.py's words never contain it), so exactly the
# prompts made here match.
SEARCH_WORD = "quokka"
SEARCH_LINE = f"Keep the {SEARCH_WORD} mascot out of formal replies."


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    target_ms: float


CASES = [
    Case(
        "diff_everywhere_inline",
        "Diff, two 24 KB versions that differ everywhere, inline",
        DIFF_TARGET_MS,
    ),
    Case(
        "diff_everywhere_side",
        "Diff, two 24 KB versions that differ everywhere, side by side",
        DIFF_TARGET_MS,
    ),
    Case(
        "diff_moved_inline",
        "Diff, two 4,000-line versions with lines moved around, inline",
        DIFF_TARGET_MS,
    ),
    Case(
        "diff_moved_side",
        "Diff, two 4,000-line versions with lines moved around, side by side",
        DIFF_TARGET_MS,
    ),
    Case(
        "gallery_search",
        f"Gallery search (anonymous), {GALLERY_PROMPTS} public prompts of 190 KB match",
        SEARCH_TARGET_MS,
    ),
]
ANALYZER_CASES = [
    Case("analyzer_10kb", "Prompt analyzer, a 10 KB prompt (the function)", ANALYZER_TARGET_MS),
    Case("analyzer_100kb", "Prompt analyzer, a 100 KB prompt (the function)", ANALYZER_TARGET_MS),
    Case(
        "analyzer_worst",
        "Prompt analyzer, the slowest of 7 degenerate 100 KB texts (the function)",
        ANALYZER_TARGET_MS,
    ),
]


# --- Texts ------------------------------------------------------------------------------------


def _vocabulary() -> list[str]:
    sentences = corpus.ROLES + corpus.TASKS + corpus.DETAILS
    return sorted({word.strip(".,:{}") for line in sentences for word in line.split()} - {""})


def texts_that_differ_everywhere(rng: random.Random) -> tuple[str, str]:
    """About 24 KB of paragraphs of 400 to 8,000 characters; in the second version a quarter
    of the words of every paragraph are different. Comparing such paragraphs word by word
    with difflib took seconds each."""
    sentences = corpus.ROLES + corpus.TASKS + corpus.DETAILS
    words = _vocabulary()
    old_lines: list[str] = []
    new_lines: list[str] = []
    total = 0
    while total < DIFF_TEXT_CHARS:
        length = rng.randint(400, 8_000)
        paragraph = ""
        while len(paragraph) < length:
            paragraph += (" " if paragraph else "") + rng.choice(sentences)
        paragraph = paragraph[: DIFF_TEXT_CHARS - total].rstrip() or "End."
        old_lines.append(paragraph)
        new_lines.append(
            " ".join(
                rng.choice(words) if rng.random() < 0.25 else word for word in paragraph.split()
            )
        )
        total += len(paragraph) + 1
    return "\n".join(old_lines), "\n".join(new_lines)


def texts_with_lines_moved(rng: random.Random) -> tuple[str, str]:
    """4,000 numbered lines in paragraphs of nine with a blank line between; in the second
    version every other line has moved to where another one was. Matching such versions line
    by line with difflib takes seconds."""
    words = _vocabulary()
    lines = [
        "" if number % 10 == 9 else f"{number + 1}. " + " ".join(rng.sample(words, 4))
        for number in range(DIFF_LINES)
    ]
    moving = [index for index in range(1, DIFF_LINES, 2) if lines[index]]
    moved = [lines[index] for index in moving]
    rng.shuffle(moved)
    new_lines = lines[:]
    for index, line in zip(moving, moved, strict=True):
        new_lines[index] = line
    return "\n".join(lines), "\n".join(new_lines)


def gallery_text(rng: random.Random, number: int) -> str:
    """190 KB of prompt text with SEARCH_WORD in a line every few kilobytes, the last one near
    the end, so a highlighted snippet has the whole text to look through."""
    sentences = corpus.ROLES + corpus.TASKS + corpus.DETAILS
    lines = [f"Gallery benchmark prompt {number}. {SEARCH_LINE}"]
    total = len(lines[0])
    while total < GALLERY_PROMPT_CHARS - 200:
        line = SEARCH_LINE if len(lines) % 40 == 0 else rng.choice(sentences)
        lines.append(line)
        total += len(line) + 1
    lines.append(SEARCH_LINE)
    return "\n".join(lines)[:GALLERY_PROMPT_CHARS]


def analyzer_text(rng: random.Random, size: int) -> str:
    """A long prompt as people write them: a role, a task, sections of instructions and
    details with a few placeholders, hedges, vague words and repeated lines among them, so
    every rule has matches to work through."""
    sentences = corpus.ROLES + corpus.TASKS + corpus.DETAILS
    extras = [
        "Maybe keep it short, etc.",
        "Use some good examples for {{audience}}.",
        "Don't use jargon; be concise but detailed.",
        "Answer the question: {{question}}",
        "Return JSON with the fields name and score.",
    ]
    lines = ["You are a careful editor.", "## Instructions"]
    total = sum(len(line) + 1 for line in lines)
    while total < size:
        if len(lines) % 25 == 0:
            line = f"## Section {len(lines) // 25}"
        elif rng.random() < 0.1:
            line = rng.choice(extras)
        else:
            line = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)[:size]


def degenerate_texts(rng: random.Random) -> dict[str, str]:
    """100 KB texts that are nothing but matches, or nothing a rule looks for, the kinds that
    were slowest for the analyzer: every rule meets them at every few characters."""
    printable = "".join(chr(code) for code in range(32, 127)) + "\t\n"
    repeated = {
        "only line breaks": "\n",
        '"{{x}} " repeated': "{{x}} ",
        '"1) " repeated': "1) ",
        '"<a>" repeated': "<a>",
        '"é😀{{ä}}" repeated': "é😀{{ä}}",
        '"1 " repeated': "1 ",
    }
    texts = {
        "random printable characters": "".join(
            rng.choice(printable) for _ in range(ANALYZER_WORST_CHARS)
        )
    }
    for kind, unit in repeated.items():
        texts[kind] = (unit * (ANALYZER_WORST_CHARS // len(unit) + 1))[:ANALYZER_WORST_CHARS]
    return texts


def measure_function(function, *, runs: int) -> dict:
    """One warm-up call, then `runs` timed ones, as `measure` does for pages."""
    result = function()
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = function()
        cpus.append((time.process_time() - cpu_started) * 1000)
        walls.append((time.perf_counter() - started) * 1000)
    return {
        "runs": runs,
        "wall_ms": [round(value, 1) for value in walls],
        "median_ms": round(statistics.median(walls), 1),
        "max_ms": round(max(walls), 1),
        "cpu_median_ms": round(statistics.median(cpus), 1),
        "cpu_max_ms": round(max(cpus), 1),
        "queries": 0,
        "bytes": len(json.dumps(result.as_dict())),
    }


def run_analyzer(rng: random.Random, *, runs: int, report=print) -> dict:
    results = {}
    for case in ANALYZER_CASES:
        if case.key == "analyzer_worst":
            # Each kind measured as the others are; the row is the one with the slowest median.
            measured = [
                (measure_function(lambda text=text: analyze(text), runs=runs), kind, text)
                for kind, text in degenerate_texts(rng).items()
            ]
            figures, kind, text = max(measured, key=lambda entry: entry[0]["median_ms"])
            worst = f"slowest of {len(measured)} kinds: {kind}; "
        else:
            text = analyzer_text(rng, ANALYZER_SIZES[case.key])
            figures = measure_function(lambda text=text: analyze(text), runs=runs)
            worst = ""
        analysis = analyze(text)
        findings = sum(len(criterion.findings) for criterion in analysis.criteria)
        results[case.key] = {
            "key": case.key,
            "label": case.label,
            "path": "apps.prompts.analyzer.analyze",
            "target_ms": case.target_ms,
            "detail": (
                f"{worst}{len(text):,} characters in {text.count(chr(10)) + 1:,} lines; score "
                f"{analysis.score}, {findings} findings listed; the size column is the "
                "analysis as JSON, not HTML"
            ),
            **figures,
        }
        report(
            f"    {case.label:<72} median {figures['median_ms']:7.1f} ms, max "
            f"{figures['max_ms']:7.1f} ms (CPU median {figures['cpu_median_ms']:.1f} ms)"
        )
    return results


# --- Data -------------------------------------------------------------------------------------


def remove_work_users() -> int:
    users = list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}"))
    for user in users:
        account_services.user_delete(user=user)
    return len(users)


def make_data(rng: random.Random) -> dict:
    user = account_services.user_create(
        email=f"work-{secrets.token_hex(6)}@{EMAIL_DOMAIN}",
        password=secrets.token_urlsafe(16),
        name="Work benchmark",
    )
    account_services.user_set_tier(user=user, tier="pro")
    made = {"user": user, "texts": {}}
    for key, texts in (
        ("everywhere", texts_that_differ_everywhere(rng)),
        ("moved", texts_with_lines_moved(rng)),
    ):
        old, new = texts
        prompt = services.prompt_create(
            owner=user, author=user, name=f"Diff benchmark: {key}", content=old
        )
        services.prompt_update(prompt=prompt, author=user, content=new)
        made[key] = prompt
        made["texts"][key] = texts
    for number in range(1, GALLERY_PROMPTS + 1):
        services.prompt_create(
            owner=user,
            author=user,
            name=f"Gallery search benchmark {number}",
            content=gallery_text(rng, number),
            is_public=True,
        )
    return made


# --- Measuring --------------------------------------------------------------------------------


def measure(client: Client, path: str, *, runs: int) -> dict:
    """One warm-up request, `runs` timed ones, then one more to count its queries."""
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}; not measuring it")
    walls, cpus = [], []
    for number in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        cpus.append((time.process_time() - cpu_started) * 1000)
        walls.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code} on run {number + 1}")
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return {
        "runs": runs,
        "wall_ms": [round(value, 1) for value in walls],
        "median_ms": round(statistics.median(walls), 1),
        "max_ms": round(max(walls), 1),
        "cpu_median_ms": round(statistics.median(cpus), 1),
        "cpu_max_ms": round(max(cpus), 1),
        "queries": len(captured.captured_queries),
        "bytes": len(response.content),
    }


def _diff_detail(old: str, new: str) -> str:
    diff = diff_texts(old, new)
    old_lines, new_lines = len(old.split("\n")), len(new.split("\n"))
    return (
        f"{old_lines:,} and {new_lines:,} lines, "
        f"{len(old) / 1000:.0f} and {len(new) / 1000:.0f} KB; "
        f"+{diff.added:,} −{diff.removed:,}, {len(diff.lines):,} lines shown; work "
        f"{diff.line_work:,} line and {diff.word_work:,} word units; "
        f"{diff.whole_line_pairs} pairs shown whole"
        + ("; cut short by a budget" if diff.approximate else "")
        + ("; longer than the lines shown" if diff.cut else "")
    )


def run(*, quick: bool = False, report=print) -> dict:
    runs = QUICK_RUNS if quick else RUNS
    removed = remove_work_users()
    if removed:
        report(f"  Removed {removed} work user(s) left by an earlier run")
    rng = random.Random(RANDOM_SEED)
    report(
        f"  Making two diffed prompts and {GALLERY_PROMPTS} public prompts of "
        f"{GALLERY_PROMPT_CHARS // 1000} KB"
    )
    results: dict = {}
    session_key = ""
    try:
        made = make_data(rng)
        session_key = scenarios.login_session(made["user"])
        signed_in = Client(HTTP_HOST="127.0.0.1")
        signed_in.cookies[settings.SESSION_COOKIE_NAME] = session_key
        anonymous = Client(HTTP_HOST="127.0.0.1")
        paths = {}
        details = {}
        for key in ("everywhere", "moved"):
            base = f"/prompts/{made[key].pk}/diff/?from=1&to=2"
            paths[f"diff_{key}_inline"] = base
            paths[f"diff_{key}_side"] = base + "&mode=side"
            details[f"diff_{key}_inline"] = details[f"diff_{key}_side"] = _diff_detail(
                *made["texts"][key]
            )
        paths["gallery_search"] = "/explore/?" + urlencode({"q": SEARCH_WORD})
        details["gallery_search"] = (
            f"{GALLERY_PROMPTS} public prompts of {GALLERY_PROMPT_CHARS // 1000} KB contain "
            f"'{SEARCH_WORD}' (one line in 40); one page of results"
        )
        for case in CASES:
            client = anonymous if case.key == "gallery_search" else signed_in
            figures = measure(client, paths[case.key], runs=runs)
            results[case.key] = {
                "key": case.key,
                "label": case.label,
                "path": paths[case.key],
                "target_ms": case.target_ms,
                "detail": details[case.key],
                **figures,
            }
            report(
                f"    {case.label:<72} median {figures['median_ms']:7.1f} ms, max "
                f"{figures['max_ms']:7.1f} ms (CPU median {figures['cpu_median_ms']:.1f} ms)"
            )
    finally:
        Session.objects.filter(session_key=session_key).delete()
        remove_work_users()
    results.update(run_analyzer(rng, runs=runs * ANALYZER_RUNS_PER_RUN, report=report))
    return results
