import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class Share(models.Model):
    """A link that shows one prompt to anyone holding its code, until it expires or is revoked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.ForeignKey("prompts.Prompt", on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shares",
        db_column="shared_by",
    )
    share_code = models.CharField(max_length=64)
    # Pinned links keep showing this version after later edits; unpinned ones follow the prompt.
    version = models.ForeignKey(
        "prompts.PromptVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.IntegerField(default=0, db_default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        db_table = "shares"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["share_code"], name="share_code_idx")]

    def __str__(self) -> str:
        return self.share_code
