from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS

from apps.accounts import throttling
from apps.accounts.models import User, normalize_email


class EmailAddressField(forms.EmailField):
    """An address as accounts store it: normalised (models.normalize_email), and checked
    again once normalised, since folding can lengthen it past the column or change it."""

    def clean(self, value):
        address = normalize_email(super().clean(value))
        if address:
            self.run_validators(address)
        return address


class SignupForm(forms.Form):
    name = forms.CharField(
        max_length=150, required=False, help_text="Shown to people you share prompts with."
    )
    email = EmailAddressField(max_length=254)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.email_taken(email):
            raise forms.ValidationError(
                "An account with this email address already exists. Log in instead?"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    """Log-in by email and password, throttled (accounts.throttling). Every log-in page uses
    this form, the admin's too, so there is no way round the limits."""

    username = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autofocus": True})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password don't match an account. Check both and try "
        "again.",
    }

    def clean(self):
        # An address the field refused never reaches a password check, so it counts for
        # nothing; the client's address is still checked.
        email = self.cleaned_data.get("username") or ""
        if throttling.login_blocked(self.request, email):
            # Refused before the password is checked, so a paused attacker learns nothing
            # and costs us no hashing.
            raise forms.ValidationError(throttling.blocked_message(), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttling.record_failed_login(self.request, email)
            raise
        if self.user_cache is not None:
            throttling.clear_account_failures(self.user_cache.email)
        return cleaned

    def is_throttled(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, code="throttled")


class AdminLoginForm(EmailAuthenticationForm, AdminAuthenticationForm):
    """The admin site's log-in: the app's throttled form, for staff only."""

    error_messages = AdminAuthenticationForm.error_messages


class ProfileForm(forms.Form):
    """The display name. The login address has a form of its own (EmailChangeForm)."""

    name = forms.CharField(max_length=150, required=False)


class EmailChangeForm(forms.Form):
    """A new login address, asked for with the current password: a session left open is not
    enough to move the account to another inbox."""

    email = EmailAddressField(label="New email address", max_length=254)
    password = forms.CharField(
        label="Your current password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email == self.user.email:
            raise forms.ValidationError("That is already your address.")
        if User.objects.email_taken(email, excluding=self.user):
            raise forms.ValidationError("Another account already uses this email address.")
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not correct.")
        return password


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
        help_text="Deleting your account removes every prompt, version, tag, share link and "
        "import you own. This cannot be undone.",
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not correct.")
        return password


class ApiKeyForm(forms.Form):
    SCOPE_CHOICES = [("read", "Read prompts"), ("read write", "Read and write prompts")]
    EXPIRY_CHOICES = [
        ("", "Never"),
        ("30", "In 30 days"),
        ("90", "In 90 days"),
        ("365", "In a year"),
    ]

    name = forms.CharField(
        max_length=100, help_text="Which app or script uses it, so you know what to revoke."
    )
    scopes = forms.ChoiceField(choices=SCOPE_CHOICES, initial="read", label="Access")
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")
