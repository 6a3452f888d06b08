from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.teams import services
from apps.teams.models import TeamInvite
from promptvault.entitlements import LimitReached


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
    actions = ["resend", "revoke"]
    fieldsets = (
        (None, {"fields": ("invited_by", "invited_email", "role")}),
        ("State", {"fields": ("accepted", "accepted_by", "accepted_at", "revoked_at")}),
        ("Dates", {"fields": ("expires_at", "created_at")}),
    )

    # An edit here is not one of the teams services, which keep each person's count of teams
    # (`User.membership_count`): the people it touched are counted again.
    def save_model(self, request, obj, form, change) -> None:
        before = form.initial.get("accepted_by") if change else None
        super().save_model(request, obj, form, change)
        services.membership_counts_sync(user_ids=[pk for pk in (before, obj.accepted_by_id) if pk])

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        if obj.accepted_by_id:
            services.membership_counts_sync(user_ids=[obj.accepted_by_id])

    def delete_queryset(self, request, queryset) -> None:
        people = list(queryset.exclude(accepted_by=None).values_list("accepted_by", flat=True))
        super().delete_queryset(request, queryset)
        services.membership_counts_sync(user_ids=people)

    @admin.action(description="Resend the invite email (seven more days)")
    def resend(self, request: HttpRequest, queryset: QuerySet[TeamInvite]) -> None:
        sent, refused = 0, []
        for invite in queryset:
            try:
                services.invite_resend(invite=invite, base_url=request.build_absolute_uri("/"))
            except (ValidationError, LimitReached) as error:
                refused.append(f"{invite.invited_email}: {' '.join(_messages(error))}")
            else:
                sent += 1
        if sent:
            self.message_user(request, f"Resent {sent} invite(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Revoke (ends a membership at once)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[TeamInvite]) -> None:
        live = queryset.filter(revoked_at__isnull=True)
        count = 0
        for invite in live:
            services.invite_revoke(invite=invite)
            count += 1
        self.message_user(request, f"Revoked {count} invite(s).", messages.SUCCESS)


def _messages(error: Exception) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]
