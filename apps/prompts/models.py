import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower, Now

from apps.prompts.search import SEARCH_CONFIG, PostgreSQLOnly
from promptvault.db import NamedIndex, StoredGeneratedField
from promptvault.reversing import reverse_with_id

DEFAULT_MODEL = "gpt-4"

# Target models offered in the editor. Imports may bring other slugs; they are kept as written.
MODEL_CHOICES = [
    ("gpt-4", "GPT-4"),
    ("gpt-4o", "GPT-4o"),
    ("gpt-4.1", "GPT-4.1"),
    ("gpt-5", "GPT-5"),
    ("o3", "OpenAI o3"),
    ("claude-opus-4", "Claude Opus 4"),
    ("claude-sonnet-4", "Claude Sonnet 4"),
    ("claude-haiku-4", "Claude Haiku 4"),
    ("gemini-2.5-pro", "Gemini 2.5 Pro"),
    ("gemini-2.5-flash", "Gemini 2.5 Flash"),
    ("llama-4", "Llama 4"),
    ("mistral-large", "Mistral Large"),
    ("deepseek-v3", "DeepSeek V3"),
    ("other", "Other"),
]
MODEL_LABELS = dict(MODEL_CHOICES)


def model_label(slug: str) -> str:
    """How a model is named on every page: "Claude Sonnet 4" for a listed slug, any other slug
    (brought by an import) as written."""
    return MODEL_LABELS.get(slug, slug)


class PromptManager(models.Manager):
    def get_queryset(self):
        # The search vector, often larger than the content, is for the database to search and
        # rank with: no page shows it, so a prompt is read without it.
        return super().get_queryset().defer("search_vector")


class Prompt(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by prompt_user_id_idx (Meta), not by the foreign key's own automatic index.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prompts", db_index=False
    )
    name = models.CharField(max_length=255)
    # What an application fetches the prompt by: unique in the vault, kept on rename and move
    # (apps/prompts/keys.py). prompt_user_key_unique also serves the look-up.
    key = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    content = models.TextField()
    model = models.CharField(max_length=100, default=DEFAULT_MODEL, db_default=DEFAULT_MODEL)
    is_public = models.BooleanField(default=False, db_default=False)
    folder = models.CharField(max_length=500, blank=True, default="")
    metadata = models.JSONField(default=dict, blank=True)
    # How many times people saved this prompt into their own vault from a share link or the
    # public gallery; the gallery sorts by it.
    save_count = models.IntegerField(default=0, db_default=0)
    tags = models.ManyToManyField("Tag", through="PromptTag", related_name="prompts", blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    # What full-text search matches and ranks (apps/prompts/search.py): the name, description
    # and content, weighted A, B, C, kept by PostgreSQL in a stored generated column that the
    # GIN index prompt_search_idx covers together with user_id (migrations 0005 and 0009).
    # NULL on SQLite, which searches by substring.
    search_vector = StoredGeneratedField(
        expression=PostgreSQLOnly(
            SearchVector("name", weight="A", config=SEARCH_CONFIG)
            + SearchVector("description", weight="B", config=SEARCH_CONFIG)
            + SearchVector("content", weight="C", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
        null=True,
    )

    objects = PromptManager()

    class Meta:
        db_table = "prompts"
        ordering = ["-updated_at"]
        # Reading a prompt through a relation (`version.prompt`) leaves the vector out too.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["user"], name="prompt_user_id_idx"),
            models.Index(fields=["folder"], name="prompt_folder_idx"),
            models.Index(fields=["is_public"], name="prompt_public_idx"),
            # The vault lists a user's prompts newest first; with the id as tie-breaker a deep
            # page's ids come from the index alone.
            models.Index(fields=["user", "-updated_at", "-id"], name="prompt_user_updated_idx"),
            # The folder tree and the model filter group one user's prompts.
            models.Index(fields=["user", "folder"], name="prompt_user_folder_idx"),
            models.Index(fields=["user", "model"], name="prompt_user_model_idx"),
            # The public gallery's two orders, over public prompts only.
            models.Index(
                fields=["-created_at"],
                condition=models.Q(is_public=True),
                name="prompt_public_recent_idx",
            ),
            models.Index(
                fields=["-save_count", "-created_at"],
                condition=models.Q(is_public=True),
                name="prompt_public_saved_idx",
            ),
            # The gallery's model filter lists the models of public prompts.
            models.Index(
                fields=["model"], condition=models.Q(is_public=True), name="prompt_public_model_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="prompt_user_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse_with_id("prompts:detail", self.pk)

    @property
    def model_label(self) -> str:
        return model_label(self.model)


class PromptVersion(models.Model):
    """One state of a prompt's content. Numbers run 1, 2, 3… per prompt with no gaps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    version = models.PositiveIntegerField()
    content = models.TextField()
    metadata = models.JSONField(default=dict, blank=True)
    change_message = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_versions",
        db_column="created_by",
    )

    class Meta:
        db_table = "prompt_versions"
        ordering = ["-version"]
        indexes = [models.Index(fields=["prompt"], name="version_prompt_id_idx")]
        constraints = [
            models.UniqueConstraint(fields=["prompt", "version"], name="prompt_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prompt_id} v{self.version}"


class Tag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=50)
    # user_tag_unique (user, name) serves lookups by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags", db_index=False
    )
    color = models.CharField(max_length=7, default="#3B82F6", db_default="#3B82F6")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        db_table = "tags"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="user_tag_unique"),
            # Names are unique regardless of case too, so "Email" and "email" saved at the same
            # moment can't both land.
            models.UniqueConstraint(F("user"), Lower("name"), name="user_tag_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PromptTag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # prompt_tag_primary (prompt, tag) serves lookups by prompt.
    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, related_name="prompt_tags", db_index=False
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="prompt_tags")

    class Meta:
        db_table = "prompt_tags"
        constraints = [models.UniqueConstraint(fields=["prompt", "tag"], name="prompt_tag_primary")]

    def __str__(self) -> str:
        return f"{self.prompt_id} · {self.tag_id}"


class PromptOptimization(models.Model):
    """One analysis or rewrite of a prompt, kept so its owner can review, accept or discard."""

    class Provider(models.TextChoices):
        ANALYZER = "analyzer", "Built-in analyzer"
        LLM = "llm", "Language model"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        RUNNING = "running", "Running"
        READY = "ready", "Ready for review"
        ACCEPTED = "accepted", "Accepted"
        DISCARDED = "discarded", "Discarded"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, related_name="optimizations", db_index=False
    )
    original_content = models.TextField()
    optimized_content = models.TextField()
    improvements = models.JSONField(default=list, blank=True)
    score_before = models.FloatField(null=True, blank=True)
    score_after = models.FloatField(null=True, blank=True)
    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.ANALYZER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    # A language model's rewrite: the version it started from (accepting it is refused once the
    # prompt has moved on), the version accepting it made, and why it failed when it did.
    base_version = models.ForeignKey(
        PromptVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_version = models.ForeignKey(
        PromptVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    llm_model = models.CharField(max_length=100, blank=True, default="")
    error = models.TextField(blank=True, default="")
    # The analyzer's criteria before and after: [{"key", "label", "score"}, …].
    criteria_before = models.JSONField(default=list, blank=True)
    criteria_after = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "prompt_optimizations"
        ordering = ["-created_at"]
        indexes = [
            NamedIndex(fields=["prompt"], name="prompt_optimizations_prompt_id_idx"),
            # A person's rewrites over the last hour are counted against their plan's rate.
            models.Index(fields=["requested_by", "created_at"], name="prompt_optim_requester_idx"),
        ]
        constraints = [
            # One rewrite of a prompt at a time, even when two requests race.
            models.UniqueConstraint(
                fields=["prompt"],
                condition=models.Q(status="running"),
                name="prompt_optim_one_running",
            )
        ]

    def __str__(self) -> str:
        return f"Optimization of {self.prompt_id}"


class PromptLabel(models.Model):
    """A name (`production`, `staging`, or a custom one) pointing at one version of a prompt,
    so applications fetch "production" and a person decides what that is. `latest` is implicit
    and never stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # prompt_label_unique (prompt, name) serves lookups by prompt.
    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, related_name="labels", db_index=False
    )
    name = models.CharField(max_length=50)
    version = models.ForeignKey(PromptVersion, on_delete=models.CASCADE, related_name="labels")
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "prompt_labels"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["prompt", "name"], name="prompt_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} → v{self.version_id}"


class PromptLabelMove(models.Model):
    """One move of a label: from which version to which (None when it was set for the first
    time, or removed), by whom and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.ForeignKey(
        Prompt, on_delete=models.CASCADE, related_name="label_moves", db_index=False
    )
    label = models.CharField(max_length=50)
    from_version = models.PositiveIntegerField(null=True, blank=True)
    to_version = models.PositiveIntegerField(null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moved_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        db_table = "prompt_label_moves"
        ordering = ["-moved_at", "-id"]
        indexes = [
            models.Index(fields=["prompt", "-moved_at", "-id"], name="prompt_label_move_idx")
        ]

    def __str__(self) -> str:
        return f"{self.label}: v{self.from_version} → v{self.to_version}"


class VaultState(models.Model):
    """Two counts kept by the database's own triggers (migrations 0013 and 0015), each moved in
    the same transaction as the write, so a cache keyed on one can't miss a write, whatever
    made it. `version`: how many times the vault's folders, tags or models have changed (any
    insert, delete or such update of its prompts, tags or prompt tags); the sidebar's cache is
    keyed on it. `data_version`: any change to its prompts, their versions, labels or tags, or
    its tags; the API's cached answers are keyed on it. A vault without a row isn't cached."""

    # Deleted by the database with its user: the user's prompts, deleted first, bump it again.
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(default=0)
    data_version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "vault_states"

    def __str__(self) -> str:
        return f"{self.owner_id} v{self.version}"
