from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from apps.accounts.models import User
from apps.prompts import validation
from apps.prompts.models import Prompt
from apps.prompts.selectors import folder_counts


class FolderMergeNeeded(Exception):
    """The move would pour prompts into folders that already hold others; `folders` names them
    with how many prompts each holds, so the person can be asked before they mix."""

    def __init__(self, folders: list[tuple[str, int]]):
        self.folders = folders
        if len(folders) == 1:
            path, count = folders[0]
            text = (
                f"A folder named “{path}” already exists with {count} prompt{'s' * (count != 1)}."
            )
        else:
            names = ", ".join(f"“{path}”" for path, _ in folders)
            total = sum(count for _, count in folders)
            text = f"Folders named {names} already exist with {total} prompts between them."
        super().__init__(text)


def _folders_merged_into(owner: User, old_path: str, new_path: str) -> list[tuple[str, int]]:
    """The existing folders (outside the one moving) that the move would add prompts to, with
    their prompt counts. Moving to the top level lifts each subfolder there under its own name."""
    rows = folder_counts(owner)
    if new_path:
        targets = {new_path}
    else:
        prefix = old_path + "/"
        targets = {
            row["folder"][len(prefix) :].split("/")[0]
            for row in rows
            if row["folder"].startswith(prefix)
        }
    counts: dict[str, int] = {}
    for row in rows:
        folder = row["folder"]
        if folder == old_path or folder.startswith(old_path + "/"):
            continue
        for target in targets:
            if folder == target or folder.startswith(target + "/"):
                counts[target] = counts.get(target, 0) + row["count"]
    return sorted(counts.items())


@transaction.atomic
def folder_rename(*, owner: User, old_path: str, new_path: str, merge: bool = False) -> int:
    """Rename or move a folder: every prompt in it or below it follows. Moving into the root
    (an empty new path) lifts its contents one level up. A move onto folders that already hold
    other prompts raises FolderMergeNeeded unless `merge` says to mix them. Returns how many
    prompts moved."""
    old_path = validation.clean_folder(old_path)
    new_path = validation.clean_folder(new_path)
    if not old_path:
        raise ValidationError({"folder": "Choose a folder to rename."})
    if new_path == old_path:
        return 0
    if new_path.startswith(old_path + "/"):
        raise ValidationError({"folder": "A folder can't be moved inside itself."})
    if not merge:
        merged_into = _folders_merged_into(owner, old_path, new_path)
        if merged_into:
            raise FolderMergeNeeded(merged_into)
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
    return moved
