"""Gemini activity from Google Takeout: `My Activity/Gemini Apps/MyActivity.json` or `.html`.

Takeout translates folder and file names (`Meine Aktivitäten/Gemini-Apps/…`), so activity
files are recognised by their content. Each entry is one action; only those titled
"Prompted …" carry something the user wrote. There are no conversation ids.

Pages in other languages translate "Prompted" too (`Pokyn`), so an HTML entry is read by its
shape: one word, a no-break space, the prompt's lines, then the date line, then Gemini's reply
as markup. Other actions are several words (`Created Gemini Canvas titled …`) or have no
no-break space at all (`Used an Assistant feature`).

JSON titles separate the word from the prompt with a plain space, so there the shape alone
can't tell `Pokyn Napiš báseň` from `Vybrán preferovaný koncept`. A prompt's entry carries
Gemini's reply (`safeHtmlItem`) and other actions don't, so each file's prompt word is the word
most of the replied entries among its first ones begin with; every title starting with that
word (or with "Prompted") is a prompt.
"""

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from itertools import chain, islice
from typing import NamedTuple

from apps.imports.parsers.base import (
    Bundle,
    Candidate,
    Detection,
    ImportFormatError,
    clean_text,
    name_from_text,
)
from apps.imports.parsers.chat import COUNT_LIMIT_BYTES, listed, peek_json, plural, time_of

SOURCE = "gemini"

MODEL = "gemini"
PROMPTED = re.compile(r"^Prompted[ \xa0]+")
PRODUCT = re.compile(r"gemini|bard", re.IGNORECASE)
# The first word of a JSON title, and the space or no-break space after it.
FIRST_WORD = re.compile(r"(\S+)[ \xa0]")
# How many of a JSON file's first entries decide its prompt word: prompts are nearly all of a
# file's entries, so a few hundred settle it whatever the language.
PROMPT_WORD_SAMPLE = 300
# Takeout holds one activity file per product; a few dozen peeks find Gemini's.
MAX_PEEKS = 100
HTML_CHUNK = 64 * 1024
HTML_DETECT_BYTES = 256 * 1024
# Markup the parser can't place (an unclosed comment, say) is held back until more arrives; a
# real activity page never leaves this much pending.
HTML_PENDING_LIMIT = 4 * 1024 * 1024
# The date line of every locale has a clock time: "Mar 14, 2025, 9:21:33 AM CET",
# "14.03.2025, 09:21:33 MEZ", "2026年6月20日 00:28:51 CST".
CLOCK = re.compile(r"\d{1,2}:\d{2}")
# English action words that are not prompts, whichever shape their entry has.
NOT_PROMPTS = re.compile(r"^(?:Created|Used|Answered|Selected|Gave|Shared|Deleted|Edited)\b")
ENGLISH_DATE_FORMATS = (
    "%b %d, %Y, %I:%M:%S %p",  # the US: Jul 16, 2026, 10:09:25 AM
    "%b %d, %Y, %H:%M:%S",
    "%d %b %Y, %H:%M:%S",  # Britain, India: 16 Jul 2026, 10:09:25
    "%d %b %Y, %I:%M:%S %p",  # India: 16 Jul 2026, 10:09:25 am
)
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})(?::(\d{2}))?")
# "GMT+07:00", "GMT-4:30", "UTC+5"
NUMERIC_ZONE = re.compile(r"(?:GMT|UTC)([+\-\u2212])(\d{1,2})(?::?(\d{2}))?")
# Zone abbreviations Takeout writes in English pages, as hours from UTC. IST is India's (the
# pages that write it put the day first); other abbreviations are read as UTC.
ZONES = {
    "UTC": 0, "GMT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
    "IST": 5.5,
}  # fmt: skip
# In a Chinese page CST is China Standard Time.
CHINESE_ZONES = {"CST": 8}
# Google Search's AI Mode keeps its own activity, which isn't Gemini Apps'.
AI_MODE = re.compile(r"\bAI Mode\b", re.IGNORECASE)


# --- Finding the activity files --------------------------------------------------------------


def activity_files(bundle: Bundle) -> tuple[str, list[str]]:
    """("json" or "html", the Gemini activity files). JSON wins when both were exported, so
    nothing is read twice."""
    members = [m for m in bundle.members() if m.name.lower().endswith((".json", ".html"))]
    # Gemini's own folder first: its name is localised but keeps the product name.
    members.sort(key=lambda m: (not PRODUCT.search(m.name), m.name))
    found = {"json": [], "html": []}
    ai_mode = False
    for member in members[:MAX_PEEKS]:
        if member.name.lower().endswith(".json"):
            kind = _activity_json_kind(bundle, member.name)
            if kind == "gemini":
                found["json"].append(member.name)
            elif kind == "ai_mode":
                ai_mode = True
        else:
            header = _activity_html_header(bundle, member.name)
            if PRODUCT.search(header):
                found["html"].append(member.name)
            elif AI_MODE.search(header):
                ai_mode = True
    if found["json"]:
        return "json", found["json"]
    if ai_mode and not found["html"]:
        raise ImportFormatError(
            "This is Google Search “AI Mode” activity, not Gemini Apps activity; PromptVault "
            "can't read it. In Google Takeout choose “My Activity”, then “Gemini Apps”."
        )
    return "html", found["html"]


def _activity_json_kind(bundle: Bundle, name: str) -> str | None:
    """Which activity a JSON file holds: "gemini" (Gemini Apps), "ai_mode" (Google Search's
    AI Mode, which its entries' header names) or None."""
    peek = peek_json(bundle, name)
    if peek.kind != "array" or not peek.fields:
        return None
    header, title = peek.fields.get("header"), peek.fields.get("title")
    if isinstance(header, str) and "title" in peek.fields:
        if PRODUCT.search(header):
            return "gemini"
        if AI_MODE.search(header):
            return "ai_mode"
    if isinstance(title, str) and PROMPTED.match(title) and "time" in peek.fields:
        return "gemini"
    return None


def _activity_html_header(bundle: Bundle, name: str) -> str:
    """The first entry's header of an activity page (the product), or ""."""
    # Leniently decoded: a page with a bad byte is still recognised, and parsing it then
    # says what is wrong.
    with bundle.open(name) as stream:
        head = stream.read(HTML_DETECT_BYTES).decode("utf-8", errors="replace")
    reader = ActivityPage(name)
    with contextlib.suppress(ImportFormatError):
        reader.read(head)  # damage after the first entry is for parsing to report
    return reader.first_header


# --- Detection -------------------------------------------------------------------------------


def detect(bundle: Bundle) -> Detection | None:
    kind, names = activity_files(bundle)
    if not names:
        return None
    if kind == "json":
        count = count_prompts(bundle, names)
        if count is not None:
            return Detection(SOURCE, f"Gemini activity: {plural(count, 'prompt')}")
    return Detection(SOURCE, f"Gemini activity (Google Takeout, {kind.upper()})")


def count_prompts(bundle: Bundle, names: list[str]) -> int | None:
    if sum(m.size for m in bundle.members() if m.name in names) > COUNT_LIMIT_BYTES:
        return None
    try:
        return sum(1 for name in names for _ in json_prompts(bundle, name))
    except ImportFormatError:
        return None


# --- Parsing ---------------------------------------------------------------------------------


def parse(bundle: Bundle) -> Iterator[Candidate]:
    kind, names = activity_files(bundle)
    if not names:
        raise ImportFormatError(
            "No Gemini activity found. In Google Takeout choose “My Activity”, then “Gemini "
            "Apps”, and upload the zip (or its MyActivity.json or MyActivity.html)."
        )
    for name in names:
        yield from json_prompts(bundle, name) if kind == "json" else html_prompts(bundle, name)


class Activity(NamedTuple):
    """What a JSON entry with a title brings: only this much of the first entries is held
    while the file's prompt word is decided (never the replies)."""

    title: str
    time: object
    files: dict
    replied: bool


def json_prompts(bundle: Bundle, name: str) -> Iterator[Candidate]:
    activities = _activities(bundle.iter_json_items(name))
    first = list(islice(activities, PROMPT_WORD_SAMPLE))
    word = prompt_word(first)
    for activity in chain(first, activities):
        text = prompt_text(activity.title, word)
        if not text:
            continue  # another kind of action, or an image sent without words
        when = activity.time
        yield Candidate(
            name=name_from_text(text),
            content=text,
            source=SOURCE,
            model=MODEL,
            created_at=time_of(when),
            reference={
                "title": name_from_text(activity.title),
                "time": when if isinstance(when, str) else "",
            },
            metadata=activity.files,
        )


def _activities(entries: Iterable) -> Iterator[Activity]:
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("title"), str):
            reply = entry.get("safeHtmlItem")
            yield Activity(entry["title"], entry.get("time"), _files_of(entry), bool(listed(reply)))


def prompt_word(activities: Iterable[Activity]) -> str | None:
    """The word this file's prompts begin with ("Prompted", "Pokyn", …): the one most entries
    with Gemini's reply begin with, English action words that are no prompts left out."""
    words = Counter()
    for activity in activities:
        first = FIRST_WORD.match(activity.title)
        if activity.replied and first and not NOT_PROMPTS.match(first.group(1)):
            words[first.group(1)] += 1
    return words.most_common(1)[0][0] if words else None


def prompt_text(title: str, word: str | None) -> str:
    """The prompt a JSON title holds, or "" when it holds none."""
    if PROMPTED.match(title):
        return clean_text(PROMPTED.sub("", title, count=1))
    first = FIRST_WORD.match(title)
    if word is None or first is None or first.group(1) != word:
        return ""
    return clean_text(title[first.end() :])


def _files_of(entry: dict) -> dict:
    files = [file for file in listed(entry.get("attachedFiles")) if isinstance(file, str)]
    image = entry.get("imageFile")
    if isinstance(image, str):
        files.append(image)
    return {"files": files} if files else {}


def html_prompts(bundle: Bundle, name: str) -> Iterator[Candidate]:
    reader = ActivityPage(name)
    with bundle.open_text(name) as text:
        while chunk := text.read(HTML_CHUNK):
            reader.read(chunk)
            yield from _html_candidates(reader)
    reader.read(None)
    yield from _html_candidates(reader)


def _html_candidates(reader: "ActivityPage") -> Iterator[Candidate]:
    entries, reader.entries = reader.entries, []
    for header, lines in entries:
        if not PRODUCT.search(header) or not lines:
            continue
        first = _prompt_line(lines[0])
        if first is None:
            continue
        lines = [first, *lines[1:]]
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()
        # A prompt written on several lines spans several <br>s and the date line ends them:
        # the last line with a clock time, whatever the language; else simply the last line.
        end = next((i for i in range(len(lines) - 1, 0, -1) if CLOCK.search(lines[i])), None)
        if end is None and len(lines) > 1:
            end = len(lines) - 1
        prompt_lines = lines[:end] if end else lines
        when = " ".join(lines[end].split()) if end else ""
        text = clean_text("\n".join(prompt_lines))
        if not text:
            continue  # an image sent without words
        yield Candidate(
            name=name_from_text(text),
            content=text,
            source=SOURCE,
            model=MODEL,
            created_at=activity_date(when),
            reference={"title": name_from_text("Prompted " + text), "time": when},
        )


def _prompt_line(line: str) -> str | None:
    """The prompt's first line without its leading action word, or None when the entry is
    another kind of action."""
    if PROMPTED.match(line):
        return PROMPTED.sub("", line, count=1)
    action, space, rest = line.partition("\xa0")
    action = action.strip()
    if not space or not action or " " in action or NOT_PROMPTS.match(action):
        return None
    return rest


def activity_date(text: str) -> datetime | None:
    """The entry's date when Takeout wrote it in English (American, British or Indian order)
    or Chinese, with numeric offsets and the common zone abbreviations resolved; a date in
    another language stays unread (the reference keeps it as text)."""
    words = text.split()
    abbreviation = ""
    offset = None
    if len(words) > 1:
        numeric = NUMERIC_ZONE.fullmatch(words[-1])
        if numeric:
            sign = -1 if numeric.group(1) in "-\u2212" else 1
            offset = sign * (int(numeric.group(2)) + int(numeric.group(3) or 0) / 60)
            words.pop()
        elif re.fullmatch(r"[A-Z]{2,5}", words[-1]):
            abbreviation = words.pop()
    plain = " ".join(words)
    chinese = CHINESE_DATE.fullmatch(plain)
    try:
        if chinese:
            if offset is None:
                offset = CHINESE_ZONES.get(abbreviation, ZONES.get(abbreviation, 0))
            year, month, day, hour, minute, second = (int(part or 0) for part in chinese.groups())
            local = datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - zone below
            return _in_zone(local, offset)
    except (ValueError, OverflowError):
        return None
    if offset is None:
        offset = ZONES.get(abbreviation, 0)
    for pattern in ENGLISH_DATE_FORMATS:
        try:
            return _in_zone(datetime.strptime(plain, pattern), offset)  # noqa: DTZ007
        except (ValueError, OverflowError):
            continue
    return None


def _in_zone(local: datetime, hours: float) -> datetime | None:
    if abs(hours) >= 24:
        return None
    return local.replace(tzinfo=timezone(timedelta(hours=hours))).astimezone(UTC)


# Where Gemini's reply begins in a body cell: the prompt and the date are plain text before it.
REPLY_TAGS = frozenset(
    "p div ul ol li pre table blockquote h1 h2 h3 h4 h5 h6 hr img figure code".split()
)


class ActivityPage(HTMLParser):
    """Collects (header, body lines) per `div.outer-cell`, fed a chunk at a time. The body is
    the first `content-cell`'s text before any reply markup, split at its <br>s, entities
    decoded."""

    def __init__(self, name: str):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.entries: list[tuple[str, list[str]]] = []
        self.first_header = ""
        self._depth = 0  # open divs inside the current outer cell; 0 = outside any entry
        self._cell = None  # "header" or "body" while inside one of those cells
        self._cell_depth = 0
        self._header: list[str] = []
        self._lines: list[list[str]] = []
        self._body_seen = False
        self._reply = False  # the body cell's reply markup has begun

    def read(self, chunk: str | None) -> None:
        """Feed the next chunk, or None at the end. The standard parser asserts on some
        malformed declarations and holds back markup it can't place; both mean the page is
        damaged, and holding back without limit would hold the whole file."""
        try:
            if chunk is None:
                self.close()
            else:
                self.feed(chunk)
        except AssertionError as error:
            raise self._damaged() from error
        if len(self.rawdata) > HTML_PENDING_LIMIT:
            raise self._damaged()

    def _damaged(self) -> ImportFormatError:
        return ImportFormatError(
            f"{self.name} isn't an activity page PromptVault can read: its markup is damaged. "
            "Export it again from Google Takeout."
        )

    def handle_starttag(self, tag, attrs):
        if self._cell == "body" and tag in REPLY_TAGS:
            self._reply = True
        if tag == "br":
            if self._cell == "body" and not self._reply:
                self._lines.append([])
            return
        if tag != "div":
            return
        classes = (dict(attrs).get("class") or "").split()
        if self._depth == 0:
            if "outer-cell" in classes:
                self._depth = 1
                self._header, self._lines, self._body_seen = [], [[]], False
                self._reply = False
            return
        self._depth += 1
        if self._cell is None:
            if "header-cell" in classes and not self._header:
                self._cell, self._cell_depth = "header", self._depth
            elif "content-cell" in classes and not self._body_seen:
                self._cell, self._cell_depth, self._body_seen = "body", self._depth, True

    def handle_endtag(self, tag):
        if tag != "div" or self._depth == 0:
            return
        if self._cell and self._depth == self._cell_depth:
            if self._cell == "header" and not self.first_header:
                self.first_header = " ".join("".join(self._header).split())
            self._cell = None
        self._depth -= 1
        if self._depth == 0:
            header = " ".join("".join(self._header).split())
            lines = ["".join(pieces) for pieces in self._lines]
            self.entries.append((header, lines))

    def handle_data(self, data):
        if self._cell == "header":
            self._header.append(data)
        elif self._cell == "body" and not self._reply:
            self._lines[-1].append(data)
