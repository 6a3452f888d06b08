"""Writes for imports: the session from upload to result. The heavy work runs in tasks
(apps/imports/tasks.py), which call the functions here."""

import contextlib
import hashlib
import logging
import shutil
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from apps.accounts.models import User
from apps.imports.likely import NearDuplicates, unlikely_reason
from apps.imports.models import ImportCandidate, ImportSession, ImportSource
from apps.imports.parsers import Candidate, ImportFormatError, detect, extract
from apps.imports.parsers.base import name_from_text, normalised_content, timestamp
from apps.prompts.models import Prompt
from apps.prompts.services.bulk import NewPrompt, prompts_create_many
from apps.prompts.validation import FOLDER_MAX, NAME_MAX, clean_folder, parse_tag_names
from promptvault.db import insert_rows, update_rows

logger = logging.getLogger(__name__)

BATCH = 500
EXPORT_FORMAT = "promptvault-export"
# Candidate rows are also written as soon as their text reaches this much, so a batch of long
# prompts never sits in memory.
BATCH_BYTES = 4 * 1024 * 1024
PROGRESS_EVERY = 0.5  # seconds between progress writes
# An upload is kept while it may still be read or imported: a day at most.
UPLOAD_MAX_AGE = timedelta(days=1)
FINISHED = (
    ImportSession.Status.DONE,
    ImportSession.Status.FAILED,
    ImportSession.Status.CANCELLED,
    ImportSession.Status.EXPIRED,
)


class ImportRefused(Exception):
    """An upload or request that can't proceed; the message is for the user."""


def content_key(text: str) -> str:
    return hashlib.sha256(normalised_content(text).encode("utf-8")).hexdigest()


# --- Upload ---------------------------------------------------------------------------------


@transaction.atomic
def session_create(*, user: User, files: list[UploadedFile], source: str = "") -> ImportSession:
    """Store the upload and open a session. Several files are packed into one zip."""
    if not files:
        raise ImportRefused("Choose a file to upload.")
    if source and source not in ImportSource.values:
        raise ImportRefused("Choose one of the offered sources, or let PromptVault detect it.")
    total = sum(upload.size or 0 for upload in files)
    if total > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise ImportRefused(too_big_message())
    if total == 0:
        raise ImportRefused("The uploaded file is empty.")
    session = ImportSession(user=user, source=source, file_size=total)
    if len(files) == 1:
        upload = files[0]
        session.original_filename = Path(upload.name or "upload").name[:255]
        session.file.save(_storage_name(upload.name), upload, save=False)
    else:
        session.original_filename = f"{len(files)} files"
        session.file.save("upload.zip", _pack(files), save=False)
    session.save()
    return session


def _storage_name(name: str | None) -> str:
    # The stored name never comes from the user beyond a harmless extension.
    suffix = Path(name or "").suffix.lower()
    suffix = suffix if suffix.isascii() and suffix[1:].isalnum() and len(suffix) <= 10 else ""
    return f"upload{suffix}"


def _pack(files: list[UploadedFile]):
    from django.core.files import File

    handle = tempfile.TemporaryFile()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        used: set[str] = set()
        for index, upload in enumerate(files):
            name = Path(upload.name or f"file-{index}").name or f"file-{index}"
            if name in used:
                name = f"{index}-{name}"
            used.add(name)
            with archive.open(name, "w", force_zip64=True) as target:
                for chunk in upload.chunks():
                    target.write(chunk)
    handle.seek(0)
    return File(handle, name="upload.zip")


def too_big_message() -> str:
    limit = settings.IMPORT_MAX_UPLOAD_BYTES / (1024 * 1024)
    return f"The upload is larger than {limit:,.0f} MB, the most PromptVault accepts at once."


@contextlib.contextmanager
def _local_copy(session: ImportSession) -> Iterator[Path]:
    """A path to the uploaded file on local disk: the storage's own path when it has one, or
    a temporary copy streamed from an object store."""
    storage = session.file.storage
    try:
        yield Path(storage.path(session.file.name))
        return
    except NotImplementedError:
        pass
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "upload"
        with storage.open(session.file.name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
        yield target


# --- Extraction -----------------------------------------------------------------------------


def _vault_keys(user: User) -> set[str]:
    keys = set()
    contents = Prompt.objects.filter(user=user).values_list("content", flat=True)
    for content in contents.iterator(chunk_size=2000):
        keys.add(content_key(content))
    return keys


def _candidate_row(
    session: ImportSession, position: int, found: Candidate, key: str, duplicate: str
):
    name = (found.name or "").strip() or name_from_text(found.content)
    # A prompt file holds prompts on purpose; only chat turns can be small talk.
    unlikely = "" if session.source == ImportSource.FILE else unlikely_reason(found.content)
    return dict(
        id=uuid.uuid4(),
        session_id=session.pk,
        prompt_id=None,
        position=position,
        name=name[:NAME_MAX],
        content=found.content,
        content_key=key,
        description=found.description or "",
        model=(found.model or "")[:100],
        folder=(found.folder or "")[:FOLDER_MAX],
        tags=list(found.tags or []),
        metadata=dict(found.metadata or {}),
        versions=list(found.versions or []),
        reference=dict(found.reference or {}),
        source_created_at=found.created_at,
        kept=found.kept,
        duplicate=duplicate,
        unlikely_reason=unlikely,
        near_duplicate_of=None,
        selected=found.kept and not duplicate and not unlikely,
    )


def _text_size(found: Candidate) -> int:
    """The bytes of prompt text a candidate brings: its content, description and versions."""
    texts = [found.content, found.description]
    texts += [
        version.get("content") for version in found.versions or [] if isinstance(version, dict)
    ]
    # isascii() is constant-time, so plain text is measured without encoding a copy.
    return sum(
        len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
        for text in texts
        if isinstance(text, str)
    )


def _set_progress(session_id, done: int, total: int) -> None:
    ImportSession.objects.filter(pk=session_id).update(
        progress_done=done, progress_total=total, updated_at=timezone.now()
    )


def session_extract(*, session: ImportSession) -> ImportSession:
    """Read the upload and store its candidates, marking duplicates. On a format error the
    session fails with the reason and keeps no candidate. Reading stops once the candidates'
    text reaches IMPORT_MAX_CANDIDATE_BYTES; what came before is kept and the session says so.
    """
    ImportSession.objects.filter(pk=session.pk).update(
        status=ImportSession.Status.EXTRACTING, error="", progress_done=0, progress_total=0
    )
    ImportCandidate.objects.filter(session=session).delete()
    try:
        with _local_copy(session) as path:
            detection = None
            if not session.source:
                detection = detect(path, name=session.original_filename)
                session.source = detection.source
            vault = _vault_keys(session.user)
            counts = {
                "found": 0,
                "empty": 0,
                "duplicate_vault": 0,
                "duplicate_file": 0,
                "drafts": 0,
                "unlikely": 0,
                "near_duplicates": 0,
            }
            batch: list[dict] = []
            batch_bytes = kept_bytes = 0
            stopped_at_cap = False
            cap = settings.IMPORT_MAX_CANDIDATE_BYTES
            position = 0
            own_export = False
            clock = {"last": time.monotonic()}

            def report(done: int, size: int) -> None:
                if time.monotonic() - clock["last"] > PROGRESS_EVERY:
                    _set_progress(session.pk, min(done, size), size)
                    clock["last"] = time.monotonic()

            candidates = extract(
                path, session.source, name=session.original_filename, progress=report
            )
            # Closing the generator when reading stops early closes the upload at once.
            with contextlib.closing(candidates):
                for found in candidates:
                    if not (found.content or "").strip():
                        counts["empty"] += 1
                        continue
                    size = _text_size(found)
                    if kept_bytes + size > cap:
                        stopped_at_cap = True
                        break
                    kept_bytes += size
                    key = content_key(found.content)
                    duplicate = "vault" if key in vault else ""
                    counts["found"] += 1
                    counts["drafts"] += 0 if found.kept else 1
                    counts["duplicate_vault"] += 1 if duplicate else 0
                    row = _candidate_row(session, position, found, key, duplicate)
                    counts["unlikely"] += 1 if row["unlikely_reason"] else 0
                    own_export = own_export or found.reference.get("format") == EXPORT_FORMAT
                    batch.append(row)
                    batch_bytes += size
                    position += 1
                    if len(batch) >= BATCH or batch_bytes >= BATCH_BYTES:
                        insert_rows(ImportCandidate, batch)
                        batch = []
                        batch_bytes = 0
            insert_rows(ImportCandidate, batch)
            counts["duplicate_file"] = _mark_repeats(session)
            counts["near_duplicates"] = _mark_near_duplicates(session)
    except ImportFormatError as error:
        return _fail(session, str(error))
    except Exception:
        logger.exception("import %s: extraction failed", session.pk)
        return _fail(session, "Something went wrong while reading the file. Nothing was imported.")
    summary = detection.summary if detection else f"{ImportSource(session.source).label} export"
    metadata = dict(session.metadata or {})
    metadata.pop("stopped_at_cap", None)  # from an earlier reading of the same upload
    metadata.pop("own_export", None)
    if stopped_at_cap:
        metadata["stopped_at_cap"] = cap
    if own_export:
        # PromptVault's own export: its prompts keep their folders, not go under imports/….
        metadata["own_export"] = True
    session.metadata = {**metadata, "summary": summary, "extracted": counts}
    session.status = ImportSession.Status.READY
    session.progress_done = session.progress_total = counts["found"]
    session.save(
        update_fields=[
            "source",
            "metadata",
            "status",
            "progress_done",
            "progress_total",
            "updated_at",
        ]
    )
    return session


def _mark_repeats(session: ImportSession) -> int:
    """Mark every candidate whose text appeared earlier in the same file. Done in the database
    from the stored keys, so memory doesn't grow with the size of the file."""
    ranked = (
        ImportCandidate.objects.filter(session=session)
        .annotate(
            occurrence=Window(RowNumber(), partition_by=F("content_key"), order_by=F("position"))
        )
        .filter(occurrence__gt=1)
        .values("pk")
    )
    return ImportCandidate.objects.filter(pk__in=ranked, duplicate="").update(
        duplicate=ImportCandidate.Duplicate.FILE, selected=False
    )


def _mark_near_duplicates(session: ImportSession) -> int:
    """Group the candidates that are the same prompt re-asked with small edits: the newest of
    each group (by its date in the export, else its place in the file) stays as it was, the
    others are unselected and point at it. Exact repeats and earlier drafts are already
    marked and left out. Returns how many were unselected. Groups are written as they are
    completed, a thousand rows an UPDATE, so nothing held grows with the file."""
    pending: list[tuple[int, int]] = []  # (position, the newest of its group)
    changed = 0

    def write() -> None:
        nonlocal changed
        changed += _point_at_newest(session, pending)
        pending.clear()

    def complete(group: list[tuple]) -> None:
        newest, _when = max(group, key=lambda member: member[1])
        pending.extend((position, newest) for position, _when in group if position != newest)
        if len(pending) >= 1000:
            write()

    groups = NearDuplicates(complete)
    rows = (
        ImportCandidate.objects.filter(session=session, duplicate="", kept=True)
        .order_by("position")
        .values_list("position", "content", "source_created_at")
    )
    for position, content, created_at in rows.iterator(chunk_size=BATCH):
        groups.add(position, content, (created_at is not None, created_at, position))
    groups.finish()
    write()
    return changed


def _point_at_newest(session: ImportSession, pairs: list[tuple[int, int]]) -> int:
    """Unselect the candidates at these positions and point each at the newest of its group
    (an UPDATE per group cost more than the grouping)."""
    return update_rows(
        ImportCandidate,
        pairs,
        match=("position",),
        assign=("near_duplicate_of",),
        constants={"selected": False},
        where={"session": session.pk},
    )


def _fail(session: ImportSession, message: str) -> ImportSession:
    ImportCandidate.objects.filter(session=session).delete()
    session.status = ImportSession.Status.FAILED
    session.error = message
    session.finished_at = timezone.now()
    session.save(update_fields=["status", "error", "finished_at", "updated_at", "source"])
    _delete_upload(session)
    return session


def _delete_upload(session: ImportSession) -> None:
    if session.file:
        name = session.file.name
        storage = session.file.storage
        transaction.on_commit(lambda: storage.delete(name))
        ImportSession.objects.filter(pk=session.pk).update(file="")


# --- Preview choices ------------------------------------------------------------------------


@transaction.atomic
def candidates_select(*, session: ImportSession, ids_on_page, selected_ids) -> int:
    """Record the checkboxes of one preview page: those ticked are selected, the rest not."""
    on_page = ImportCandidate.objects.filter(session=session, pk__in=list(ids_on_page))
    chosen = {str(pk) for pk in selected_ids}
    on_page.filter(pk__in=chosen).update(selected=True)
    return on_page.exclude(pk__in=chosen).update(selected=False)


@transaction.atomic
def candidates_select_all(*, session: ImportSession, mode: str) -> int:
    candidates = ImportCandidate.objects.filter(session=session)
    if mode == "all":
        return candidates.update(selected=True)
    if mode == "none":
        return candidates.update(selected=False)
    if mode in ("new", "likely"):
        # "likely": the prompts chosen at first, new and neither small talk nor near-copies.
        chosen = Q(duplicate="", kept=True)
        if mode == "likely":
            chosen &= Q(unlikely_reason="", near_duplicate_of__isnull=True)
        candidates.exclude(chosen).update(selected=False)
        return candidates.filter(chosen).update(selected=True)
    raise ImportRefused("Choose all, none, only new or only likely prompts.")


# --- Import ---------------------------------------------------------------------------------


def _as_new_prompt(
    candidate: ImportCandidate, *, folder: str, tags: list[str], source: str
) -> NewPrompt:
    metadata = dict(candidate.metadata or {})
    tag_colors = metadata.pop("tag_colors", {})
    reference = candidate.reference or {}
    own_export = reference.get("format") == EXPORT_FORMAT
    if not own_export:
        # Remember where the prompt came from. PromptVault's own export carries its metadata
        # as it was, so a round trip changes nothing.
        metadata["imported_from"] = {
            "source": source,
            **{key: value for key, value in reference.items() if value not in (None, "")},
        }
        if candidate.source_created_at:
            metadata["imported_from"]["created_at"] = candidate.source_created_at.isoformat()
    # A folder the file gives (front matter, a CSV column, an export) is kept beneath the
    # folder chosen for the import.
    target = "/".join(part for part in (folder, candidate.folder) if part)
    versions = [_dated_version(entry, keep=own_export) for entry in candidate.versions or []]
    return NewPrompt(
        name=candidate.name,
        content=candidate.content,
        description=candidate.description,
        model=candidate.model or "other",
        folder=target,
        tags=[*candidate.tags, *tags],
        metadata=metadata,
        versions=versions,
        tag_colors=tag_colors if isinstance(tag_colors, dict) else {},
        # Only PromptVault's own export says whether a prompt was public; anything else starts
        # private.
        is_public=own_export and reference.get("is_public") is True,
        prompt_key=str(reference.get("prompt_key") or "") if own_export else "",
        labels=reference.get("labels") or {} if own_export else {},
        # PromptVault's own export keeps its dates; a prompt from anything else is created
        # now, its date in the source kept under metadata["imported_from"].
        created_at=candidate.source_created_at if own_export else None,
        updated_at=timestamp(reference.get("updated_at")) if own_export else None,
        key=candidate.pk,
    )


def _dated_version(entry, *, keep: bool):
    """A version brought along, its `created_at` text read as a date when `keep`, else left
    out (only PromptVault's own export has versions whose dates it vouches for)."""
    if not isinstance(entry, dict):
        return entry
    dated = {key: value for key, value in entry.items() if key != "created_at"}
    if keep:
        dated["created_at"] = timestamp(entry.get("created_at"))
    return dated


@transaction.atomic
def session_start_import(*, session: ImportSession, folder: str, tags) -> ImportSession:
    """Check the user's choices and queue the import."""
    folder = clean_folder(folder)
    tags = parse_tag_names(tags)
    locked = ImportSession.objects.select_for_update().get(pk=session.pk)
    if locked.status != ImportSession.Status.READY:
        raise ImportRefused("This import is not waiting for your choice any more.")
    # Nothing selected is allowed: the session then records why each prompt was skipped.
    selected = locked.candidates.filter(selected=True).count()
    locked.status = ImportSession.Status.IMPORTING
    locked.progress_done = 0
    locked.progress_total = selected
    locked.metadata = {**(locked.metadata or {}), "folder": folder, "tags": tags}
    locked.save(
        update_fields=["status", "progress_done", "progress_total", "metadata", "updated_at"]
    )
    return locked


def session_import(*, session: ImportSession) -> ImportSession:
    """Write the selected candidates as prompts, all or nothing, and close the session."""
    session = ImportSession.objects.select_related("user").get(pk=session.pk)
    folder = session.metadata.get("folder", "")
    tags = session.metadata.get("tags", [])
    candidates = session.candidates.all()
    skipped: dict[str, int] = {"duplicate": 0, "not_selected": 0, "plan_limit": 0, "invalid": 0}
    skipped["empty"] = session.metadata.get("extracted", {}).get("empty", 0)
    try:
        with transaction.atomic():
            # One transaction for the whole write, so a failure leaves no prompt behind; the
            # page shows this phase as "writing" rather than a percentage for that reason.
            chosen = candidates.filter(selected=True).order_by("position")
            items = (
                _as_new_prompt(candidate, folder=folder, tags=tags, source=session.source)
                for candidate in chosen.iterator(chunk_size=BATCH)
            )

            result = prompts_create_many(
                owner=session.user,
                author=session.user,
                items=items,
                change_message=f"Imported from {ImportSource(session.source).label}",
                on_created=_link_prompts,
            )
            skipped["plan_limit"] = result.over_limit
            skipped["invalid"] = result.invalid_count
            unselected = candidates.filter(selected=False)
            skipped["duplicate"] = unselected.exclude(duplicate="").count()
            skipped["not_selected"] = unselected.filter(duplicate="").count()
            imported = result.created_count
            session.imported_count = imported
            session.skipped_count = sum(skipped.values())
            session.status = ImportSession.Status.DONE
            session.progress_done = session.progress_total
            session.finished_at = timezone.now()
            session.metadata = {
                **session.metadata,
                "skipped": skipped,
                "invalid": {
                    str(key): message for key, message in list(result.invalid.items())[:50]
                },
                "by_detail": _details(session),
            }
            session.save()
            # Only what became a prompt is worth keeping, as the link to it.
            candidates.filter(prompt__isnull=True).delete()
            candidates.update(content="", versions=[], metadata={})
    except Exception:
        logger.exception("import %s: writing prompts failed", session.pk)
        session.refresh_from_db()
        return _fail(
            session, "Writing the prompts failed part way; nothing was imported. Try again."
        )
    _delete_upload(session)
    return session


def _link_prompts(created: list[tuple]) -> None:
    """Record which prompt each candidate became."""
    update_rows(ImportCandidate, created, match=("id",), assign=("prompt",))


def _details(session: ImportSession) -> dict:
    extracted = session.metadata.get("extracted", {})
    return {key: value for key, value in extracted.items() if value}


@transaction.atomic
def session_expire(*, session: ImportSession) -> bool:
    """Close a session left in review too long: its candidates and upload go, and its page says
    it expired. Only a session still in review changes, so an import started meanwhile wins.
    Returns whether it expired."""
    now = timezone.now()
    expired = ImportSession.objects.filter(pk=session.pk, status=ImportSession.Status.READY).update(
        status=ImportSession.Status.EXPIRED, finished_at=now, updated_at=now
    )
    if not expired:
        return False
    ImportCandidate.objects.filter(session_id=session.pk).delete()
    _delete_upload(session)
    return True


def sessions_cleanup(*, dry_run: bool = False) -> int:
    """Expire sessions left in review longer than IMPORT_REVIEW_MAX_AGE_DAYS, one transaction
    apiece so a large one holds no lock on the rest. Returns how many expired (a session whose
    import started meanwhile is left alone), or on a dry run how many would."""
    in_review_since = timezone.now() - timedelta(days=settings.IMPORT_REVIEW_MAX_AGE_DAYS)
    # A session's updated_at is when its reading finished: review began then.
    abandoned = ImportSession.objects.filter(
        status=ImportSession.Status.READY, updated_at__lt=in_review_since
    ).order_by("pk")
    if dry_run:
        return abandoned.count()
    expired = 0
    for session in abandoned.only("pk", "file").iterator(chunk_size=500):
        expired += session_expire(session=session)
    return expired


def uploads_cleanup(*, dry_run: bool = False) -> int:
    """Delete the stored file of each session that is finished or over UPLOAD_MAX_AGE old and
    forget its name; the session row and its counts stay, as the user's import history.
    Returns how many files were removed, or on a dry run how many would be."""
    uploads = (
        ImportSession.objects.exclude(file="")
        .filter(Q(status__in=FINISHED) | Q(created_at__lt=timezone.now() - UPLOAD_MAX_AGE))
        .order_by("pk")
    )
    if dry_run:
        return uploads.count()
    storage = ImportSession._meta.get_field("file").storage
    removed = 0
    for session in uploads.only("pk", "file").iterator(chunk_size=500):
        name = session.file.name
        # The row forgets the file first: a crash between the two leaves an orphan file on
        # disk, never a session pointing at a file that is gone.
        ImportSession.objects.filter(pk=session.pk).update(file="")
        storage.delete(name)
        removed += 1
    return removed


@transaction.atomic
def session_reread(*, session: ImportSession, source: str) -> ImportSession:
    """Mark a file still in review to be read again as `source` (the caller enqueues the
    reading). Only a session still in review changes, so an import started meanwhile wins."""
    reread = (
        ImportSession.objects.filter(pk=session.pk, status=ImportSession.Status.READY)
        .exclude(file="")
        .update(source=source, status=ImportSession.Status.UPLOADED)
    )
    if not reread:
        raise ImportRefused(
            "Choose one of the offered sources for a file still waiting for review."
        )
    session.source, session.status = source, ImportSession.Status.UPLOADED
    return session


@transaction.atomic
def session_discard(*, session: ImportSession) -> ImportSession:
    """Give up on an upload before importing: its candidates and file go, the record stays."""
    ImportCandidate.objects.filter(session=session).delete()
    session.status = ImportSession.Status.CANCELLED
    session.finished_at = timezone.now()
    session.save(update_fields=["status", "finished_at", "updated_at"])
    _delete_upload(session)
    return session
