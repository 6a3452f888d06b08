import secrets

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from apps.sharing.models import Share


def _new_share_code() -> str:
    # 24 random bytes: 192 bits, comfortably past the 128 the product promises.
    return secrets.token_urlsafe(24)


class ShareAdminForm(forms.ModelForm):
    class Meta:
        model = Share
        fields = ("prompt", "version", "share_code", "expires_at", "revoked_at")

    def clean_share_code(self) -> str:
        code = self.cleaned_data["share_code"].strip()
        if len(code) < 22:
            raise forms.ValidationError(
                "Share codes need at least 22 characters so they can't be guessed."
            )
        return code

    def clean(self):
        cleaned = super().clean()
        prompt, version = cleaned.get("prompt"), cleaned.get("version")
        if prompt is not None and version is not None and version.prompt_id != prompt.pk:
            self.add_error("version", "Choose a version of the shared prompt.")
        return cleaned


class ShareStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("live", "Live"), ("expired", "Expired"), ("revoked", "Revoked"))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.filter(revoked_at__isnull=True).filter(
                Q(expires_at__isnull=True) | Q(expires_at__gt=now)
            )
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    form = ShareAdminForm
    list_display = (
        "share_code",
        "prompt",
        "shared_by",
        "state",
        "expires_at",
        "view_count",
        "created_at",
    )
    list_filter = (ShareStateFilter, "created_at")
    list_select_related = ("prompt", "shared_by")
    search_fields = ("share_code", "prompt__name", "shared_by__email")
    autocomplete_fields = ("prompt", "version")
    date_hierarchy = "created_at"
    actions = ["expire_now"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("view_count", "created_at")
        # A link's code and target are what people already hold; changing them would
        # silently repoint or break it.
        return ("prompt", "version", "share_code", "shared_by", "view_count", "created_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("prompt", "version", "share_code", "expires_at")
        return (
            "prompt",
            "version",
            "share_code",
            "shared_by",
            "expires_at",
            "revoked_at",
            "view_count",
            "created_at",
        )

    def get_changeform_initial_data(self, request):
        return {"share_code": _new_share_code(), **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj: Share, form, change: bool) -> None:
        if not change:
            # Only a prompt's owner shares it, so the link is theirs whoever made it here.
            obj.shared_by_id = obj.prompt.user_id
        super().save_model(request, obj, form, change)

    @admin.display(description="State")
    def state(self, share: Share) -> str:
        if share.revoked_at is not None:
            return "Revoked"
        if share.expires_at is not None and share.expires_at <= timezone.now():
            return "Expired"
        return "Live"

    @admin.action(description="Expire now")
    def expire_now(self, request: HttpRequest, queryset: QuerySet[Share]) -> None:
        now = timezone.now()
        # Links already past their expiry keep the moment they died.
        expired = queryset.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).update(
            expires_at=now
        )
        self.message_user(request, f"Expired {expired} share link(s).", messages.SUCCESS)
