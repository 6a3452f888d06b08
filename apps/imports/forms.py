from django import forms

from apps.imports.models import ImportSource
from apps.prompts import validation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Export file",
        help_text="A ChatGPT or Claude export zip, a Google Takeout Gemini folder as zip, Cline "
        "task folders, a Cursor state.vscdb, or Markdown, text, JSON, CSV, Prompty and "
        "Dotprompt files. You can pick several files.",
        error_messages={"required": "Choose a file to upload."},
    )
    source = forms.ChoiceField(
        required=False,
        choices=[("", "Detect automatically"), *ImportSource.choices],
        label="Source",
        error_messages={"invalid_choice": "Choose one of the offered sources."},
    )


class SourceForm(forms.Form):
    source = forms.ChoiceField(
        choices=ImportSource.choices,
        error_messages={"invalid_choice": "Choose one of the offered sources."},
    )


class ImportChoicesForm(forms.Form):
    folder = forms.CharField(required=False, max_length=validation.FOLDER_MAX, label="Into folder")
    tags = forms.CharField(required=False, label="Add tags", help_text="Comma-separated.")

    def clean_folder(self):
        try:
            return validation.clean_folder(self.cleaned_data.get("folder", ""))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["folder"]) from error

    def clean_tags(self):
        try:
            return validation.parse_tag_names(self.cleaned_data.get("tags", ""))
        except forms.ValidationError as error:
            raise forms.ValidationError(sum(error.message_dict.values(), [])) from error
