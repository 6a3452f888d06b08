from django import forms

from apps.prompts import validation
from apps.templates.selectors import DEFAULT_SORT, SORTS


class LibraryFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    category = forms.CharField(required=False, max_length=validation.TEMPLATE_CATEGORY_MAX)
    sort = forms.ChoiceField(
        required=False,
        choices=[("popular", "Most used"), ("rated", "Top rated"), ("newest", "Newest")],
    )

    def filters(self) -> dict[str, str]:
        cleaned = self.cleaned_data if self.is_valid() else {}
        return {
            "q": cleaned.get("q") or "",
            "category": cleaned.get("category") or "",
            "sort": cleaned.get("sort") if cleaned.get("sort") in SORTS else DEFAULT_SORT,
        }


class PublishForm(forms.Form):
    category = forms.ChoiceField(choices=())
    description = forms.CharField(
        required=False,
        max_length=validation.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the template is for. Leave empty to use the prompt's description.",
    )

    def __init__(self, *args, categories: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories.items())
