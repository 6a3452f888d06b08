from django.contrib import admin

from apps.teams.models import TeamInvite


@admin.register(TeamInvite)
class TeamInviteAdmin(admin.ModelAdmin):
    list_display = (
        "invited_email",
        "invited_by",
        "role",
        "accepted",
        "accepted_by",
        "expires_at",
        "revoked_at",
        "created_at",
    )
    list_filter = ("role", "accepted", "expires_at")
    list_select_related = ("invited_by", "accepted_by")
    search_fields = ("invited_email", "invited_by__email", "accepted_by__email")
    autocomplete_fields = ("invited_by", "accepted_by")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("invited_by", "invited_email", "role")}),
        ("State", {"fields": ("accepted", "accepted_by", "accepted_at", "revoked_at")}),
        ("Dates", {"fields": ("expires_at", "created_at")}),
    )
