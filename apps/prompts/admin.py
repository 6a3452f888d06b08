"""Admin for prompts and everything hanging off them.

Prompts and tags are written through the services, exactly as in the product: a prompt added
here gets version 1 and counts against its owner, a content change becomes a new version
authored by the staff member, and deletions keep the owner's cached prompt count right.
"""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from apps.accounts.models import User
from apps.prompts import services, validation
from apps.prompts.forms import metadata_text
from apps.prompts.models import (
    MODEL_CHOICES,
    MODEL_LABELS,
    Prompt,
    PromptLabel,
    PromptLabelMove,
    PromptOptimization,
    PromptTag,
    PromptVersion,
    Tag,
    VaultState,
)
from apps.sharing.models import Share
from promptvault import entitlements


def _apply_cleaner(form: forms.Form, field: str, cleaner) -> None:
    """Run one of the services' validators on a cleaned value, reporting on that field."""
    if field not in form.cleaned_data:
        return
    try:
        form.cleaned_data[field] = cleaner(form.cleaned_data[field])
    except ValidationError as error:
        form.add_error(field, error.messages)


def deletable_with_versions(deleted_objects: tuple) -> tuple:
    """Versions can't be deleted one by one, but they go with their prompt: don't let that
    rule block deleting a prompt or its owner."""
    to_delete, model_count, perms_needed, protected = deleted_objects
    perms_needed.discard(PromptVersion._meta.verbose_name)
    return to_delete, model_count, perms_needed, protected


def _copy_saved_state(source, target) -> None:
    """Make the admin's unsaved instance the row a service just wrote, so the rest of the
    admin's save (inlines, log entry, redirect) refers to it."""
    for field in type(source)._meta.concrete_fields:
        if not field.generated:
            setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


class PromptAdminForm(forms.ModelForm):
    tag_names = forms.CharField(
        label="Tags",
        required=False,
        help_text="Comma-separated tag names from the owner's vault; missing ones are created.",
    )
    change_message = forms.CharField(
        required=False,
        max_length=validation.CHANGE_MESSAGE_MAX,
        help_text="Recorded on the new version when the content changes.",
    )
    # Parsed by the services' own validator: Django's JSONField would recurse into any depth
    # and accept NaN.
    metadata = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        help_text='A JSON object, e.g. {"temperature": 0.2}.',
    )

    class Meta:
        model = Prompt
        fields = ("user", "name", "description", "content", "model", "folder", "is_public")
        widgets = {"model": forms.Select(choices=MODEL_CHOICES)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(
                tag.name for tag in self.instance.tags.order_by("name")
            )
            self.fields["metadata"].initial = metadata_text(self.instance.metadata)
            current = self.instance.model
            # Imports keep models we don't list; they must stay selectable.
            if current and current not in MODEL_LABELS and "model" in self.fields:
                self.fields["model"].widget.choices = [(current, current), *MODEL_CHOICES]

    def clean(self):
        cleaned = super().clean()
        _apply_cleaner(self, "name", validation.clean_name)
        _apply_cleaner(self, "description", validation.clean_description)
        _apply_cleaner(self, "content", validation.clean_content)
        _apply_cleaner(self, "change_message", validation.clean_change_message)
        _apply_cleaner(self, "folder", validation.clean_folder)
        _apply_cleaner(self, "tag_names", validation.parse_tag_names)
        _apply_cleaner(self, "metadata", validation.clean_metadata)
        owner = cleaned.get("user")
        if self.instance._state.adding and owner is not None:
            try:
                entitlements.check_can_add_prompts(owner, 1)
            except entitlements.LimitReached as error:
                self.add_error("user", str(error))
        return cleaned


class PromptVersionInline(admin.TabularInline):
    model = PromptVersion
    fields = ("version", "change_message", "created_by", "created_at", "content_preview")
    readonly_fields = fields
    ordering = ("-version",)
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Content")
    def content_preview(self, version: PromptVersion) -> str:
        return Truncator(version.content).chars(120)


class ShareInline(admin.TabularInline):
    model = Share
    fields = (
        "share_code",
        "shared_by",
        "version",
        "expires_at",
        "revoked_at",
        "view_count",
        "created_at",
    )
    readonly_fields = ("share_code", "shared_by", "version", "view_count", "created_at")
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("shared_by", "version")

    def has_add_permission(self, request, obj=None) -> bool:
        # New links need a fresh secret code; the share admin makes one.
        return False


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    form = PromptAdminForm
    # The prompt's page is its owner's (and their team's): staff would be shown a 404.
    view_on_site = False
    list_display = ("name", "user", "folder", "model", "is_public", "tag_list", "updated_at")
    list_filter = ("is_public", "model", "created_at")
    search_fields = ("name", "description", "folder", "user__email", "user__name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    date_hierarchy = "updated_at"
    ordering = ("-updated_at",)
    inlines = [PromptVersionInline, ShareInline]
    actions = ["recount_owner_counts"]
    show_full_result_count = False

    def get_fieldsets(self, request, obj=None):
        main = ["user", "name", "description", "content", "change_message"]
        if obj is None:
            main.remove("change_message")
        return (
            (None, {"fields": main}),
            ("Organisation", {"fields": ("model", "folder", "tag_names", "is_public")}),
            ("Details", {"fields": ("metadata", "id", "created_at", "updated_at")}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["id", "created_at", "updated_at"]
        if obj is not None:
            # Moving a prompt to another vault would bypass both owners' limits and counts.
            readonly.append("user")
        return readonly

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        )

    @admin.display(description="Tags")
    def tag_list(self, prompt: Prompt) -> str:
        return ", ".join(tag.name for tag in prompt.tags.all())

    def save_model(self, request: HttpRequest, obj: Prompt, form, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            created = services.prompt_create(
                owner=data["user"],
                author=request.user,
                name=data["name"],
                content=data["content"],
                description=data.get("description", ""),
                model=data.get("model") or "",
                folder=data.get("folder", ""),
                tags=data.get("tag_names", []),
                is_public=data.get("is_public", False),
                metadata=data.get("metadata") or {},
            )
            _copy_saved_state(created, obj)
            return
        renamed = {"tag_names": "tags"}
        editable = ("name", "description", "content", "model", "folder", "is_public", "metadata")
        fields = {
            renamed.get(name, name): data[name]
            for name in (*editable, "tag_names")
            if name in form.changed_data
        }
        services.prompt_update(
            prompt=obj,
            author=request.user,
            change_message=data.get("change_message", ""),
            **fields,
        )

    def save_related(self, request, form, formsets, change):
        # Tags are set by the services in save_model; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_deleted_objects(self, objs, request):
        return deletable_with_versions(super().get_deleted_objects(objs, request))

    def delete_model(self, request: HttpRequest, obj: Prompt) -> None:
        services.prompt_delete(prompt=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Prompt]) -> None:
        by_owner: dict = defaultdict(list)
        for prompt_id, owner_id in queryset.values_list("pk", "user_id"):
            by_owner[owner_id].append(prompt_id)
        for owner in User.objects.filter(pk__in=by_owner):
            services.prompts_bulk_delete(owner=owner, prompt_ids=by_owner[owner.pk])

    @admin.action(description="Recount cached prompt counts of their owners")
    def recount_owner_counts(self, request: HttpRequest, queryset: QuerySet[Prompt]) -> None:
        owners = User.objects.filter(pk__in=queryset.values("user_id")).only("pk")
        fixed = services.prompts_recount(users=list(owners))
        self.message_user(
            request,
            f"Corrected the prompt count of {fixed} owner(s)."
            if fixed
            else "Every owner's prompt count was already right.",
            messages.SUCCESS if fixed else messages.INFO,
        )


@admin.register(PromptVersion)
class PromptVersionAdmin(admin.ModelAdmin):
    """Versions are history: the services write them, nobody edits or removes one."""

    list_display = ("prompt", "version", "change_message", "created_by", "created_at")
    list_select_related = ("prompt", "created_by")
    search_fields = ("prompt__name", "change_message", "created_by__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = (
        "prompt",
        "version",
        "content",
        "metadata",
        "change_message",
        "created_by",
        "created_at",
    )
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ("user", "name", "color")
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}

    def clean(self):
        cleaned = super().clean()
        _apply_cleaner(self, "name", validation.clean_tag_name)
        _apply_cleaner(self, "color", validation.clean_color)
        owner = cleaned.get("user") or getattr(self.instance, "user", None)
        name = cleaned.get("name")
        if owner is not None and name:
            taken = Tag.objects.filter(user=owner, name__iexact=name).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("name", f"This vault already has a tag called “{name}”.")
        return cleaned


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ("name", "user", "swatch", "prompt_total", "created_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__email")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)
    ordering = ("user__email", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "created_at") if obj is not None else ("created_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(prompt_total=Count("prompt_tags"))

    @admin.display(description="Colour")
    def swatch(self, tag: Tag) -> str:
        return format_html(
            '<span style="display:inline-block;width:1em;height:1em;border-radius:3px;'
            'background:{};vertical-align:middle"></span> {}',
            tag.color,
            tag.color,
        )

    @admin.display(description="Prompts", ordering="prompt_total")
    def prompt_total(self, tag: Tag) -> int:
        return tag.prompt_total

    def save_model(self, request, obj: Tag, form, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.tag_update(tag=obj, name=data["name"], color=data["color"])
        else:
            created = services.tag_create(
                owner=data["user"], name=data["name"], color=data["color"]
            )
            _copy_saved_state(created, obj)

    def delete_model(self, request, obj: Tag) -> None:
        services.tag_delete(tag=obj)

    def delete_queryset(self, request, queryset: QuerySet[Tag]) -> None:
        for tag in queryset:
            services.tag_delete(tag=tag)


class PromptTagAdminForm(forms.ModelForm):
    class Meta:
        model = PromptTag
        fields = ("prompt", "tag")

    def clean(self):
        cleaned = super().clean()
        prompt, tag = cleaned.get("prompt"), cleaned.get("tag")
        if prompt is not None and tag is not None and prompt.user_id != tag.user_id:
            self.add_error("tag", "Choose a tag from the prompt owner's vault.")
        return cleaned


@admin.register(PromptTag)
class PromptTagAdmin(admin.ModelAdmin):
    form = PromptTagAdminForm
    list_display = ("prompt", "tag", "owner")
    list_select_related = ("prompt__user", "tag")
    search_fields = ("prompt__name", "tag__name", "prompt__user__email")
    autocomplete_fields = ("prompt", "tag")

    @admin.display(description="Owner", ordering="prompt__user__email")
    def owner(self, link: PromptTag) -> User:
        return link.prompt.user

    def get_readonly_fields(self, request, obj=None):
        # A link is added or removed, never repointed: that would be removing one and adding
        # another, which is what the two buttons do.
        return ("prompt", "tag") if obj is not None else ()

    def save_model(self, request, obj: PromptTag, form, change: bool) -> None:
        if change:
            return
        link = services.prompt_tag_link(prompt=obj.prompt, tag=obj.tag)
        _copy_saved_state(link, obj)

    def delete_model(self, request, obj: PromptTag) -> None:
        services.prompt_tags_unlink(links=PromptTag.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset: QuerySet[PromptTag]) -> None:
        services.prompt_tags_unlink(links=queryset)


@admin.register(PromptOptimization)
class PromptOptimizationAdmin(admin.ModelAdmin):
    """A record of what a rewrite proposed and what became of it: made and decided by the
    optimization services, so staff read and delete it here but never edit it."""

    list_display = (
        "prompt",
        "provider",
        "status",
        "score_before",
        "score_after",
        "llm_model",
        "requested_by",
        "created_at",
    )
    list_filter = ("provider", "status", "created_at")
    list_select_related = ("prompt", "requested_by")
    search_fields = ("prompt__name", "prompt__user__email")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("prompt", "requested_by", "provider", "status", "llm_model", "error")}),
        ("Versions", {"fields": ("base_version", "result_version")}),
        (
            "Scores",
            {"fields": ("score_before", "score_after", "criteria_before", "criteria_after")},
        ),
        ("Content", {"fields": ("original_content", "optimized_content", "improvement_list")}),
        ("Times", {"fields": ("created_at", "finished_at")}),
    )
    readonly_fields = tuple(field for _title, options in fieldsets for field in options["fields"])

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Improvements, as the owner sees them")
    def improvement_list(self, optimization: PromptOptimization) -> str:
        items = optimization.improvements or []
        if not items:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((_describe(item),) for item in items)),
        )


def _describe(improvement) -> str:
    if isinstance(improvement, dict):
        return str(
            improvement.get("title") or improvement.get("message") or improvement.get("name") or ""
        ) or str(improvement)
    return str(improvement)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: staff read them here, never add or edit them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PromptLabel)
class PromptLabelAdmin(ReadOnlyAdmin):
    """Which version each label points at; moved through label_set so the move is recorded."""

    list_display = ("name", "prompt", "version", "updated_by", "updated_at")
    list_select_related = ("prompt", "version", "updated_by")
    search_fields = ("name", "prompt__name", "prompt__key", "prompt__user__email")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a removal must be recorded: label_remove does that


@admin.register(PromptLabelMove)
class PromptLabelMoveAdmin(ReadOnlyAdmin):
    list_display = ("label", "prompt", "from_version", "to_version", "moved_by", "moved_at")
    list_select_related = ("prompt", "moved_by")
    search_fields = ("label", "prompt__name", "prompt__key")
    date_hierarchy = "moved_at"

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(VaultState)
class VaultStateAdmin(ReadOnlyAdmin):
    """Each vault's version, kept by the database's triggers (apps/prompts/sidebar.py)."""

    list_display = ("owner", "version")
    list_select_related = ("owner",)
    search_fields = ("owner__email",)
