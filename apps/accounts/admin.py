from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from apps.accounts import billing, services
from apps.accounts.forms import EmailAddressField
from apps.accounts.models import ApiKey, StripeEvent, User
from apps.prompts import services as prompt_services
from apps.prompts.admin import deletable_with_versions


class UserCreationAdminForm(BaseUserCreationForm):
    """Staff create an account from an email address and a password, nothing more."""

    email = EmailAddressField(label="Email address", max_length=254)

    class Meta:
        model = User
        fields = ("email", "name", "tier")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.email_taken(email):
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class UserChangeAdminForm(UserChangeForm):
    email = EmailAddressField(label="Email address", max_length=254)

    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.email_taken(email, excluding=self.instance):
            raise forms.ValidationError("Another account already uses this email address.")
        return email


def _dashboard_link(kind: str, object_id: str | None) -> str:
    if not object_id:
        return "—"
    return format_html(
        '<a href="{}" target="_blank" rel="noopener noreferrer">Open in the Stripe dashboard</a>',
        billing.dashboard_url(kind, object_id),
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = (
        "email",
        "name",
        "tier",
        "prompt_count",
        "is_staff",
        "is_active",
        "created_at",
        "last_login",
    )
    list_filter = ("tier", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "name", "stripe_customer_id", "stripe_subscription_id")
    ordering = ("email",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "prompt_count",
        "membership_count",
        "created_at",
        "updated_at",
        "last_login",
        "stripe_customer_link",
        "stripe_subscription_link",
        "stripe_price_id",
        "subscription_status",
        "subscription_period_end",
        "subscription_cancel_at_period_end",
        "past_due_since",
        "stripe_event_created",
    )
    fieldsets = (
        (None, {"fields": ("email", "password", "name")}),
        ("Plan and usage", {"fields": ("tier", "prompt_count", "membership_count")}),
        (
            "Billing",
            {
                "description": "Set from Stripe by the webhook and `manage.py billing_sync`. "
                "Staff may still set the plan above by hand, e.g. without Stripe keys.",
                "fields": (
                    ("stripe_customer_id", "stripe_customer_link"),
                    ("stripe_subscription_id", "stripe_subscription_link"),
                    "stripe_price_id",
                    "subscription_status",
                    "subscription_period_end",
                    "subscription_cancel_at_period_end",
                    "past_due_since",
                    "stripe_event_created",
                ),
            },
        ),
        (
            "Permissions",
            {
                "classes": ("collapse",),
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "tier", "password1", "password2"),
            },
        ),
    )
    actions = ["recount_prompt_counts"]

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Save only what the form changed: prompt_count moves under the services' row lock,
        # and writing back the value read when the form was loaded could undo a concurrent
        # create or delete.
        concrete = {field.name for field in User._meta.concrete_fields}
        changed = [name for name in form.changed_data if name in concrete]
        if changed:
            obj.save(update_fields=[*changed, "updated_at"])

    def get_deleted_objects(self, objs, request):
        return deletable_with_versions(super().get_deleted_objects(objs, request))

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.user_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_delete(user=user)

    @admin.display(description="Customer at Stripe")
    def stripe_customer_link(self, obj: User) -> str:
        return _dashboard_link("customers", obj.stripe_customer_id)

    @admin.display(description="Subscription at Stripe")
    def stripe_subscription_link(self, obj: User) -> str:
        return _dashboard_link("subscriptions", obj.stripe_subscription_id)

    @admin.action(description="Recount cached prompt counts")
    def recount_prompt_counts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        fixed = prompt_services.prompts_recount(users=list(queryset.only("pk")))
        if fixed:
            self.message_user(
                request, f"Corrected the prompt count of {fixed} user(s).", messages.SUCCESS
            )
        else:
            self.message_user(request, "Every selected prompt count was already right.")


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    """Processed webhook events. Read-only: a row here means Stripe's event was applied, so
    adding or editing one by hand would make the webhook skip or misreport real events, and
    deleting one would let a redelivery of it apply again."""

    list_display = ("event_type", "event_id", "outcome", "processed_at")
    list_filter = ("event_type",)
    search_fields = ("event_id", "event_type")
    date_hierarchy = "processed_at"
    readonly_fields = ("event_id", "event_type", "outcome", "payload", "processed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """People's API keys: only the secret's hash is stored, so there is nothing here that could
    call the API. Staff may revoke a key (for a leak or abuse), never make or edit one."""

    list_display = ("name", "prefix", "user", "scopes", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    exclude = ("hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            services.api_key_revoke(key=key)
        self.message_user(request, "The selected keys were revoked.", messages.SUCCESS)
