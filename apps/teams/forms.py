from django import forms

from apps.teams.models import Role


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Email address")
    role = forms.ChoiceField(
        choices=Role.choices,
        initial=Role.VIEWER,
        error_messages={"invalid_choice": "Choose viewer or editor."},
        help_text="Viewers read, copy and fork. Editors also edit prompts, folders and tags.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices, error_messages={"invalid_choice": "Choose viewer or editor."}
    )
