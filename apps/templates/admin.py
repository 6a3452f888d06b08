from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, QuerySet
from django.http import HttpRequest

from apps.prompts import validation
from apps.prompts.forms import metadata_text
from apps.templates import services
from apps.templates.declarations import check_declarations
from apps.templates.models import PromptTemplate, TemplateRating

TEXT_FIELDS = ("name", "category", "description", "content", "variables")


class PromptTemplateAdminForm(forms.ModelForm):
    """Template texts are held to a prompt's limits by the prompts' validator, which also
    parses the variables (Django's JSONField would recurse into any depth)."""

    variables = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        help_text="A JSON list declaring each {{placeholder}} of the text exactly once: "
        '[{"name": "tone", "label": "Tone", "description": "", "type": "choice", '
        '"options": ["warm", "formal"], "default": "warm", "required": true}]. '
        "Types: text, multiline, choice (with options), number.",
    )

    class Meta:
        model = PromptTemplate
        fields = (
            "name",
            "slug",
            "category",
            "description",
            "is_official",
            "is_featured",
            "content",
            "variables",
            "created_by",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["variables"].initial = metadata_text(self.instance.variables) or "[]"

    def clean(self):
        cleaned = super().clean()
        present = {name: cleaned[name] for name in TEXT_FIELDS if name in cleaned}
        try:
            cleaned.update(validation.clean_template(present))
            # What staff save is what people fill in: the declarations must match the text.
            if "content" in cleaned and "variables" in cleaned:
                cleaned["variables"] = check_declarations(cleaned["content"], cleaned["variables"])
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                cleaned.pop(field, None)
                self.add_error(field, messages_)
        return cleaned


@admin.register(PromptTemplate)
class PromptTemplateAdmin(admin.ModelAdmin):
    form = PromptTemplateAdminForm
    list_display = (
        "name",
        "category",
        "is_official",
        "is_featured",
        "usage_count",
        "rating",
        "rating_count",
        "created_by",
        "created_at",
    )
    list_filter = ("is_official", "is_featured", "category", "created_at")
    list_select_related = ("created_by",)
    search_fields = ("name", "slug", "description", "category", "created_by__email")
    autocomplete_fields = ("created_by",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("usage_count", "rating", "rating_count", "created_at")
    date_hierarchy = "created_at"
    actions = ["mark_official", "unmark_official", "feature", "unfeature"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "slug",
                    "category",
                    "description",
                    "is_official",
                    "is_featured",
                )
            },
        ),
        ("Template", {"fields": ("content", "variables")}),
        (
            "Use and ratings",
            {"fields": ("usage_count", "rating", "rating_count", "created_by", "created_at")},
        ),
    )

    @admin.action(description="Mark official")
    def mark_official(self, request: HttpRequest, queryset: QuerySet[PromptTemplate]) -> None:
        changed = services.templates_mark(templates=queryset, official=True)
        self.message_user(request, f"Marked {changed} template(s) official.", messages.SUCCESS)

    @admin.action(description="Unmark official")
    def unmark_official(self, request: HttpRequest, queryset: QuerySet[PromptTemplate]) -> None:
        changed = services.templates_mark(templates=queryset, official=False)
        self.message_user(
            request, f"{changed} template(s) are no longer official.", messages.SUCCESS
        )

    @admin.action(description="Feature in the library")
    def feature(self, request: HttpRequest, queryset: QuerySet[PromptTemplate]) -> None:
        changed = services.templates_mark(templates=queryset, featured=True)
        self.message_user(request, f"Featured {changed} template(s).", messages.SUCCESS)

    @admin.action(description="Stop featuring")
    def unfeature(self, request: HttpRequest, queryset: QuerySet[PromptTemplate]) -> None:
        changed = services.templates_mark(templates=queryset, featured=False)
        self.message_user(
            request, f"{changed} template(s) are no longer featured.", messages.SUCCESS
        )


def _refresh_ratings(template_ids) -> None:
    """Recompute each template's average from its ratings, after staff add, edit or remove
    one (the template's `rating` is only ever the mean of its rows)."""
    for template_id in set(template_ids):
        figures = TemplateRating.objects.filter(template_id=template_id).aggregate(
            average=Avg("score"), total=Count("id")
        )
        PromptTemplate.objects.filter(pk=template_id).update(
            rating=figures["average"], rating_count=figures["total"]
        )


@admin.register(TemplateRating)
class TemplateRatingAdmin(admin.ModelAdmin):
    list_display = ("template", "user", "score", "created_at", "updated_at")
    list_filter = ("score",)
    list_select_related = ("template", "user")
    search_fields = ("template__name", "user__email")
    autocomplete_fields = ("template", "user")
    readonly_fields = ("created_at", "updated_at")

    @transaction.atomic
    def save_model(self, request, obj: TemplateRating, form, change: bool) -> None:
        previous = form.initial.get("template") if change else None
        super().save_model(request, obj, form, change)
        _refresh_ratings([obj.template_id, *([previous] if previous else [])])

    @transaction.atomic
    def delete_model(self, request, obj: TemplateRating) -> None:
        template_id = obj.template_id
        super().delete_model(request, obj)
        _refresh_ratings([template_id])

    @transaction.atomic
    def delete_queryset(self, request, queryset: QuerySet[TemplateRating]) -> None:
        template_ids = list(queryset.values_list("template_id", flat=True))
        super().delete_queryset(request, queryset)
        _refresh_ratings(template_ids)
