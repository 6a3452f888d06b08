from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html

from apps.imports.models import ImportCandidate, ImportSession


@admin.register(ImportSession)
class ImportSessionAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "user",
        "source",
        "status",
        "imported_count",
        "skipped_count",
        "original_filename",
        "size",
    )
    list_filter = ("source", "status", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "original_filename", "error")
    autocomplete_fields = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "file_size",
        "progress_done",
        "progress_total",
        "imported_count",
        "skipped_count",
        "created_at",
        "updated_at",
        "finished_at",
        "candidate_link",
    )
    fieldsets = (
        (None, {"fields": ("user", "source", "status", "error")}),
        ("Upload", {"fields": ("file", "original_filename", "file_size")}),
        (
            "Progress",
            {
                "fields": (
                    "progress_done",
                    "progress_total",
                    "imported_count",
                    "skipped_count",
                    "candidate_link",
                )
            },
        ),
        ("Details", {"fields": ("metadata", "created_at", "updated_at", "finished_at")}),
    )

    @admin.display(description="Size", ordering="file_size")
    def size(self, session: ImportSession) -> str:
        return filesizeformat(session.file_size)

    @admin.display(description="Candidates")
    def candidate_link(self, session: ImportSession) -> str:
        if session.pk is None:
            return "—"
        count = session.candidates.count()
        url = reverse("admin:imports_importcandidate_changelist")
        return format_html(
            '<a href="{}?session__id__exact={}">{} candidate(s)</a>', url, session.pk, count
        )

    def delete_model(self, request, obj: ImportSession) -> None:
        self.delete_queryset(request, ImportSession.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset: QuerySet[ImportSession]) -> None:
        storage = ImportSession._meta.get_field("file").storage
        with transaction.atomic():
            uploads = [name for name in queryset.values_list("file", flat=True) if name]
            queryset.delete()
        # Uploaded files are not part of the transaction: remove them once the rows are gone.
        for name in uploads:
            storage.delete(name)


@admin.register(ImportCandidate)
class ImportCandidateAdmin(admin.ModelAdmin):
    """What an upload offered in its preview. The import pipeline writes these; staff look."""

    list_display = ("name", "session", "position", "duplicate", "selected", "kept", "prompt")
    list_filter = ("duplicate", "selected", "kept")
    list_select_related = ("session", "prompt")
    search_fields = ("name", "session__user__email", "session__original_filename")
    ordering = ("session", "position")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
