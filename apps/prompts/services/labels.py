"""Labels: which version of a prompt `production`, `staging` or a custom name stands for.
Every move is recorded, so the history says who promoted what, and when."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.prompts.models import Prompt, PromptLabel, PromptLabelMove, PromptVersion

LATEST = "latest"  # implicit: always the newest version, never stored
LABEL_RE = re.compile(r"[a-z0-9-]{1,50}")
LABELS_MAX = 20  # per prompt, so a label list stays short and cheap to read


def clean_label(value) -> str:
    label = str(value or "").strip()
    if not LABEL_RE.fullmatch(label):
        raise ValidationError(
            {
                "label": [
                    "A label is 1 to 50 lowercase letters, digits and dashes, such as production."
                ]
            }
        )
    if label == LATEST:
        raise ValidationError(
            {"label": ["“latest” always means the newest version; it can't be moved."]}
        )
    return label


def _locked(prompt: Prompt) -> Prompt:
    # Moves of one prompt's labels queue on its row, so each records the version it replaced.
    return Prompt.objects.select_for_update().get(pk=prompt.pk)


@transaction.atomic
def label_set(
    *, prompt: Prompt, label: str, version: PromptVersion | int, user: User | None
) -> PromptLabel:
    """Point `label` at `version` (a version of this prompt, or its number) and record the move."""
    label = clean_label(label)
    locked = _locked(prompt)
    number = version.version if isinstance(version, PromptVersion) else version
    if isinstance(version, PromptVersion) and version.prompt_id != locked.pk:
        raise ValidationError({"version": ["That version belongs to another prompt."]})
    try:
        target = locked.versions.get(version=int(number))
    except (PromptVersion.DoesNotExist, TypeError, ValueError, OverflowError) as error:
        raise ValidationError({"version": [f"This prompt has no version {number}."]}) from error
    current = (
        PromptLabel.objects.select_related("version").filter(prompt=locked, name=label).first()
    )
    if current is None:
        if PromptLabel.objects.filter(prompt=locked).count() >= LABELS_MAX:
            raise ValidationError({"label": [f"A prompt has at most {LABELS_MAX} labels."]})
        current = PromptLabel.objects.create(
            prompt=locked, name=label, version=target, updated_by=user
        )
        PromptLabelMove.objects.create(
            prompt=locked, label=label, from_version=None, to_version=target.version, moved_by=user
        )
        return current
    if current.version_id == target.pk:
        return current
    previous = current.version.version
    current.version = target
    current.updated_by = user
    current.save(update_fields=["version", "updated_by", "updated_at"])
    PromptLabelMove.objects.create(
        prompt=locked, label=label, from_version=previous, to_version=target.version, moved_by=user
    )
    return current


@transaction.atomic
def label_remove(*, prompt: Prompt, label: str, user: User | None) -> bool:
    """Take `label` off the prompt and record it; False when it wasn't there."""
    label = clean_label(label)
    locked = _locked(prompt)
    current = (
        PromptLabel.objects.select_related("version").filter(prompt=locked, name=label).first()
    )
    if current is None:
        return False
    PromptLabelMove.objects.create(
        prompt=locked,
        label=label,
        from_version=current.version.version,
        to_version=None,
        moved_by=user,
    )
    current.delete()
    return True
