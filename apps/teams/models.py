import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"


class TeamInvite(models.Model):
    """An invitation into the inviter's vault. Once accepted it is the membership itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_invites",
        db_column="invited_by",
    )
    invited_email = models.EmailField(max_length=254)
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.VIEWER, db_default=Role.VIEWER
    )
    accepted = models.BooleanField(default=False, db_default=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    expires_at = models.DateTimeField()

    class Meta:
        db_table = "team_invites"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["invited_email"], name="invite_email_idx")]

    def __str__(self) -> str:
        return f"{self.invited_email} ({self.role})"
