from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from apps.sharing import services
from apps.sharing.models import Share


class ShareAddForm(forms.ModelForm):
    """A new link is made by the sharing service, which draws its secret code."""

    expires_in = forms.ChoiceField(
        label="Expires", choices=list(services.EXPIRY_LABELS.items()), initial="never"
    )

    class Meta:
        model = Share
        fields = ("prompt", "version")
        help_texts = {"version": "Pin the link to this version; leave empty to follow edits."}

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
        if self.value() == "live":
            return queryset.filter(services.live_shares_q())
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ShareAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("prompt", "version", "expires_in")
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

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A link's code and target are what people already hold; changing them would
        # silently repoint or break it.
        return ("prompt", "version", "share_code", "shared_by", "view_count", "created_at")

    def save_model(self, request, obj: Share, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        # Only a prompt's owner shares it, so the link is theirs whoever made it here.
        created = services.share_create(
            prompt=data["prompt"],
            shared_by=data["prompt"].user,
            expires_in=data["expires_in"],
            version=data.get("version"),
        )
        for field in Share._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        obj._state.db = created._state.db

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
