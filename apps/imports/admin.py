from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat

from apps.imports.models import ImportSession


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
    )
    fieldsets = (
        (None, {"fields": ("user", "source", "status", "error")}),
        ("Upload", {"fields": ("file", "original_filename", "file_size")}),
        (
            "Progress",
            {"fields": ("progress_done", "progress_total", "imported_count", "skipped_count")},
        ),
        ("Details", {"fields": ("metadata", "created_at", "updated_at", "finished_at")}),
    )

    @admin.display(description="Size", ordering="file_size")
    def size(self, session: ImportSession) -> str:
        return filesizeformat(session.file_size)

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
