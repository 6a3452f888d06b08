"""What every parser shares: the candidate it yields, the one error type it raises, and a
read-only, size-checked view of an upload (a single file, a zip or a folder) whose members are
streamed, never extracted to disk and never named on the file system by the archive's paths.
"""

import codecs
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO

import ijson
from django.conf import settings


class ImportFormatError(Exception):
    """The upload can't be read as promised. The message is written for the person who
    uploaded it: what is wrong and, where possible, what to do."""


class UnsafeArchiveError(ImportFormatError):
    """A zip that could harm the server: too many entries, too large once expanded, a
    suspicious compression ratio, or paths that try to leave the archive."""


@dataclass
class Candidate:
    """One prompt found in an upload, before the user decides to import it."""

    name: str
    content: str
    source: str
    model: str = ""
    created_at: datetime | None = None
    # Where it came from: conversation id and title, message id, file path… (JSON-safe values)
    reference: dict = field(default_factory=dict)
    description: str = ""
    tags: list[str] = field(default_factory=list)
    folder: str = ""
    metadata: dict = field(default_factory=dict)
    # For PromptVault's own export: every version, oldest first ({content, change_message, …}).
    versions: list[dict] = field(default_factory=list)
    # False for an earlier draft the user replaced by editing their message (ChatGPT branches).
    kept: bool = True


@dataclass
class Detection:
    source: str
    summary: str  # e.g. "ChatGPT export: 1,204 conversations"


# --- Members of an upload -------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str  # a normalised POSIX path inside the upload, for matching only
    size: int


IGNORED_PARTS = {"__MACOSX", ".DS_Store", "Thumbs.db"}


def _normalise(name: str) -> str | None:
    """A safe, relative POSIX form of an archive path, or None for entries to skip."""
    name = name.replace("\\", "/")
    if name.endswith("/"):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or re.match(r"^[A-Za-z]:", name) or ".." in path.parts:
        raise UnsafeArchiveError(
            f"The archive contains a path that points outside it ({name[:80]!r}). "
            "It was not read; export the data again from the original service."
        )
    if any(part in IGNORED_PARTS or part.startswith("._") for part in path.parts):
        return None
    return str(path)


class _LimitedReader(io.RawIOBase):
    """Reads a zip member, refusing to inflate past what the archive declared or the budget."""

    def __init__(self, raw: IO[bytes], declared: int, budget: "Budget", name: str):
        self._raw = raw
        self._declared = declared
        self._left = declared
        self._budget = budget
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._raw.read(len(buffer))
        except (zlib.error, zipfile.BadZipFile, EOFError) as error:
            # Otherwise the damage would pass for a file of the wrong kind.
            raise ImportFormatError(
                f"{self._name} is damaged inside the archive. Download the export again."
            ) from error
        if len(data) > self._left:
            raise UnsafeArchiveError(
                f"{self._name} expands beyond the size the archive declares; it was not read."
            )
        self._budget.spend(self._name, self._declared - self._left, len(data))
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class Budget:
    """Bytes that may still be expanded from one upload: every read counts against `limit`,
    and the distinct bytes expanded (a member read twice counts once) against
    `expansion_limit`, what the archive's size allows at the largest accepted ratio. The
    second is counted from what is actually inflated, not from what the headers declare."""

    def __init__(self, limit: int, *, expansion_limit: int | None = None):
        self.left = limit
        self.expansion_limit = expansion_limit
        self.expanded = 0
        self._reached: dict[str, int] = {}  # member -> furthest offset read

    def spend(self, member: str, offset: int, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise UnsafeArchiveError(
                "The archive expands to more data than PromptVault accepts "
                f"({settings.IMPORT_MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB). Split the "
                "export into smaller parts."
            )
        reached = self._reached.get(member, 0)
        if offset + count > reached:
            self.expanded += offset + count - reached
            self._reached[member] = offset + count
        if self.expansion_limit is not None and self.expanded > self.expansion_limit:
            raise UnsafeArchiveError(
                "The archive expands far more than its packed size while being read, which "
                "looks like a zip bomb. It was not read."
            )


class _Counting(io.RawIOBase):
    """A file that tells its bundle how many bytes of the upload have been read, for the
    progress bar."""

    def __init__(self, raw: IO[bytes], bundle: "Bundle"):
        self._raw = raw
        self._bundle = bundle

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._bundle.bytes_read += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._raw.close()
        super().close()


class Bundle:
    """The files of one upload. Parsers list members and open them as binary streams."""

    def __init__(self, label: str):
        self.label = label
        self.bytes_read = 0  # of the upload as stored (packed bytes for a zip)
        self.total_bytes = 0

    def members(self) -> list[Member]:
        raise NotImplementedError

    def open(self, name: str) -> IO[bytes]:
        raise NotImplementedError

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __enter__(self) -> "Bundle":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # Helpers for parsers ----------------------------------------------------------------

    def find(self, pattern: str) -> list[Member]:
        """Members whose path matches a regular expression (searched, case-insensitive)."""
        regex = re.compile(pattern, re.IGNORECASE)
        return [member for member in self.members() if regex.search(member.name)]

    def open_text(self, name: str, *, allow_legacy: bool = False) -> IO[str]:
        """A member as text: UTF-8 with any BOM removed; cp1252 only when `allow_legacy`."""
        raw = self.open(name)
        head = raw.read(4096)
        rest = raw
        try:
            head.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError as error:
            # A multi-byte character may be cut at the end of the sample.
            if error.start >= len(head) - 3 and error.reason == "unexpected end of data":
                encoding = "utf-8-sig"
            elif allow_legacy:
                encoding = "cp1252"
            else:
                raise ImportFormatError(
                    f"{name} isn't UTF-8 text. Save it as UTF-8 and upload it again."
                ) from error
        stream = io.BufferedReader(_Prefixed(head, rest))
        return _StrictText(stream, encoding, name)

    def load_json(self, name: str, *, max_bytes: int = 50 * 1024 * 1024):
        """A small JSON member parsed whole (metadata files, Cursor values): refuses big ones,
        which must be streamed with `iter_json_items` instead."""
        member = next((m for m in self.members() if m.name == name), None)
        if member is not None and member.size > max_bytes:
            raise ImportFormatError(f"{name} is too large to read as one document.")
        with self.open_text(name) as text:
            try:
                return json.loads(text.read())
            except json.JSONDecodeError as error:
                raise ImportFormatError(
                    f"{name} is not valid JSON ({error.msg}, line {error.lineno}). The file "
                    "may be truncated: download the export again."
                ) from error

    def iter_json_items(self, name: str, prefix: str = "item") -> Iterator:
        """Stream the items of a top-level JSON array (or of `prefix`) one at a time."""
        stream = self.open(name)
        try:
            first = stream.read(3)
            if first != codecs.BOM_UTF8:
                stream = io.BufferedReader(_Prefixed(first, stream))
            yield from json_items(stream, prefix)
        except JsonTooDeep as error:
            raise ImportFormatError(
                f"{name} is nested too deeply to read safely; it doesn't look like an export."
            ) from error
        except ijson.JSONError as error:
            # The C backend reports every error as IncompleteJSONError: tell them apart by
            # the message, and keep only its first line (the rest quotes the file).
            reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
            if "invalid bytes in UTF8" in reason:
                raise ImportFormatError(f"{name} isn't UTF-8 text.") from error
            if "premature EOF" in reason or "Incomplete" in reason:
                raise ImportFormatError(
                    f"{name} ends before the JSON is complete: the file is truncated or "
                    "damaged. Download the export again."
                ) from error
            raise ImportFormatError(f"{name} is not valid JSON ({reason[:120]}).") from error
        except UnicodeDecodeError as error:
            raise ImportFormatError(f"{name} isn't UTF-8 text.") from error
        finally:
            stream.close()


# Real exports nest a few levels deep; a file nested far deeper is hostile or broken.
JSON_MAX_DEPTH = 512


class JsonTooDeep(ValueError):
    pass


def json_items(stream: IO[bytes], prefix: str = "item", *, max_depth: int = JSON_MAX_DEPTH):
    """Like `ijson.items(stream, prefix)`, but refusing documents nested deeper than
    `max_depth`. ijson's own prefix tracking keeps a string per open level as long as the
    path to it, so a small file nested very deep costs memory quadratic in its depth (a
    400 KB file can take gigabytes); the events without prefixes don't, and the items are
    built from those here."""
    target = prefix.split(".") if prefix else []
    path: list = []  # per open container outside an item: its current key, or "item"
    building: list[list] = []  # [container, key] per open container of the item being built
    for event, value in ijson.basic_parse(stream, use_float=True):
        if building:
            top = building[-1]
            if event == "map_key":
                top[1] = value
            elif event == "start_map" or event == "start_array":
                if len(path) + len(building) >= max_depth:
                    raise JsonTooDeep(max_depth)
                container = {} if event == "start_map" else []
                if type(top[0]) is list:
                    top[0].append(container)
                else:
                    top[0][top[1]] = container
                building.append([container, None])
            elif event == "end_map" or event == "end_array":
                done = building.pop()
                if not building:
                    yield done[0]
            elif type(top[0]) is list:
                top[0].append(value)
            else:
                top[0][top[1]] = value
        elif event == "map_key":
            path[-1] = value
        elif event == "end_map" or event == "end_array":
            path.pop()
        elif event == "start_map" or event == "start_array":
            if len(path) >= max_depth:
                raise JsonTooDeep(max_depth)
            if path == target:
                building.append([{} if event == "start_map" else [], None])
            else:
                path.append("item" if event == "start_array" else None)
        elif path == target:
            yield value


class _Prefixed(io.RawIOBase):
    """A stream that replays bytes already read, then continues with the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._rest.close()
        super().close()


class _StrictText(io.TextIOWrapper):
    """Text that turns a decoding failure into the parsers' own error."""

    def __init__(self, stream, encoding: str, name: str):
        super().__init__(stream, encoding=encoding, newline=None)
        self._member_name = name

    def read(self, *args):
        try:
            return super().read(*args)
        except UnicodeDecodeError as error:
            raise ImportFormatError(f"{self._member_name} isn't UTF-8 text.") from error

    def readline(self, *args):
        try:
            return super().readline(*args)
        except UnicodeDecodeError as error:
            raise ImportFormatError(f"{self._member_name} isn't UTF-8 text.") from error

    def __next__(self):
        try:
            return super().__next__()
        except UnicodeDecodeError as error:
            raise ImportFormatError(f"{self._member_name} isn't UTF-8 text.") from error


class FileBundle(Bundle):
    """A single uploaded file."""

    def __init__(self, path: Path, name: str | None = None):
        super().__init__(name or path.name)
        self.path = path
        self._name = _normalise(name or path.name) or path.name
        self.total_bytes = path.stat().st_size

    def members(self) -> list[Member]:
        return [Member(self._name, self.path.stat().st_size)]

    def open(self, name: str) -> IO[bytes]:
        if name != self._name:
            raise KeyError(name)
        return io.BufferedReader(_Counting(self.path.open("rb"), self))

    def local_path(self, name: str) -> Path:
        return self.path


class FolderBundle(Bundle):
    """A folder on disk (a task folder, a Takeout tree): used by the CLI and the tests."""

    def __init__(self, path: Path):
        super().__init__(path.name)
        self.path = path
        self._members = {}
        for file in sorted(path.rglob("*")):
            if file.is_file() and not file.is_symlink():
                name = _normalise(file.relative_to(path).as_posix())
                if name:
                    self._members[name] = file

    def members(self) -> list[Member]:
        return [Member(name, file.stat().st_size) for name, file in self._members.items()]

    def open(self, name: str) -> IO[bytes]:
        return self._members[name].open("rb")

    def local_path(self, name: str) -> Path:
        return self._members[name]


# Expanding to this much is harmless whatever the compression ratio, so ratios are only judged
# beyond it.
SMALL_EXPANSION_BYTES = 1024 * 1024


class ZipBundle(Bundle):
    """A zip archive, checked before anything is read: entry count, declared expansion and
    compression ratio; then checked again while reading, since a header can lie."""

    def __init__(self, path: Path, name: str | None = None):
        super().__init__(name or path.name)
        self.total_bytes = path.stat().st_size
        try:
            self._zip = zipfile.ZipFile(_Counting(path.open("rb"), self))
        except (zipfile.BadZipFile, OSError) as error:
            raise ImportFormatError(
                "The zip file is damaged or incomplete. Download the export again."
            ) from error
        except NotImplementedError as error:
            # An entry needs a newer zip format than Python reads ("zip file version 8.4").
            raise ImportFormatError(
                f"The zip file uses a format PromptVault can't read ({error}). Unpack it and "
                "upload the files, or zip them again."
            ) from error
        infos = self._zip.infolist()
        if len(infos) > settings.IMPORT_MAX_ZIP_ENTRIES:
            self._zip.close()
            raise UnsafeArchiveError(
                f"The archive has {len(infos):,} entries; PromptVault reads at most "
                f"{settings.IMPORT_MAX_ZIP_ENTRIES:,}."
            )
        total = 0
        self._infos: dict[str, zipfile.ZipInfo] = {}
        try:
            for info in infos:
                name = _normalise(info.filename)
                if name is None or info.is_dir():
                    continue
                if info.flag_bits & 0x1:
                    raise ImportFormatError(
                        "The archive is password-protected. Upload an unencrypted export."
                    )
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if (
                    info.file_size > SMALL_EXPANSION_BYTES
                    and ratio > settings.IMPORT_MAX_COMPRESSION_RATIO
                ):
                    raise UnsafeArchiveError(
                        f"{name} would expand {ratio:,.0f} times its packed size, which looks "
                        "like a zip bomb. It was not read."
                    )
                self._infos[name] = info
        except ImportFormatError:
            self._zip.close()
            raise
        if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
            self._zip.close()
            raise UnsafeArchiveError(
                f"The archive expands to {total / (1024 * 1024):,.0f} MB, more than the "
                f"{settings.IMPORT_MAX_UNCOMPRESSED_BYTES // (1024 * 1024):,} MB PromptVault "
                "accepts."
            )
        # Entry by entry, small members may compress as well as they like; together they may
        # not, or thousands of small ones add up to what one large one is refused for.
        allowance = max(
            self.total_bytes * settings.IMPORT_MAX_COMPRESSION_RATIO, SMALL_EXPANSION_BYTES
        )
        if total > allowance:
            self._zip.close()
            raise UnsafeArchiveError(
                f"The archive would expand {total / max(self.total_bytes, 1):,.0f} times its "
                "size, which looks like a zip bomb. It was not read."
            )
        self._budget = Budget(settings.IMPORT_MAX_UNCOMPRESSED_BYTES, expansion_limit=allowance)

    def members(self) -> list[Member]:
        return [Member(name, info.file_size) for name, info in self._infos.items()]

    def open(self, name: str) -> IO[bytes]:
        info = self._infos[name]
        try:
            raw = self._zip.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
            raise ImportFormatError(f"{name} can't be read from the archive ({error}).") from error
        return io.BufferedReader(_LimitedReader(raw, info.file_size, self._budget, name))

    def close(self) -> None:
        self._zip.close()


def open_bundle(path: str | os.PathLike, *, name: str | None = None) -> Bundle:
    """A bundle for a file, a zip or a folder. `name` is the uploaded file's own name (the
    stored file may be renamed)."""
    path = Path(path)
    if path.is_dir():
        return FolderBundle(path)
    if not path.exists():
        raise ImportFormatError("The uploaded file is missing. Upload it again.")
    if path.stat().st_size == 0:
        raise ImportFormatError("The uploaded file is empty.")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"PK\x03\x04" or magic == b"PK\x05\x06":
        return ZipBundle(path, name)
    return FileBundle(path, name)


# --- Small helpers shared by parsers --------------------------------------------------------

NAME_LENGTH = 80


def name_from_text(text: str, fallback: str = "Imported prompt") -> str:
    """A short name: the first non-empty line, cut at a word near NAME_LENGTH characters."""
    for line in (text or "").splitlines():
        line = " ".join(line.strip().lstrip("#>*-").split())
        if line:
            if len(line) <= NAME_LENGTH:
                return line
            cut = line[:NAME_LENGTH].rsplit(" ", 1)[0]
            return (cut or line[:NAME_LENGTH]).rstrip(",.;:") + "…"
    return fallback


def timestamp(value) -> datetime | None:
    """Epoch seconds (int, float or numeric string) or ISO 8601 text as an aware datetime."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float) or (
            isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value)
        ):
            number = float(value)
            if number > 1e12:  # milliseconds
                number /= 1000
            return datetime.fromtimestamp(number, tz=UTC)
        text = str(value).strip().replace("Z", "+00:00")
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def clean_text(text: str) -> str:
    """Normalise line endings and trim the ends, keeping the user's inner spacing."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def normalised_content(text: str) -> str:
    """The form used to spot duplicates: whitespace collapsed, case kept."""
    return " ".join((text or "").split())
