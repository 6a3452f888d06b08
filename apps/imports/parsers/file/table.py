"""Prompts as CSV: a header row, then one prompt a row. Two layouts are common: `act,prompt`
(the prompts.chat library, whose variables are written `${Name:default}`; its header is now
`act,prompt,for_devs,type,contributor`, the contributor kept as metadata) and
`name,content,…` with optional description, tags, folder and model (PromptVault's own CSV
export among them). Cells may be quoted and span lines; rows are streamed."""

import csv
import itertools
import json
import re
from collections.abc import Iterator

from apps.imports.parsers.base import (
    Bundle,
    Candidate,
    ImportFormatError,
    Member,
    clean_text,
    name_from_text,
)
from apps.imports.parsers.file.common import SOURCE, moment, tag_names

CONTENT_COLUMNS = ("content", "prompt", "template", "body", "text")
NAME_COLUMNS = ("name", "title", "act")
DELIMITERS = (",", ";", "\t")
LIBRARY_VARIABLE = re.compile(r"\$\{([^{}:\n]{1,80})(?::([^{}\n]{0,500}))?\}")


def read_header(line: str) -> tuple[str, list[str]] | None:
    """The delimiter and lower-cased column names, when the line is a header naming a
    column of prompt text."""
    line = line.lstrip("\ufeff").rstrip("\r\n")
    for delimiter in DELIMITERS:
        if delimiter not in line and delimiter != ",":
            continue
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            continue
        columns = [cell.strip().lower() for cell in cells]
        named = any(column in NAME_COLUMNS for column in columns)
        # A lone "text" column is any data set; next to a name it is a prompt.
        if any(column in CONTENT_COLUMNS[:-1] for column in columns) or (
            "text" in columns and named
        ):
            return delimiter, columns
    return None


def _variable_name(raw: str, index: int) -> str:
    name = re.sub(r"[^A-Za-z0-9_.\-]+", "_", raw.strip()).strip("_.-")
    if not name or not re.match(r"[A-Za-z_]", name):
        name = f"var_{name}" if name else f"variable_{index}"
    return name[:64]


def library_variables(text: str) -> tuple[str, dict[str, str]]:
    """`${Name:default}` → `{{Name}}`, with the defaults returned separately."""
    defaults: dict[str, str] = {}
    counter = itertools.count(1)

    def replace(match: re.Match) -> str:
        name = _variable_name(match.group(1), next(counter))
        if match.group(2) is not None:
            defaults.setdefault(name, match.group(2))
        return "{{" + name + "}}"

    return LIBRARY_VARIABLE.sub(replace, text), defaults


def _column(columns: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in columns:
            return columns.index(name)
    return None


def parse_csv(bundle: Bundle, member: Member) -> Iterator[Candidate]:
    with bundle.open_text(member.name, allow_legacy=True) as stream:
        header = read_header(stream.readline())
        if header is None:
            raise ImportFormatError(
                f"{member.name} needs a header row with a 'prompt' or 'content' column."
            )
        delimiter, columns = header
        content_at = _column(columns, CONTENT_COLUMNS)
        name_at = _column(columns, NAME_COLUMNS)
        at = {
            key: _column(columns, (key,))
            for key in (
                "description",
                "tags",
                "folder",
                "model",
                "metadata",
                "created_at",
                "contributor",
            )
        }
        library = "act" in columns and "prompt" in columns
        reader = csv.reader(stream, delimiter=delimiter)
        row_number = 0
        try:
            for row in reader:
                row_number += 1
                candidate = _row_candidate(
                    row, member.name, row_number, content_at, name_at, at, library
                )
                if candidate:
                    yield candidate
        except csv.Error as error:
            raise ImportFormatError(
                f"{member.name}, line {reader.line_num + 1}: the CSV is malformed ({error})."
            ) from error


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _row_candidate(row, path, number, content_at, name_at, at, library) -> Candidate | None:
    content = clean_text(_cell(row, content_at))
    if not content:
        return None
    metadata = {}
    if library:
        content, defaults = library_variables(content)
        if defaults:
            metadata["variable_defaults"] = defaults
    raw_metadata = _cell(row, at["metadata"]).strip()
    if raw_metadata.startswith("{"):
        try:
            loaded = json.loads(raw_metadata)
        except (ValueError, RecursionError):
            loaded = None
        if isinstance(loaded, dict):
            metadata = {**loaded, **metadata}
    contributor = " ".join(_cell(row, at["contributor"]).split())[:255]
    if library and contributor:
        metadata["contributor"] = contributor
    name = " ".join(_cell(row, name_at).split())
    return Candidate(
        name=name[:255] or name_from_text(content),
        content=content,
        source=SOURCE,
        model=_cell(row, at["model"]).strip()[:100],
        created_at=moment(_cell(row, at["created_at"]).strip()),
        reference={"path": path, "row": number},
        description=_cell(row, at["description"]).strip(),
        tags=tag_names(_cell(row, at["tags"])),
        folder=_cell(row, at["folder"]).strip()[:500],
        metadata=metadata,
    )
