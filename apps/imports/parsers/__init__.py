"""Readers for the exports people bring: one module per source, one entry point.

    for candidate in extract(path):            # detects the source by the data's shape
        ...
    for candidate in extract(path, "claude"):  # or is told

`path` is a file, a zip or a folder. Every module exposes `SOURCE`, `detect(bundle)` (cheap:
peeks at names and the first bytes, returns a Detection or None) and `parse(bundle)` (yields
Candidate objects one at a time from streams). Every failure is an ImportFormatError whose
message can be shown to the user.
"""

import os
import sqlite3
import zipfile
import zlib
from collections.abc import Callable, Iterator
from importlib import import_module

from apps.imports.parsers.base import (
    Bundle,
    Candidate,
    Detection,
    ImportFormatError,
    UnsafeArchiveError,
    normalised_content,
    open_bundle,
)

# Most specific first: `file` accepts anything prompt-shaped, so it is tried last.
SOURCES = ("cursor", "chatgpt", "claude", "gemini", "cline", "file")

__all__ = [
    "SOURCES",
    "Candidate",
    "Detection",
    "ImportFormatError",
    "UnsafeArchiveError",
    "detect",
    "extract",
    "normalised_content",
    "open_bundle",
    "parser_for",
]


def parser_for(source: str):
    if source not in SOURCES:
        raise ImportFormatError(f"Unknown import source {source!r}.")
    return import_module(f"apps.imports.parsers.{source}")


def detect_bundle(bundle: Bundle) -> Detection:
    for source in SOURCES:
        try:
            found = parser_for(source).detect(bundle)
        except ImportFormatError:
            raise
        except Exception:  # noqa: BLE001 - a detector that chokes simply doesn't match
            found = None
        if found:
            return found
    raise ImportFormatError(
        "PromptVault doesn't recognise this file. Upload a ChatGPT, Claude, Gemini (Google "
        "Takeout), Cline or Cursor export, or prompts as Markdown, text, JSON or CSV."
    )


def detect(path: str | os.PathLike, *, name: str | None = None) -> Detection:
    with open_bundle(path, name=name) as bundle:
        return detect_bundle(bundle)


def extract(
    path: str | os.PathLike,
    source: str | None = None,
    *,
    name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Candidate]:
    """Yield the prompts found in `path`, detecting the source when none is given.
    `progress(bytes_read, total_bytes)` is called after each candidate, if given."""
    with open_bundle(path, name=name) as bundle:
        if source is None:
            source = detect_bundle(bundle).source
            bundle.bytes_read = 0  # progress counts the reading, not the peek that detected it
        try:
            for candidate in parser_for(source).parse(bundle):
                yield candidate
                if progress is not None:
                    progress(bundle.bytes_read, bundle.total_bytes)
        except ImportFormatError:
            raise
        except (RecursionError, MemoryError) as error:
            raise ImportFormatError("The file is nested too deeply to read safely.") from error
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            IndexError,
            OSError,
            EOFError,
            zlib.error,
            zipfile.BadZipFile,
            sqlite3.Error,
        ) as error:
            # The data didn't have the shape the parser expects: say so instead of crashing.
            raise ImportFormatError(
                f"This file doesn't look like a {source} export PromptVault can read "
                f"({type(error).__name__}). Check that you chose the right file."
            ) from error
