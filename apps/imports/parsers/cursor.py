"""Cursor, the editor: its chats live in VS Code's SQLite key-value stores (`state.vscdb`,
global under `User/globalStorage/`, per workspace under `User/workspaceStorage/<hash>/`).

    cursorDiskKV  composerData:<composerId>            {name, createdAt,
                                                        fullConversationHeadersOnly, conversation?}
                  bubbleId:<composerId>:<bubbleId>     {type: 1 user | 2 assistant, text, ...}
    ItemTable     composer.composerData          2024 composers kept whole: {allComposers:
                                                   [{composerId, name, createdAt, conversation}]}
                  workbench.panel.aichat.view.aichat.chatdata   the older chat panel's tabs
                  aiService.prompts                              prompts typed, without replies

The same chat can sit in more than one database of an upload (a workspace's and the global
one), and the prompt history repeats prompts the chats hold: each is offered once, from the
chat, which knows its date, title and model.

An upload is a database someone else wrote, so it is copied to a private temporary file,
opened read-only, checked for damage first, and read only through the two known tables and
known keys, with parameters; nothing from the file ever becomes SQL.
"""

import json
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from apps.imports.parsers.base import (
    Bundle,
    Candidate,
    Detection,
    ImportFormatError,
    Member,
    clean_text,
    name_from_text,
    normalised_content,
    timestamp,
)

SOURCE = "cursor"

SQLITE_MAGIC = b"SQLite format 3\x00"
DATABASE_FILE = re.compile(r"\.(?:vscdb|db|sqlite3?)$", re.IGNORECASE)
TABLES = ("ItemTable", "cursorDiskKV")
CHAT_DATA_KEY = "workbench.panel.aichat.view.aichat.chatdata"
PROMPTS_KEY = "aiService.prompts"
ITEM_COMPOSERS_KEY = "composer.composerData"
COMPOSER_PREFIX = "composerData:"
USER_BUBBLE = 1
ASSISTANT_BUBBLE = 2
# One value bigger than this is skipped rather than parsed.
MAX_VALUE_BYTES = 64 * 1024 * 1024
# A crafted file can make even a simple query crawl; no database gets longer than this.
TIME_LIMIT_SECONDS = 300
CHECK_EVERY = 1000  # SQLite steps between looks at the clock
COPY_CHUNK = 1024 * 1024


# --- Detection ------------------------------------------------------------------------------


def _is_sqlite(bundle: Bundle, member: Member) -> bool:
    if member.size < 100:  # smaller than SQLite's file header
        return False
    with bundle.open(member.name) as stream:
        return stream.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC


def _databases(bundle: Bundle) -> list[Member]:
    members = bundle.members()
    if len(members) == 1:
        # A lone upload may have lost its name: the header decides.
        return [m for m in members if _is_sqlite(bundle, m)]
    return [m for m in members if DATABASE_FILE.search(m.name) and _is_sqlite(bundle, m)]


def detect(bundle: Bundle) -> Detection | None:
    databases = _databases(bundle)
    if not databases:
        return None
    count = len(databases)
    return Detection(SOURCE, f"Cursor: {count:,} database{'s' if count != 1 else ''}")


# --- Reading one database -------------------------------------------------------------------


def parse(bundle: Bundle) -> Iterator[Candidate]:
    databases = _databases(bundle)
    if not databases:
        raise ImportFormatError(
            "No SQLite database was found. Upload Cursor's state.vscdb (from User/globalStorage "
            "or a folder in User/workspaceStorage), or a zip of them."
        )
    unreadable = []
    seen = _Seen()
    history: list[Candidate] = []
    for member in databases:
        try:
            yield from _parse_database(bundle, member, seen, history)
        except _NotCursor:
            unreadable.append(member.name)
    if len(unreadable) == len(databases):
        raise ImportFormatError(
            f"{unreadable[0]} is a SQLite database but not a Cursor database: it has neither "
            "of Cursor's tables (ItemTable, cursorDiskKV)."
        )
    # Last, once every database's chats are known: the typed prompts no chat holds.
    for candidate in history:
        key = normalised_content(candidate.content)
        if key not in seen.contents:
            seen.contents.add(key)
            yield candidate


class _NotCursor(Exception):
    pass


class _Seen:
    """What one upload has offered so far: chat messages by where they sit, and contents."""

    def __init__(self):
        self.messages: set[tuple] = set()
        self.contents: set[str] = set()

    def first(self, candidate: Candidate, *where) -> bool:
        """True the first time a chat message is met; remembers its content either way."""
        self.contents.add(normalised_content(candidate.content))
        if where in self.messages:
            return False
        self.messages.add(where)
        return True


def _parse_database(
    bundle: Bundle, member: Member, seen: _Seen, history: list[Candidate]
) -> Iterator[Candidate]:
    with tempfile.TemporaryDirectory(
        prefix="promptvault-cursor-", dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    ) as folder:
        # A folder of its own, so SQLite's side files (-wal, -shm) go with the copy.
        path = Path(folder) / "state.vscdb"
        with bundle.open(member.name) as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, COPY_CHUNK)
        connection, tables = _connect(path, member.name)
        try:
            yield from _read(connection, tables, member.name, seen, history)
        except sqlite3.DatabaseError as error:
            raise _damaged(member.name, error) from error
        finally:
            connection.close()


def _damaged(name: str, error: Exception | None = None) -> ImportFormatError:
    if isinstance(error, sqlite3.OperationalError) and "interrupt" in str(error):
        return ImportFormatError(
            f"{name} took too long to read; it may be damaged or not a Cursor database."
        )
    return ImportFormatError(
        f"{name} is damaged: SQLite can't read it. Close Cursor, copy the file again and upload "
        "the fresh copy."
    )


def _connect(path: Path, name: str) -> tuple[sqlite3.Connection, set[str]]:
    """A read-only connection to a sound database, and which of Cursor's tables it has."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise _damaged(name) from error
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), CHECK_EVERY)
    try:
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES + 1024)
        # The file's schema is not trusted: nothing it declares may run as a side effect.
        connection.execute("PRAGMA trusted_schema = OFF")
        connection.execute("PRAGMA query_only = ON")
        rows = connection.execute("PRAGMA quick_check").fetchall()
        if not rows or rows[0][0] != "ok":
            raise _damaged(name)
        found = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", TABLES
        ).fetchall()
        tables = {row[0] for row in found if _has_key_value(connection, row[0])}
    except ImportFormatError:
        connection.close()
        raise
    except sqlite3.Error as error:
        connection.close()
        raise _damaged(name, error) from error
    if not tables:
        connection.close()
        raise _NotCursor(name)
    return connection, tables


def _has_key_value(connection: sqlite3.Connection, table: str) -> bool:
    rows = connection.execute("SELECT name FROM pragma_table_info(?)", (table,)).fetchall()
    return {"key", "value"} <= {row[0] for row in rows}


def _decode(value):
    """A stored value as JSON, or None when it is NULL, not text or not JSON."""
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return None


def _value(connection: sqlite3.Connection, table: str, key: str):
    # `table` is one of TABLES, never text from the file.
    row = connection.execute(
        f"SELECT value FROM {table} WHERE key = ? AND length(value) <= ?",  # noqa: S608
        (key, MAX_VALUE_BYTES),
    ).fetchone()
    return _decode(row[0]) if row else None


def _read(
    connection: sqlite3.Connection,
    tables: set[str],
    path: str,
    seen: _Seen,
    history: list[Candidate],
) -> Iterator[Candidate]:
    chats = []
    if "cursorDiskKV" in tables:
        chats.append(_composers(connection, path))
    if "ItemTable" in tables:
        chats.extend((_item_composers(connection, path), _chat_panel(connection, path)))
    for chat in chats:
        for candidate in chat:
            reference = candidate.reference
            where = (
                reference.get("composer_id") or reference.get("tab_id"),
                reference.get("bubble_id"),
                normalised_content(candidate.content),
            )
            if seen.first(candidate, *where):
                yield candidate
    if "ItemTable" in tables:
        # Prompts typed in chats are in this history too; they are weighed at the end.
        history.extend(_prompt_history(connection, path))


# --- Composer and agent chats ---------------------------------------------------------------


def _composers(connection: sqlite3.Connection, path: str) -> Iterator[Candidate]:
    # A key range rather than LIKE: exact prefix, case-sensitive, and served by the index.
    rows = connection.execute(
        "SELECT key, value FROM cursorDiskKV WHERE key >= ? AND key < ? AND length(value) <= ? "
        "ORDER BY key",
        (COMPOSER_PREFIX, COMPOSER_PREFIX[:-1] + ";", MAX_VALUE_BYTES),
    )
    composers = []
    for key, value in rows:
        composer = _decode(value)
        if isinstance(key, str) and isinstance(composer, dict):
            # Only what ordering needs stays in memory; the bubbles are read one at a time.
            composers.append((key[len(COMPOSER_PREFIX) :], _summary(composer)))
    # Oldest chat first; chats without a date last, by id.
    composers.sort(
        key=lambda item: (item[1]["created_at"] is None, item[1]["created_at"] or 0, item[0])
    )
    for composer_id, composer in composers:
        yield from _composer_prompts(connection, path, composer_id, composer)


def _summary(composer: dict) -> dict:
    headers = composer.get("fullConversationHeadersOnly")
    conversation = composer.get("conversation")
    user_inline = {}
    order = []
    if isinstance(headers, list):
        for header in headers:
            if isinstance(header, dict) and header.get("type") == USER_BUBBLE:
                bubble_id = header.get("bubbleId")
                if isinstance(bubble_id, str) and bubble_id:
                    order.append(bubble_id)
    if isinstance(conversation, list):
        waiting = []  # user bubbles whose reply, which names the model, is still to come
        for position, bubble in enumerate(conversation):
            if not isinstance(bubble, dict):
                continue
            if bubble.get("type") == USER_BUBBLE:
                bubble_id = bubble.get("bubbleId")
                key = bubble_id if isinstance(bubble_id, str) and bubble_id else f"#{position}"
                user_inline[key] = _slim_bubble(bubble)
                waiting.append(user_inline[key])
                if not isinstance(headers, list):
                    order.append(key)
            elif bubble.get("type") == ASSISTANT_BUBBLE:
                model = reply_model(bubble)
                for slim in waiting:
                    slim["model"] = model
                waiting = []
    name = composer.get("name")
    return {
        "name": name.strip() if isinstance(name, str) else "",
        "created_at": timestamp(composer.get("createdAt")),
        "model": _model(composer),
        "order": order,
        "inline": user_inline,
    }


def _model(composer: dict) -> str:
    config = composer.get("modelConfig")
    return _model_name(config.get("modelName") if isinstance(config, dict) else None)


def _model_name(value) -> str:
    """A model's name; "default" says only that Cursor chose, so it names none."""
    name = value.strip()[:100] if isinstance(value, str) else ""
    return "" if name.lower() == "default" else name


def reply_model(bubble: dict) -> str:
    """The model that wrote a reply, where the reply says (`modelType`)."""
    return _model_name(bubble.get("modelType"))


def _slim_bubble(bubble: dict) -> dict:
    return {
        "text": _bubble_text(bubble),
        "created_at": timestamp(bubble.get("createdAt")),
        "type": bubble.get("type"),
        "model": "",
    }


def _bubble_text(bubble: dict) -> str:
    text = bubble.get("text")
    if isinstance(text, str) and text.strip():
        return clean_text(text)
    return clean_text(_rich_text(bubble.get("richText")))


def _rich_text(value) -> str:
    """Plain text from the editor's state (Lexical JSON, stored as a string): text nodes in
    order, paragraphs on their own lines."""
    if isinstance(value, str):
        value = _decode(value)
    if not isinstance(value, dict):
        return ""
    lines: list[str] = []
    current: list[str] = []
    stack = [value.get("root", value)]
    visited = 0
    while stack and visited < 100_000:
        visited += 1
        node = stack.pop()
        if node == "\n":
            lines.append("".join(current))
            current = []
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        if isinstance(node.get("text"), str):
            current.append(node["text"])
        elif kind == "linebreak":
            current.append("\n")
        children = node.get("children")
        if isinstance(children, list):
            if kind in ("paragraph", "heading", "quote", "code", "listitem"):
                stack.append("\n")
            stack.extend(reversed(children))
    lines.append("".join(current))
    return "\n".join(line for line in lines).strip()


def _composer_prompts(
    connection: sqlite3.Connection, path: str, composer_id: str, composer: dict, *, key: str = ""
) -> Iterator[Candidate]:
    for bubble_id in composer["order"]:
        bubble = composer["inline"].get(bubble_id)
        if bubble is None:
            stored = _value(connection, "cursorDiskKV", f"bubbleId:{composer_id}:{bubble_id}")
            if not isinstance(stored, dict) or stored.get("type") not in (USER_BUBBLE, None):
                continue
            bubble = _slim_bubble(stored)
        if not bubble["text"]:
            continue
        yield Candidate(
            name=name_from_text(bubble["text"]),
            content=bubble["text"],
            source=SOURCE,
            model=bubble["model"] or composer["model"],
            created_at=bubble["created_at"] or composer["created_at"],
            reference={
                "path": path,
                **({"key": key} if key else {}),
                "composer_id": composer_id,
                "bubble_id": bubble_id if not bubble_id.startswith("#") else None,
                "title": composer["name"],
            },
        )


def _item_composers(connection: sqlite3.Connection, path: str) -> Iterator[Candidate]:
    """2024 workspaces: every composer with its whole conversation in one ItemTable value."""
    stored = _value(connection, "ItemTable", ITEM_COMPOSERS_KEY)
    composers = stored.get("allComposers") if isinstance(stored, dict) else None
    found = []
    for position, composer in enumerate(composers if isinstance(composers, list) else []):
        if not isinstance(composer, dict) or not isinstance(composer.get("conversation"), list):
            continue
        composer_id = composer.get("composerId")
        composer_id = composer_id if isinstance(composer_id, str) else f"#{position}"
        found.append((composer_id, _summary({**composer, "fullConversationHeadersOnly": None})))
    found.sort(
        key=lambda item: (item[1]["created_at"] is None, item[1]["created_at"] or 0, item[0])
    )
    for composer_id, composer in found:
        yield from _composer_prompts(
            connection, path, composer_id, composer, key=ITEM_COMPOSERS_KEY
        )


# --- The older chat panel and the prompt history --------------------------------------------


def _chat_panel(connection: sqlite3.Connection, path: str) -> Iterator[Candidate]:
    chat = _value(connection, "ItemTable", CHAT_DATA_KEY)
    tabs = chat.get("tabs") if isinstance(chat, dict) else None
    for tab in tabs if isinstance(tabs, list) else []:
        if not isinstance(tab, dict):
            continue
        title = tab.get("chatTitle")
        title = title.strip() if isinstance(title, str) else ""
        tab_id = tab.get("tabId")
        bubbles = tab.get("bubbles")
        waiting: list[Candidate] = []  # prompts whose reply, which names the model, is to come
        for bubble in bubbles if isinstance(bubbles, list) else []:
            if not isinstance(bubble, dict):
                continue
            if bubble.get("type") == "ai":
                model = reply_model(bubble)
                for candidate in waiting:
                    candidate.model = model
                yield from waiting
                waiting = []
            if bubble.get("type") != "user":
                continue
            text = ""
            for field in ("text", "rawText"):
                if isinstance(bubble.get(field), str) and bubble[field].strip():
                    text = clean_text(bubble[field])
                    break
            if not text:
                text = clean_text(_rich_text(bubble.get("initText")))
            if not text:
                continue
            waiting.append(
                Candidate(
                    name=name_from_text(text),
                    content=text,
                    source=SOURCE,
                    created_at=timestamp(tab.get("lastSendTime")),
                    reference={
                        "path": path,
                        "tab_id": tab_id if isinstance(tab_id, str) else None,
                        "bubble_id": bubble.get("id")
                        if isinstance(bubble.get("id"), str)
                        else None,
                        "title": title,
                    },
                )
            )
        yield from waiting


def _prompt_history(connection: sqlite3.Connection, path: str) -> Iterator[Candidate]:
    prompts = _value(connection, "ItemTable", PROMPTS_KEY)
    for index, item in enumerate(prompts if isinstance(prompts, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        text = clean_text(item["text"])
        if not text:
            continue
        command = item.get("commandType")
        yield Candidate(
            name=name_from_text(text),
            content=text,
            source=SOURCE,
            reference={"path": path, "key": PROMPTS_KEY, "index": index, "title": ""},
            metadata={"command_type": command} if isinstance(command, int | str) else {},
        )
