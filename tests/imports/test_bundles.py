"""The upload as the parsers see it: zips are checked before anything is read, and again
while reading, because the archive's own headers can't be trusted."""

import io
import json
import os
import resource
import shutil
import struct
import subprocess
import time
import zipfile
from pathlib import Path

import ijson
import pytest

from apps.imports.parsers import ImportFormatError, UnsafeArchiveError, detect, extract
from apps.imports.parsers.base import ZipBundle, json_items, open_bundle

FIXTURES = Path(__file__).parent / "fixtures"


def make_zip(path: Path, files: dict[str, bytes | str], **options) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, **options) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def set_declared_size(path: Path, size: int) -> None:
    """Rewrite the uncompressed size the archive claims for its only member."""
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, size)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


def set_encrypted_flag(path: Path) -> None:
    data = bytearray(path.read_bytes())
    local = data.find(b"PK\x03\x04")
    central = data.rfind(b"PK\x01\x02")
    data[local + 6] |= 0x1
    data[central + 8] |= 0x1
    path.write_bytes(bytes(data))


def forbid_reading(monkeypatch) -> None:
    """From now on, fail the test if any member is opened or anything extracted."""

    def refuse(*args, **kwargs):
        raise AssertionError("a member was read")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "extract", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", refuse)


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def test_a_zip_bomb_is_refused_before_reading(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("conversations.json", "w") as member:
            for _ in range(32):
                member.write(b"\x00" * (1024 * 1024))
    assert bomb.stat().st_size < 100 * 1024
    forbid_reading(monkeypatch)

    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        open_bundle(bomb)
    with pytest.raises(UnsafeArchiveError):
        list(extract(bomb))


def test_an_archive_larger_than_the_limit_once_expanded_is_refused(tmp_path, settings, monkeypatch):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 100_000
    upload = make_zip(
        tmp_path / "big.zip",
        {f"prompt-{n}.md": os.urandom(30_000).hex()[:30_000] for n in range(4)},
    )
    forbid_reading(monkeypatch)

    with pytest.raises(UnsafeArchiveError, match="expands to"):
        open_bundle(upload)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "prompts/../../../etc/passwd",
        "/etc/passwd",
        "..\\..\\windows\\win.ini",
        "C:/Windows/win.ini",
    ],
)
def test_an_entry_that_leaves_the_archive_is_refused_and_nothing_is_written(
    tmp_path, monkeypatch, name
):
    upload = make_zip(tmp_path / "evil.zip", {"prompts.md": "# Hi\n\nHello", name: "root:x:0:0"})
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    before = files_under(tmp_path)
    passwd = Path("/etc/passwd").read_bytes() if Path("/etc/passwd").exists() else None

    with pytest.raises(UnsafeArchiveError, match="points outside"):
        list(extract(upload))
    with pytest.raises(UnsafeArchiveError):
        detect(upload)

    assert files_under(tmp_path) == before
    if passwd is not None:
        assert Path("/etc/passwd").read_bytes() == passwd


def test_thousands_of_empty_entries_are_refused(tmp_path, settings, monkeypatch):
    settings.IMPORT_MAX_ZIP_ENTRIES = 1000
    upload = tmp_path / "many.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        for number in range(3000):
            archive.writestr(f"empty/{number}.md", "")
    forbid_reading(monkeypatch)

    with pytest.raises(UnsafeArchiveError, match="3,000 entries"):
        open_bundle(upload)


def test_entries_up_to_the_limit_are_accepted(tmp_path, settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 50
    upload = make_zip(tmp_path / "ok.zip", {f"p{n}.md": f"Prompt {n}" for n in range(50)})

    with open_bundle(upload) as bundle:
        assert len(bundle.members()) == 50


def test_a_member_whose_header_understates_its_size_is_never_inflated(tmp_path):
    upload = make_zip(tmp_path / "liar.zip", {"prompts.md": b"A" * (8 * 1024 * 1024)})
    set_declared_size(upload, 100)

    with open_bundle(upload) as bundle:
        assert bundle.members()[0].size == 100
        with pytest.raises(ImportFormatError, match="damaged"):
            with bundle.open("prompts.md") as stream:
                # Never more than declared reaches the parser, and the lie is caught.
                assert len(stream.read(1024)) <= 100
                stream.read()
    with pytest.raises(ImportFormatError):
        list(extract(upload, "file"))


def test_a_member_whose_header_overstates_its_size_gives_only_what_is_there(tmp_path):
    upload = make_zip(tmp_path / "liar.zip", {"prompts.md": b"Short prompt text."})
    set_declared_size(upload, 5000)

    assert [c.content for c in extract(upload, "file")] == ["Short prompt text."]


def test_macos_metadata_entries_are_ignored(tmp_path):
    upload = make_zip(
        tmp_path / "mac.zip",
        {
            "prompts/hello.md": "# Hello\n\nSay hello.",
            "__MACOSX/prompts/._hello.md": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
            "prompts/._hello.md": b"\x00\x05\x16\x07",
            "prompts/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "prompts/": b"",
        },
    )

    with open_bundle(upload) as bundle:
        assert [member.name for member in bundle.members()] == ["prompts/hello.md"]
    assert [c.name for c in extract(upload)] == ["Hello"]


def test_a_nested_top_folder_is_tolerated(tmp_path):
    storage = FIXTURES / "cline" / "storage" / "saoudrizwan.claude-dev" / "tasks"
    files = {
        f"Export (1)/deep/tasks/{path.relative_to(storage).as_posix()}": path.read_bytes()
        for path in storage.rglob("*.json")
    }
    upload = make_zip(tmp_path / "nested.zip", files)

    with open_bundle(upload) as bundle:
        assert {m.name for m in bundle.find(r"(^|/)ui_messages\.json$")} == {
            "Export (1)/deep/tasks/1718000000000/ui_messages.json"
        }
    assert detect(upload).source == "cline"
    assert len(list(extract(upload))) == 7


def test_an_empty_file_is_refused(tmp_path):
    empty = tmp_path / "export.zip"
    empty.write_bytes(b"")

    with pytest.raises(ImportFormatError, match="empty"):
        list(extract(empty))


def test_an_empty_zip_is_not_recognised(tmp_path):
    upload = make_zip(tmp_path / "nothing.zip", {})

    with pytest.raises(ImportFormatError, match="doesn't recognise"):
        detect(upload)


def test_a_zip_of_empty_files_is_not_recognised(tmp_path):
    upload = make_zip(tmp_path / "blank.zip", {"a.md": "", "b.json": "", "c.csv": ""})

    with pytest.raises(ImportFormatError, match="doesn't recognise"):
        detect(upload)


def test_a_password_protected_zip_is_refused(tmp_path):
    upload = make_zip(tmp_path / "locked.zip", {"prompts.md": "# Secret\n\nHidden prompt."})
    set_encrypted_flag(upload)

    with pytest.raises(ImportFormatError, match="password-protected"):
        list(extract(upload))


def test_a_truncated_zip_is_damaged(tmp_path):
    upload = make_zip(tmp_path / "cut.zip", {"prompts.md": os.urandom(5000).hex()})
    upload.write_bytes(upload.read_bytes()[:3000])

    with pytest.raises(ImportFormatError, match="damaged or incomplete"):
        list(extract(upload))


def test_members_are_streams_not_files_on_disk(tmp_path, monkeypatch):
    upload = make_zip(tmp_path / "ok.zip", {"prompts.md": "# One\n\nA prompt."})
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)

    with ZipBundle(upload) as bundle:
        with bundle.open("prompts.md") as stream:
            assert stream.read() == b"# One\n\nA prompt."

    assert list(workdir.iterdir()) == []


@pytest.mark.skipif(not shutil.which("zip"), reason="needs the zip command")
def test_a_zip_encrypted_by_the_zip_command_is_refused(tmp_path):
    (tmp_path / "secret.md").write_text("# Secret\n\nHidden prompt.")
    subprocess.run(
        ["zip", "-q", "-P", "hunter2", "locked.zip", "secret.md"], cwd=tmp_path, check=True
    )

    with pytest.raises(ImportFormatError, match="password-protected"):
        list(extract(tmp_path / "locked.zip"))


@pytest.mark.parametrize("source", ["file", "cline"])
def test_json_nested_absurdly_deep_is_refused_without_exhausting_memory(tmp_path, source):
    # 400 KB, 200,000 levels deep: ijson's prefixes alone would take gigabytes.
    depth = 200_000
    path = tmp_path / "ui_messages.json"
    path.write_bytes(
        b'[{"name": "x", "content": "y", "metadata": ' + b"[" * depth + b"]" * depth + b"}]"
    )
    started = time.monotonic()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    with pytest.raises(ImportFormatError, match="nested too deeply"):
        list(extract(path, source))

    assert time.monotonic() - started < 5
    # ru_maxrss is in kilobytes on Linux.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 200 * 1024


@pytest.mark.parametrize(
    ("document", "prefix", "items"),
    [
        (
            [1, {"a": [2, {"b": None}]}, "x", [], {}],
            "item",
            [1, {"a": [2, {"b": None}]}, "x", [], {}],
        ),
        ({"prompts": [{"n": 1}, {"n": 2}], "other": [3]}, "prompts.item", [{"n": 1}, {"n": 2}]),
        ({"prompts": {"item": 5}}, "prompts.item", [5]),
        ({"a": {"b": [True, 1.5]}}, "a.b", [[True, 1.5]]),
        ({"a": 1}, "", [{"a": 1}]),
        ([[1, 2], [3]], "item.item", [1, 2, 3]),
    ],
)
def test_json_items_reads_what_ijson_items_would(document, prefix, items):
    data = json.dumps(document).encode()

    assert list(json_items(io.BytesIO(data), prefix)) == items
    assert items == list(ijson.items(io.BytesIO(data), prefix, use_float=True))
