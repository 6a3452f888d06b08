from django import forms

from apps.sharing.services import EXPIRY_LABELS


class ShareCreateForm(forms.Form):
    expires_in = forms.ChoiceField(
        label="Link expires",
        choices=list(EXPIRY_LABELS.items()),
        initial="7d",
        error_messages={"invalid_choice": "Choose one of the offered expiry times."},
    )
    pin_version = forms.BooleanField(
        required=False,
        label="Pin to the current version",
        help_text="Visitors keep seeing this version even after you edit the prompt.",
    )


class GalleryFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    model = forms.CharField(required=False, max_length=100)
    tag = forms.CharField(required=False, max_length=50)
    sort = forms.ChoiceField(required=False, choices=[("new", "Newest"), ("saved", "Most saved")])
