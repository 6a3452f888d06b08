import json

from django import forms

from apps.prompts import keys, validation
from apps.prompts.models import DEFAULT_MODEL, MODEL_CHOICES, MODEL_LABELS

# The empty choice is the default: best match first while searching, recently updated otherwise.
# It has to be a choice of its own, or the form would always send an explicit sort and searches
# typed into the box would never be ranked.
SORT_CHOICES = [
    ("", "Best match, else recent"),
    ("-updated", "Recently updated"),
    ("-created", "Newest"),
    ("created", "Oldest"),
    ("name", "Name A–Z"),
    ("-name", "Name Z–A"),
]


def metadata_text(metadata: dict | None) -> str:
    """Stored metadata as the editor shows it: indented, unless indenting would take it past
    what the editor accepts back (deep nesting multiplies the indentation)."""
    if not metadata:
        return ""
    text = json.dumps(metadata, indent=2, ensure_ascii=False)
    if len(text) > validation.METADATA_TEXT_MAX:
        text = json.dumps(metadata, ensure_ascii=False, separators=(",", ":"))
    return text


class PromptForm(forms.Form):
    """Create and edit a prompt. Values are checked here for the form and again by the
    services, which are the authority for every other path."""

    # Long texts carry no maxlength: a browser would cut a paste short without a word. The
    # limits are checked on the server, which says how long the text is.
    name = forms.CharField(max_length=validation.NAME_MAX)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        strip=False,
        help_text="Write {{variable}} for parts you fill in each time you use the prompt. "
        f"At most {validation.CONTENT_MAX:,} characters.",
    )
    model = forms.ChoiceField(choices=MODEL_CHOICES, initial=DEFAULT_MODEL, label="Target model")
    folder = forms.CharField(
        max_length=validation.FOLDER_MAX,
        required=False,
        help_text="A path such as marketing/social. Leave empty for the top level.",
    )
    tags = forms.CharField(required=False, help_text="Comma-separated, for example: email, sales")
    is_public = forms.BooleanField(
        required=False,
        label="Public",
        help_text="Public prompts can be seen by anyone with the link and appear in the gallery.",
    )
    metadata = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        required=False,
        help_text='Optional JSON object, e.g. {"temperature": 0.2}.',
    )

    def __init__(self, *args, current_model: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # An imported prompt may target a model not in the list: keep it selectable.
        if current_model and current_model not in MODEL_LABELS:
            self.fields["model"].choices = [(current_model, current_model), *MODEL_CHOICES]
        self.fields["folder"].widget.attrs["list"] = "folder-options"

    def _clean_with(self, field: str, cleaner):
        try:
            return cleaner(self.cleaned_data.get(field))
        except forms.ValidationError as error:
            if hasattr(error, "error_dict"):
                raise forms.ValidationError(sum(error.message_dict.values(), [])) from error
            raise

    def clean_name(self):
        return self._clean_with("name", validation.clean_name)

    def clean_description(self):
        return self._clean_with("description", validation.clean_description)

    def clean_content(self):
        return self._clean_with("content", validation.clean_content)

    def clean_folder(self):
        return self._clean_with("folder", validation.clean_folder)

    def clean_tags(self):
        return self._clean_with("tags", validation.parse_tag_names)

    def clean_metadata(self):
        return self._clean_with("metadata", validation.clean_metadata)


class PromptEditForm(PromptForm):
    # Left empty, the key stays as it is.
    key = forms.CharField(
        max_length=keys.KEY_MAX,
        required=False,
        help_text="What applications fetch this prompt by through the API. Lowercase letters, "
        "digits, dots, dashes and underscores; unique in this vault. Renaming the prompt keeps it.",
    )
    change_message = forms.CharField(
        max_length=validation.CHANGE_MESSAGE_MAX,
        required=False,
        label="What changed?",
        help_text="Saved with the new version, like a commit message.",
    )
    seen_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    field_order = ["name", "description", "content", "change_message"]

    def clean_change_message(self):
        return self._clean_with("change_message", validation.clean_change_message)

    def clean_key(self):
        if not (self.cleaned_data.get("key") or "").strip():
            return ""
        return self._clean_with("key", keys.clean_key)


SEARCH_MAX = 200  # longer searches are cut, not refused


class TagNamesField(forms.Field):
    """Any number of `tag` parameters; empty ones (the "any tag" option) are dropped, and so
    are names no tag could have (too long, control characters), like any bad filter value."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        names = []
        for item in value[:10]:
            try:
                names.append(validation.clean_tag_name(str(item)))
            except forms.ValidationError:
                continue
        return list(dict.fromkeys(names))


class VaultFilterForm(forms.Form):
    """The vault's search box, filters, sort and page. A bad value falls back to its default
    without discarding the other filters; a tag name the vault doesn't have matches nothing."""

    q = forms.CharField(required=False)
    folder = forms.CharField(required=False, max_length=validation.FOLDER_MAX)
    tag = TagNamesField(required=False)
    model = forms.CharField(required=False, max_length=100)
    visibility = forms.ChoiceField(
        required=False, choices=[("", "Any"), ("public", "Public"), ("private", "Private")]
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def clean_folder(self):
        try:
            return validation.clean_folder(self.cleaned_data.get("folder", ""))
        except forms.ValidationError:
            return ""

    def filters(self) -> dict:
        """The valid values, each invalid or missing one replaced by its default."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": (data.get("q") or "")[:SEARCH_MAX],
            "folder": data.get("folder") or "",
            "tags": data.get("tag") or [],
            "model": data.get("model") or "",
            "visibility": data.get("visibility") or "",
            "sort": data.get("sort") or "",
        }


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("move", "Move to folder"),
        ("tag", "Add tag"),
        ("untag", "Remove tag"),
        ("delete", "Delete"),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(required=True, coerce=str)
    folder = forms.CharField(required=False, max_length=validation.FOLDER_MAX)
    tag = forms.CharField(required=False, max_length=validation.TAG_NAME_MAX)

    def __init__(self, *args, allowed_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(str(pk), str(pk)) for pk in allowed_ids]
        self.fields["ids"].error_messages["required"] = "Select at least one prompt first."
        self.fields["ids"].error_messages["invalid_choice"] = (
            "Some selected prompts no longer exist. Reload the page and try again."
        )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "move":
            try:
                cleaned["folder"] = validation.clean_folder(cleaned.get("folder", ""))
            except forms.ValidationError as error:
                self.add_error("folder", error.message_dict.get("folder", error.messages))
        if action in {"tag", "untag"}:
            try:
                cleaned["tag"] = validation.clean_tag_name(cleaned.get("tag", ""))
            except forms.ValidationError as error:
                self.add_error("tag", error.message_dict["name"])
        return cleaned


class TagForm(forms.Form):
    name = forms.CharField(max_length=validation.TAG_NAME_MAX)
    color = forms.CharField(
        max_length=7, initial="#3B82F6", widget=forms.TextInput(attrs={"type": "color"})
    )

    def clean_color(self):
        try:
            return validation.clean_color(self.cleaned_data.get("color", ""))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["color"]) from error


class TagMergeForm(forms.Form):
    source = forms.ChoiceField(label="Merge this tag")
    target = forms.ChoiceField(label="into")

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing chosen at first: a merge deletes a tag, so both sides are picked on purpose.
        choices = [("", "— choose —")] + [(str(tag.pk), tag.name) for tag in tags]
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices
        for name in ("source", "target"):
            self.fields[name].widget.attrs["class"] = "select--inline"
            self.fields[name].error_messages["required"] = (
                "Choose the tag to merge and the tag to merge it into."
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("source") == cleaned.get("target"):
            raise forms.ValidationError(
                "A tag can’t be merged into itself: choose two different tags."
            )
        return cleaned


class FolderRenameForm(forms.Form):
    old_path = forms.CharField(widget=forms.HiddenInput)
    new_path = forms.CharField(
        required=False,
        max_length=validation.FOLDER_MAX,
        label="New path",
        help_text="Rename it, or move it under another folder with a path like clients/acme.",
    )

    def clean_new_path(self):
        try:
            return validation.clean_folder(self.cleaned_data.get("new_path", ""))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["folder"]) from error


class ExportForm(forms.Form):
    FORMATS = [
        ("json", "JSON", "Every version, tags and metadata. Imports back without losing anything."),
        ("markdown", "Markdown zip", "One file per prompt in its folder, details as front matter."),
        ("csv", "CSV", "One row per prompt with its current text, for spreadsheets."),
    ]
    SCOPES = [("all", "Whole vault"), ("folder", "One folder"), ("selection", "Selected prompts")]
    format = forms.ChoiceField(choices=[(value, label) for value, label, _ in FORMATS])
    scope = forms.ChoiceField(choices=SCOPES, required=False)
    folder = forms.CharField(required=False, max_length=validation.FOLDER_MAX)

    def clean_folder(self):
        try:
            return validation.clean_folder(self.cleaned_data.get("folder", ""))
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["folder"]) from error

    def clean(self):
        cleaned = super().clean()
        # The page sends just a folder (empty for the whole vault); an explicit scope wins.
        if not cleaned.get("scope"):
            cleaned["scope"] = "folder" if cleaned.get("folder") else "all"
        return cleaned
