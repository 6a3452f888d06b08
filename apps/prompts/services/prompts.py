from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.accounts.models import User
from apps.prompts import keys, validation
from apps.prompts.models import DEFAULT_MODEL, Prompt, PromptTag, PromptVersion, Tag
from apps.prompts.services.tags import tags_get_or_create
from promptvault import entitlements

EDITABLE_FIELDS = {
    "name",
    "key",
    "description",
    "content",
    "model",
    "folder",
    "tags",
    "is_public",
    "metadata",
}


class PromptConflict(Exception):
    """The prompt changed after the editor was opened; saving would overwrite someone's work."""

    def __init__(self, prompt: Prompt):
        super().__init__(
            "This prompt was changed after you opened it. Review the latest version below, "
            "then apply your changes again."
        )
        self.prompt = prompt


def clean_prompt_fields(fields: dict) -> dict:
    """Validate a prompt's fields by name, collecting every error before raising."""
    cleaned = {}
    errors: dict[str, list] = {}
    cleaners = {
        "name": validation.clean_name,
        "content": validation.clean_content,
        "folder": validation.clean_folder,
        "metadata": validation.clean_metadata,
        "description": validation.clean_description,
        "change_message": validation.clean_change_message,
        "key": keys.clean_key,
    }
    for key, value in fields.items():
        try:
            if key in cleaners:
                cleaned[key] = cleaners[key](value)
            elif key == "model":
                cleaned[key] = validation.clean_model(value, DEFAULT_MODEL)
            elif key == "tags":
                cleaned[key] = validation.parse_tag_names(value)
            elif key == "is_public":
                cleaned[key] = bool(value)
            else:
                raise ValidationError(f"{key!r} is not a field of a prompt.")
        except ValidationError as error:
            for field, messages in error.update_error_dict({}).items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _set_tags(prompt: Prompt, tags: list[Tag]) -> bool:
    """Give the prompt exactly these tags; True when that changed anything."""
    wanted = {tag.pk for tag in tags}
    current = set(PromptTag.objects.filter(prompt=prompt).values_list("tag_id", flat=True))
    if wanted == current:
        return False
    PromptTag.objects.filter(prompt=prompt, tag_id__in=current - wanted).delete()
    PromptTag.objects.bulk_create(
        [PromptTag(prompt=prompt, tag_id=tag_id) for tag_id in wanted - current]
    )
    return True


def prompt_count_adjust(*, owner_id, delta: int) -> None:
    """Move the vault's prompt count by `delta`, never below zero. The caller holds the
    owner's lock (`entitlements.lock_owner`)."""
    User.objects.filter(pk=owner_id).update(
        prompt_count=Greatest(F("prompt_count") + delta, Value(0))
    )


def _add_version(
    prompt: Prompt, *, author: User | None, content: str, message: str
) -> PromptVersion:
    """Append the next version. The caller holds the prompt's row lock, so the number is free."""
    latest = prompt.versions.aggregate(n=Max("version"))["n"] or 0
    return PromptVersion.objects.create(
        prompt=prompt,
        version=latest + 1,
        content=content,
        metadata=prompt.metadata,
        change_message=message,
        created_by=author,
    )


@transaction.atomic
def prompt_create(
    *,
    owner: User,
    author: User | None,
    name: str,
    content: str,
    description: str = "",
    model: str = DEFAULT_MODEL,
    folder: str = "",
    tags: Iterable[str] = (),
    is_public: bool = False,
    metadata: dict | None = None,
    change_message: str = "Initial version",
    key: str | None = None,
) -> Prompt:
    """Create a prompt with version 1 in `owner`'s vault, counted against their plan. Its key
    is `key` when given (refused if taken), else made from the name."""
    fields = clean_prompt_fields(
        {
            **({"key": key} if key is not None else {}),
            "name": name,
            "content": content,
            "description": description,
            "model": model,
            "folder": folder,
            "tags": tags,
            "is_public": is_public,
            "metadata": metadata,
            "change_message": change_message,
        }
    )
    change_message = fields.pop("change_message")
    locked_owner = entitlements.lock_owner(owner)
    entitlements.check_can_add_prompts(locked_owner, 1)
    tag_names = fields.pop("tags")
    prompt = _insert_with_key(owner, fields)
    _add_version(prompt, author=author, content=prompt.content, message=change_message)
    if tag_names:
        _set_tags(prompt, tags_get_or_create(owner=owner, names=tag_names))
    prompt_count_adjust(owner_id=owner.pk, delta=+1)
    owner.prompt_count = locked_owner.prompt_count + 1
    return prompt


KEY_TAKEN = "Another prompt in this vault already has this key."
KEY_ATTEMPTS = 5


def _insert_with_key(owner: User, fields: dict) -> Prompt:
    """Insert the prompt with its chosen key, or the first free key made from its name. The
    unique constraint is the authority: a key taken meanwhile by a concurrent write (a key
    edit doesn't take the owner's lock) makes a made key try again, a chosen one fail."""
    chosen = fields.pop("key", None)
    for _attempt in range(KEY_ATTEMPTS):
        key = chosen or keys.free_key_for(owner.pk, fields["name"])
        try:
            with transaction.atomic():
                return Prompt.objects.create(user=owner, key=key, **fields)
        except IntegrityError as error:
            if not Prompt.objects.filter(user=owner, key=key).exists():
                raise
            if chosen:
                raise ValidationError({"key": [KEY_TAKEN]}) from error
    raise ValidationError({"key": ["A key could not be made for this prompt; try again."]})


@transaction.atomic
def prompt_update(
    *,
    prompt: Prompt,
    author: User | None,
    change_message: str = "",
    seen_at: datetime | None = None,
    **fields,
) -> Prompt:
    """Change a prompt. A content change appends a version; other fields never do.

    `seen_at` is the `updated_at` the editor was opened with: if the prompt changed since,
    PromptConflict is raised and nothing is saved.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"Unknown prompt fields: {', '.join(sorted(unknown))}.")
    fields = clean_prompt_fields({**fields, "change_message": change_message})
    change_message = fields.pop("change_message")
    locked = Prompt.objects.select_for_update().get(pk=prompt.pk)
    if seen_at is not None and locked.updated_at > seen_at:
        raise PromptConflict(locked)

    tag_names = fields.pop("tags", None)
    new_content = fields.get("content")
    content_changed = new_content is not None and new_content != locked.content
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, fields[name])
    if content_changed:
        message = (change_message or "").strip() or "Edited content"
        _add_version(locked, author=author, content=new_content, message=message)
    if tag_names is not None and _set_tags(
        locked, tags_get_or_create(owner=locked.user, names=tag_names)
    ):
        changed.append("tags")
    if changed:
        locked.updated_at = timezone.now()
        try:
            with transaction.atomic():
                locked.save(update_fields=[*(set(changed) - {"tags"}), "updated_at"])
        except IntegrityError as error:
            if "key" not in changed:
                raise
            raise ValidationError({"key": [KEY_TAKEN]}) from error
    _copy_state(locked, prompt)
    return prompt


def _copy_state(source: Prompt, target: Prompt) -> None:
    if source is target:
        return
    for field in Prompt._meta.concrete_fields:
        if not field.generated:
            setattr(target, field.attname, getattr(source, field.attname))
    target._prefetched_objects_cache = {}


@transaction.atomic
def prompt_restore(*, prompt: Prompt, author: User | None, version: PromptVersion) -> PromptVersion:
    """Make an earlier version current again, as a new version "Restored from version N"."""
    if version.prompt_id != prompt.pk:
        raise ValidationError("That version belongs to another prompt.")
    locked = Prompt.objects.select_for_update().get(pk=prompt.pk)
    restored = _add_version(
        locked,
        author=author,
        content=version.content,
        message=f"Restored from version {version.version}",
    )
    locked.content = version.content
    locked.updated_at = timezone.now()
    locked.save(update_fields=["content", "updated_at"])
    _copy_state(locked, prompt)
    return restored


@transaction.atomic
def prompt_duplicate(
    *,
    prompt: Prompt,
    owner: User,
    author: User | None,
    name: str | None = None,
    content: str | None = None,
    folder: str | None = None,
    change_message: str | None = None,
    metadata: dict | None = None,
) -> Prompt:
    """Copy a prompt's current state (or `content`, e.g. a pinned version's) into `owner`'s
    vault as a new prompt (version 1).

    Used for "duplicate" within a vault and for saving a shared or public prompt
    (`sharing.services.prompt_fork`); tags are matched by name in the target vault. The copy
    stays in the prompt's folder within its vault unless `folder` says otherwise."""
    same_vault = owner.pk == prompt.user_id
    if folder is None:
        folder = prompt.folder if same_vault else ""
    tag_names = list(prompt.tags.values_list("name", flat=True))
    return prompt_create(
        owner=owner,
        author=author,
        name=name or _copy_name(prompt.name),
        content=content if content is not None else prompt.content,
        description=prompt.description,
        model=prompt.model,
        folder=folder,
        tags=tag_names,
        is_public=False,
        metadata=metadata if metadata is not None else dict(prompt.metadata or {}),
        change_message=change_message or f"Duplicated from “{prompt.name}”",
    )


def _copy_name(name: str) -> str:
    suffix = " (copy)"
    return (name[: validation.NAME_MAX - len(suffix)] + suffix) if name else "Untitled (copy)"


@transaction.atomic
def prompt_delete(*, prompt: Prompt) -> None:
    """Delete a prompt with its versions, shares and optimizations."""
    entitlements.lock_owner(prompt.user)
    # Lock the row before its dependants are collected, so an edit running meanwhile can't add
    # a version or tag that the delete would then trip over.
    if not Prompt.objects.select_for_update().filter(pk=prompt.pk).exists():
        return
    Prompt.objects.filter(pk=prompt.pk).delete()
    prompt_count_adjust(owner_id=prompt.user_id, delta=-1)


def _owned(owner: User, prompt_ids: Iterable) -> list:
    """The ids among `prompt_ids` that belong to `owner`, their rows locked (in a fixed order,
    so two bulk actions on overlapping selections queue instead of deadlocking)."""
    return list(
        Prompt.objects.filter(user=owner, pk__in=list(prompt_ids))
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )


@transaction.atomic
def prompts_bulk_move(*, owner: User, prompt_ids: Iterable, folder: str) -> int:
    """Move the owner's selected prompts into `folder`. Returns how many moved."""
    folder = validation.clean_folder(folder)
    ids = _owned(owner, prompt_ids)
    return Prompt.objects.filter(pk__in=ids).update(folder=folder, updated_at=timezone.now())


@transaction.atomic
def prompts_bulk_tag(
    *, owner: User, prompt_ids: Iterable, tag_name: str, remove: bool = False
) -> int:
    """Add a tag to, or remove it from, the owner's selected prompts."""
    ids = _owned(owner, prompt_ids)
    if remove:
        tag = Tag.objects.filter(
            user=owner, name__iexact=validation.clean_tag_name(tag_name)
        ).first()
        if tag is None:
            return 0
        count, _ = PromptTag.objects.filter(tag=tag, prompt_id__in=ids).delete()
    else:
        (tag,) = tags_get_or_create(owner=owner, names=[tag_name])
        have = set(
            PromptTag.objects.filter(tag=tag, prompt_id__in=ids).values_list("prompt_id", flat=True)
        )
        PromptTag.objects.bulk_create(
            [PromptTag(prompt_id=pk, tag=tag) for pk in ids if pk not in have]
        )
        count = len(ids) - len(have)
    Prompt.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    return count


@transaction.atomic
def prompts_bulk_delete(*, owner: User, prompt_ids: Iterable) -> int:
    entitlements.lock_owner(owner)
    ids = _owned(owner, prompt_ids)
    Prompt.objects.filter(pk__in=ids).delete()
    if ids:
        prompt_count_adjust(owner_id=owner.pk, delta=-len(ids))
    return len(ids)


@transaction.atomic
def prompts_recount(*, users: Iterable[User] | None = None) -> int:
    """Set each user's cached prompt_count to the real number of prompts. Returns how many
    counts were wrong."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    real = (
        Prompt.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(n=Count("id"))
        .values("n")
    )
    queryset = (
        User.objects.all() if users is None else User.objects.filter(pk__in=[u.pk for u in users])
    )
    queryset = queryset.select_for_update()
    wrong = queryset.annotate(real=Coalesce(Subquery(real), 0)).exclude(prompt_count=F("real"))
    fixed = 0
    for user_id, count in wrong.values_list("pk", "real"):
        User.objects.filter(pk=user_id).update(prompt_count=count)
        fixed += 1
    return fixed
