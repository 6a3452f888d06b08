"""Gemini activity from Google Takeout: `My Activity/Gemini Apps/MyActivity.json` or `.html`.

Takeout translates folder and file names (`Meine Aktivitäten/Gemini-Apps/…`), so activity
files are recognised by their content. Each entry is one action; only those titled
"Prompted …" carry something the user wrote. There are no conversation ids.
"""

import contextlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

from apps.imports.parsers.base import (
    Bundle,
    Candidate,
    Detection,
    ImportFormatError,
    clean_text,
    name_from_text,
)
from apps.imports.parsers.chatgpt import listed, peek_json, plural, time_of

SOURCE = "gemini"

MODEL = "gemini"
PROMPTED = re.compile(r"^Prompted[ \xa0]+")
PRODUCT = re.compile(r"gemini|bard", re.IGNORECASE)
# Takeout holds one activity file per product; a few dozen peeks find Gemini's.
MAX_PEEKS = 100
COUNT_LIMIT_BYTES = 25 * 1024 * 1024
HTML_CHUNK = 64 * 1024
HTML_DETECT_BYTES = 256 * 1024
# Markup the parser can't place (an unclosed comment, say) is held back until more arrives; a
# real activity page never leaves this much pending.
HTML_PENDING_LIMIT = 4 * 1024 * 1024
# "Mar 14, 2025, 9:21:33 AM CET", "14.03.2025, 09:21:33 MEZ": a year and a clock time.
DATE_LINE = re.compile(r"(?=.*\b\d{4}\b)(?=.*\b\d{1,2}:\d{2}).{8,60}")
ENGLISH_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%d %b %Y, %H:%M:%S", "%b %d, %Y, %H:%M:%S")
# Zone abbreviations Takeout writes in English pages, as hours from UTC. Others (IST is both
# Indian and Irish) are read as UTC.
ZONES = {
    "UTC": 0, "GMT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
}  # fmt: skip


# --- Finding the activity files --------------------------------------------------------------


def activity_files(bundle: Bundle) -> tuple[str, list[str]]:
    """("json" or "html", the Gemini activity files). JSON wins when both were exported, so
    nothing is read twice."""
    members = [m for m in bundle.members() if m.name.lower().endswith((".json", ".html"))]
    # Gemini's own folder first: its name is localised but keeps the product name.
    members.sort(key=lambda m: (not PRODUCT.search(m.name), m.name))
    found = {"json": [], "html": []}
    for member in members[:MAX_PEEKS]:
        if member.name.lower().endswith(".json"):
            if _is_activity_json(bundle, member.name):
                found["json"].append(member.name)
        elif _is_activity_html(bundle, member.name):
            found["html"].append(member.name)
    if found["json"]:
        return "json", found["json"]
    return "html", found["html"]


def _is_activity_json(bundle: Bundle, name: str) -> bool:
    peek = peek_json(bundle, name)
    if peek.kind != "array" or not peek.fields:
        return False
    header, title = peek.fields.get("header"), peek.fields.get("title")
    if isinstance(header, str) and PRODUCT.search(header) and "title" in peek.fields:
        return True
    return isinstance(title, str) and bool(PROMPTED.match(title)) and "time" in peek.fields


def _is_activity_html(bundle: Bundle, name: str) -> bool:
    # Leniently decoded: a page with a bad byte is still recognised, and parsing it then
    # says what is wrong.
    with bundle.open(name) as stream:
        head = stream.read(HTML_DETECT_BYTES).decode("utf-8", errors="replace")
    reader = ActivityPage(name)
    with contextlib.suppress(ImportFormatError):
        reader.read(head)  # damage after the first entry is for parsing to report
    return bool(PRODUCT.search(reader.first_header))


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


def json_prompts(bundle: Bundle, name: str) -> Iterator[Candidate]:
    for entry in bundle.iter_json_items(name):
        if not isinstance(entry, dict):
            continue
        title = entry.get("title")
        if not isinstance(title, str) or not PROMPTED.match(title):
            continue
        text = clean_text(PROMPTED.sub("", title, count=1))
        if not text:
            continue
        when = entry.get("time")
        yield Candidate(
            name=name_from_text(text),
            content=text,
            source=SOURCE,
            model=MODEL,
            created_at=time_of(when),
            reference={
                "title": name_from_text(title),
                "time": when if isinstance(when, str) else "",
            },
            metadata=_files_of(entry),
        )


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
        if not PRODUCT.search(header) or not lines or not PROMPTED.match(lines[0]):
            continue
        lines[0] = PROMPTED.sub("", lines[0], count=1)
        # A prompt written on several lines spans several <br>s; the date line ends it.
        end = next((i for i in range(1, len(lines)) if DATE_LINE.fullmatch(lines[i].strip())), None)
        prompt_lines = lines[:end] if end else lines[:1]
        when = " ".join(lines[end].split()) if end else ""
        text = clean_text("\n".join(prompt_lines))
        if not text:
            continue
        yield Candidate(
            name=name_from_text(text),
            content=text,
            source=SOURCE,
            model=MODEL,
            created_at=english_date(when),
            reference={"title": name_from_text("Prompted " + text), "time": when},
        )


def english_date(text: str) -> datetime | None:
    """The entry's date when Takeout wrote it in English, with the common zone abbreviations
    resolved; a date in another language stays unread (the reference keeps it as text)."""
    words = text.split()
    zone = UTC
    if len(words) > 1 and re.fullmatch(r"[A-Z]{2,5}", words[-1]):
        zone = timezone(timedelta(hours=ZONES.get(words.pop(), 0)))
    plain = " ".join(words)
    for pattern in ENGLISH_DATE_FORMATS:
        try:
            return datetime.strptime(plain, pattern).replace(tzinfo=zone).astimezone(UTC)
        except ValueError:
            continue
    return None


class ActivityPage(HTMLParser):
    """Collects (header, body lines) per `div.outer-cell`, fed a chunk at a time. The body is
    the first `content-cell`, split at its <br>s, entities decoded."""

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
        if tag == "br":
            if self._cell == "body":
                self._lines.append([])
            return
        if tag != "div":
            return
        classes = (dict(attrs).get("class") or "").split()
        if self._depth == 0:
            if "outer-cell" in classes:
                self._depth = 1
                self._header, self._lines, self._body_seen = [], [[]], False
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
        elif self._cell == "body":
            self._lines[-1].append(data)
