import unicodedata
import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Now

# The tiers are the plans' own, defined beside them; the account stores which one applies.
from promptvault.entitlements import Tier


def normalize_email(address: str | None) -> str:
    """The one spelling of an address that is stored, looked up and throttled: Unicode
    compatibility forms folded (NFKC) and case folded, so "Alice@Example.COM", a long s
    ("ſ") for an "s", a Kelvin sign for a "K" or full-width letters all become the plain
    address, the same account and the same log-in counter.

    Look-alikes from other scripts that Unicode does not fold (a Cyrillic "а", a dotless
    "ı") are kept, not refused: they are different mailboxes, and refusing every non-ASCII
    address would shut out internationalised ones. They can't reach anyone else's account
    because accounts are found by exact comparison with this form, never by the database's
    own case rules (PostgreSQL's UPPER() turns "ı" into "I"). Folding can lengthen an
    address, so forms check the length of the result (accounts.forms.EmailAddressField)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", address or "").casefold())
    return folded.strip()


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return normalize_email(email)

    def email_taken(self, email: str | None, *, excluding=None) -> bool:
        """Whether an account other than `excluding` already has this address. Addresses are
        stored normalised, so the check ignores case; sign-up, email change and the admin all
        ask here."""
        taken = self.filter(email=normalize_email(email))
        if excluding is not None and excluding.pk is not None:
            taken = taken.exclude(pk=excluding.pk)
        return taken.exists()

    def get_by_natural_key(self, username: str):
        return self.get(email=normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A PromptVault account. The email address is the login."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address", max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True, default="")
    tier = models.CharField(
        max_length=20, choices=Tier.choices, default=Tier.FREE, db_default=Tier.FREE
    )
    prompt_count = models.IntegerField(default=0, db_default=0)
    # How many teams the person belongs to, kept by the teams services. A hint, never a
    # permission: with none, a page reads a prompt without asking for a role in its vault
    # (apps/prompts/access.py), and a vault that isn't theirs is then checked by a query of
    # its own, so a count gone stale costs a query, not access.
    membership_count = models.IntegerField("team memberships", default=0, db_default=0)
    stripe_customer_id = models.CharField(max_length=255, null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, null=True, blank=True)
    # The subscription as last read from Stripe (webhook or billing_sync); the tier is decided
    # from its price and status, never from an event's type.
    stripe_price_id = models.CharField(max_length=255, blank=True, default="", db_default="")
    subscription_status = models.CharField(max_length=32, blank=True, default="", db_default="")
    subscription_period_end = models.DateTimeField(null=True, blank=True)
    subscription_cancel_at_period_end = models.BooleanField(default=False, db_default=False)
    # When a payment first failed; the plan is kept for BILLING_GRACE_DAYS from then.
    past_due_since = models.DateTimeField(null=True, blank=True)
    # Creation time of the newest Stripe event applied: an older one arriving late is ignored.
    stripe_event_created = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # When the address was shown to reach its owner (a signed link opened, or sign-up from an
    # invite mail); None until then. Accepting an invite needs it.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # A new login address asked for and not yet confirmed from its own inbox.
    pending_email = models.EmailField(max_length=254, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        db_table = "users"
        ordering = ["email"]
        indexes = [models.Index(fields=["email"], name="user_email_idx")]

    def __str__(self) -> str:
        return self.email

    @classmethod
    def normalize_username(cls, username):
        # Model forms (the admin's included) clean the login through this.
        return normalize_email(username) if isinstance(username, str) else username

    @property
    def display_name(self) -> str:
        """What other people see: the name, or the part of the address before the @."""
        return self.name or self.email.split("@", 1)[0]

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.display_name


class StripeEvent(models.Model):
    """A Stripe webhook event already processed; its id makes the webhook idempotent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    processed_at = models.DateTimeField(auto_now_add=True)
    # What processing the event did (applied, ignored and why), for support and the admin.
    outcome = models.CharField(max_length=255, blank=True, default="", db_default="")

    class Meta:
        db_table = "stripe_events"
        ordering = ["-processed_at"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class ApiKey(models.Model):
    """A secret that lets a program act as its person through the API. Only the secret's
    SHA-256 is stored: the secret itself is shown once, when the key is made."""

    READ = "read"
    WRITE = "write"
    SCOPES = (READ, WRITE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    # The secret's first characters, so a person can tell their keys apart in the list.
    prefix = models.CharField(max_length=16)
    # Hex SHA-256 of the whole secret; the unique index serves every request's look-up.
    hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "api_keys"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
