from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from apps.accounts.models import User
from apps.prompts import validation
from apps.prompts.models import Prompt
from apps.prompts.sidebar import vault_changed


@transaction.atomic
def folder_rename(*, owner: User, old_path: str, new_path: str) -> int:
    """Rename or move a folder: every prompt in it or below it follows. Moving into the root
    (an empty new path) lifts its contents one level up. Returns how many prompts moved."""
    old_path = validation.clean_folder(old_path)
    new_path = validation.clean_folder(new_path)
    if not old_path:
        raise ValidationError({"folder": "Choose a folder to rename."})
    if new_path == old_path:
        return 0
    if new_path.startswith(old_path + "/"):
        raise ValidationError({"folder": "A folder can't be moved inside itself."})
    inside = Prompt.objects.filter(
        Q(folder=old_path) | Q(folder__startswith=old_path + "/"), user=owner
    )
    # The rest of each path after the old prefix, glued to the new prefix.
    rest = Substr("folder", len(old_path) + 1)
    if new_path:
        new_value = Concat(Value(new_path), rest)
    else:
        new_value = Substr("folder", len(old_path) + 2)
    moved = inside.filter(folder=old_path).update(folder=new_path, updated_at=timezone.now())
    moved += (
        inside.exclude(folder=new_path)
        .filter(folder__startswith=old_path + "/")
        .update(folder=new_value, updated_at=timezone.now())
    )
    if moved:
        vault_changed(owner.pk)
    return moved
