import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class ImportSource(models.TextChoices):
    CHATGPT = "chatgpt", "ChatGPT"
    CLAUDE = "claude", "Claude"
    GEMINI = "gemini", "Gemini"
    CLINE = "cline", "Cline"
    CURSOR = "cursor", "Cursor"
    FILE = "file", "File"


class ImportSession(models.Model):
    """One upload, from the file arriving to the prompts written (or the reason it failed)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        EXTRACTING = "extracting", "Reading the file"
        READY = "ready", "Ready to review"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        # Left in review too long: `cleanup` cleared its candidates.
        EXPIRED = "expired", "Expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_sessions",
        db_index=False,  # import_sessions_user_id_idx (Meta) indexes it
    )
    # Empty until the file's shape has been recognised.
    source = models.CharField(max_length=20, choices=ImportSource.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True, max_length=500)
    original_filename = models.CharField(max_length=255, blank=True, default="")
    file_size = models.BigIntegerField(default=0)
    progress_done = models.IntegerField(default=0)
    progress_total = models.IntegerField(default=0)
    imported_count = models.IntegerField(default=0, db_default=0)
    skipped_count = models.IntegerField(default=0, db_default=0)
    metadata = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "import_sessions"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user"], name="import_sessions_user_id_idx"),
            models.Index(fields=["source"], name="import_sessions_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display() or 'Import'} {self.created_at:%Y-%m-%d}"

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class ImportCandidate(models.Model):
    """A prompt found in an upload, waiting in the preview for the user's choice."""

    class Duplicate(models.TextChoices):
        NONE = "", "New"
        VAULT = "vault", "Already in your vault"
        FILE = "file", "Repeated in this file"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(ImportSession, on_delete=models.CASCADE, related_name="candidates")
    position = models.IntegerField()
    name = models.CharField(max_length=255)
    content = models.TextField()
    # sha256 of the content with whitespace collapsed: how duplicates are recognised
    content_key = models.CharField(max_length=64)
    description = models.TextField(blank=True, default="")
    model = models.CharField(max_length=100, blank=True, default="")
    folder = models.CharField(max_length=500, blank=True, default="")
    tags = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    versions = models.JSONField(default=list, blank=True)
    reference = models.JSONField(default=dict, blank=True)
    source_created_at = models.DateTimeField(null=True, blank=True)
    kept = models.BooleanField(default=True)
    duplicate = models.CharField(max_length=10, choices=Duplicate.choices, blank=True, default="")
    # Why this is unlikely to be a prompt worth keeping ("A conversational reply"); "" if not.
    unlikely_reason = models.CharField(max_length=100, blank=True, default="", db_default="")
    # The position of the newest candidate this one is a near-copy of (the same prompt re-asked
    # with small edits); null when it has none or is that newest one.
    near_duplicate_of = models.IntegerField(null=True, blank=True)
    selected = models.BooleanField(default=True)
    # The prompt this candidate became, once imported.
    prompt = models.ForeignKey(
        "prompts.Prompt", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "import_candidates"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="import_candidate_position_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def origin_label(self) -> str:
        """Where the prompt was found, in words: a conversation, a project, a file."""
        reference = self.reference or {}
        for key in ("conversation_title", "title", "project_name", "task", "path"):
            value = reference.get(key)
            if value:
                return str(value)
        return ""
