"""Showing a service's ValidationError to the person: on the form fields it names, or as one
line for a flash message. Services raise with field names; views call these."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def messages_by_field(error: ValidationError) -> dict[str, list[str]]:
    """The messages keyed by field; an error naming no field is keyed NON_FIELD_ERRORS."""
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {NON_FIELD_ERRORS: error.messages}


def add_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put each message on the form field it names; messages for fields the form doesn't have
    go above the form, so none is lost."""
    for field, messages in messages_by_field(error).items():
        form.add_error(field if field in form.fields else None, messages)


def as_text(error: ValidationError) -> str:
    """Every message of the error on one line, for a flash message or a page."""
    return " ".join(error.messages)
