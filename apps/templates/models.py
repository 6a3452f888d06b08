import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class PromptTemplate(models.Model):
    """A reusable starting point: official ones ship with PromptVault, others come from users."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    category = models.CharField(max_length=100)
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    description = models.TextField(blank=True, default="")
    content = models.TextField()
    # [{"name", "label", "description", "type", "options", "default", "required"}, …]
    variables = models.JSONField(default=list, blank=True)
    usage_count = models.IntegerField(default=0, db_default=0)
    rating = models.FloatField(null=True, blank=True)
    rating_count = models.IntegerField(default=0)
    is_official = models.BooleanField(default=False, db_default=False)
    is_featured = models.BooleanField(default=False, db_default=False)
    # The prompt a community template was published from; publishing it again updates this one.
    source_prompt = models.ForeignKey(
        "prompts.Prompt",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_templates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prompt_templates",
        db_column="created_by",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        db_table = "prompt_templates"
        ordering = ["-is_official", "category", "name"]
        indexes = [
            models.Index(fields=["category"], name="prompt_templates_category_idx"),
            models.Index(fields=["is_official"], name="prompt_templates_official_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateRating(models.Model):
    """One user's 1–5 rating of a template; the template's `rating` is their average."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(PromptTemplate, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="template_ratings"
    )
    score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        db_table = "template_ratings"
        constraints = [
            models.UniqueConstraint(
                fields=["template", "user"], name="template_rating_user_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="template_rating_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"
