from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.prompts import validation
from apps.prompts.models import Prompt, PromptTag, Tag

DEFAULT_COLOR = "#3B82F6"


def _name_taken(owner: User, name: str, *, exclude: Tag | None = None) -> bool:
    taken = Tag.objects.filter(user=owner, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.exists()


@transaction.atomic
def tags_get_or_create(*, owner: User, names: Iterable[str]) -> list[Tag]:
    """The owner's tags with these names (matched case-insensitively), creating missing ones.
    Safe under concurrency: a name created meanwhile by another request is reused."""
    names = validation.parse_tag_names(names)
    if not names:
        return []
    existing = {
        tag.name.casefold(): tag for tag in Tag.objects.filter(_named_any(names), user=owner)
    }
    tags = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(user=owner, name=name)
            except IntegrityError:
                tag = Tag.objects.get(user=owner, name__iexact=name)
        tags.append(tag)
    return tags


def _named_any(names: list[str]) -> Q:
    condition = Q()
    for name in names:
        condition |= Q(name__iexact=name)
    return condition


@transaction.atomic
def tag_create(*, owner: User, name: str, color: str = DEFAULT_COLOR) -> Tag:
    name = validation.clean_tag_name(name)
    color = validation.clean_color(color)
    taken = ValidationError({"name": f"You already have a tag called “{name}”."})
    if _name_taken(owner, name):
        raise taken
    try:
        with transaction.atomic():
            tag = Tag.objects.create(user=owner, name=name, color=color)
    except IntegrityError as error:
        raise taken from error
    return tag


@transaction.atomic
def tag_update(*, tag: Tag, name: str | None = None, color: str | None = None) -> Tag:
    """Rename or recolour a tag. Renaming onto another tag's name is refused: merge instead."""
    fields = []
    if name is not None:
        name = validation.clean_tag_name(name)
        if _name_taken(tag.user, name, exclude=tag):
            raise ValidationError(
                {"name": f"You already have a tag called “{name}”. Merge the two instead."}
            )
        tag.name = name
        fields.append("name")
    if color is not None:
        tag.color = validation.clean_color(color)
        fields.append("color")
    if fields:
        tag.save(update_fields=fields)
    return tag


@transaction.atomic
def tag_merge(*, source: Tag, target: Tag) -> Tag:
    """Move every prompt of `source` onto `target`, then delete `source`."""
    if source.user_id != target.user_id:
        raise ValidationError("Tags can only be merged within one vault.")
    if source.pk == target.pk:
        raise ValidationError("Choose two different tags to merge.")
    already = PromptTag.objects.filter(tag=target).values("prompt_id")
    PromptTag.objects.filter(tag=source, prompt_id__in=already).delete()
    PromptTag.objects.filter(tag=source).update(tag=target)
    source.delete()
    return target


@transaction.atomic
def tag_delete(*, tag: Tag) -> None:
    """Delete a tag; its prompts stay, untagged from it."""
    tag.delete()


@transaction.atomic
def prompt_tag_link(*, prompt: Prompt, tag: Tag) -> PromptTag:
    """Put one of the vault's tags on one of its prompts; linking them again keeps the one
    link. The prompt counts as updated, as when tags are added from the vault page."""
    if prompt.user_id != tag.user_id:
        raise ValidationError({"tag": "Choose a tag from the prompt owner's vault."})
    link, created = PromptTag.objects.get_or_create(prompt=prompt, tag=tag)
    if created:
        Prompt.objects.filter(pk=prompt.pk).update(updated_at=timezone.now())
    return link


@transaction.atomic
def prompt_tags_unlink(*, links: QuerySet[PromptTag]) -> int:
    """Take tags off prompts (the tags and prompts stay). Returns how many links went."""
    affected = list(links.values_list("prompt_id", flat=True).distinct())
    removed, _ = PromptTag.objects.filter(pk__in=links.values("pk")).delete()
    if removed:
        Prompt.objects.filter(pk__in=affected).update(updated_at=timezone.now())
    return removed
