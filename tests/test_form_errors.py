"""One way from a service's ValidationError to what the person sees."""

from django import forms
from django.core.exceptions import ValidationError

from promptvault import form_errors


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def _bound():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    return form


def test_messages_land_on_the_fields_they_name_and_the_rest_above_the_form():
    form = _bound()
    form_errors.add_to_form(
        form, ValidationError({"name": "Too plain.", "colour": "Not a colour."})
    )
    assert form.errors["name"] == ["Too plain."]
    assert form.non_field_errors() == ["Not a colour."]


def test_an_error_naming_no_field_goes_above_the_form():
    form = _bound()
    form_errors.add_to_form(form, ValidationError(["First.", "Second."]))
    assert form.non_field_errors() == ["First.", "Second."]


def test_as_text_joins_every_message():
    assert form_errors.as_text(ValidationError({"a": "One.", "b": ["Two.", "Three."]})) == (
        "One. Two. Three."
    )
    assert form_errors.as_text(ValidationError("Alone.")) == "Alone."
