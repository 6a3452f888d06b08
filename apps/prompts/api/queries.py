"""The API's reads of a prompt, each one SELECT: the prompt with the version it serves, its tag
names and its labels, by indexed look-ups only (prompt_user_key_unique or the primary key for
the prompt, prompt_label_unique or prompt_version_unique for the version, prompt_tag_primary
and prompt_label_unique for the lists)."""

import uuid

from django.db.models import (
    CharField,
    IntegerField,
    JSONField,
    OuterRef,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Concat

from apps.accounts.models import User
from apps.prompts.access import OWNER
from apps.prompts.models import Prompt, PromptLabel, PromptTag, PromptVersion
from apps.prompts.services.labels import LATEST
from apps.teams.selectors import membership_annotations, usable_role

# Tag names never hold control characters (validation.clean_tag_name), label names are
# [a-z0-9-]: these separators can't occur inside what they separate.
TAG_SEPARATOR = "\x1f"
LABEL_SEPARATOR = ","


def tag_names() -> Subquery:
    """The outer prompt's tag names joined by TAG_SEPARATOR (None for none)."""
    return Subquery(
        PromptTag.objects.filter(prompt=OuterRef("pk"))
        .order_by()
        .values("prompt")
        .annotate(names=StringAgg("tag__name", Value(TAG_SEPARATOR)))
        .values("names")
    )


def split_tag_names(joined: str | None) -> list[str]:
    # Sorted here: SQLite before 3.44 can't order inside an aggregate.
    return (
        sorted(joined.split(TAG_SEPARATOR), key=lambda name: (name.casefold(), name))
        if joined
        else []
    )


def _label_pairs() -> Subquery:
    pair = Concat(
        "name", Value(":"), Cast("version__version", TextField()), output_field=TextField()
    )
    return Subquery(
        PromptLabel.objects.filter(prompt=OuterRef("pk"))
        .order_by()
        .values("prompt")
        .annotate(pairs=StringAgg(pair, Value(LABEL_SEPARATOR)))
        .values("pairs")
    )


def split_label_pairs(joined: str | None) -> dict[str, int]:
    labels = {}
    for pair in sorted(joined.split(LABEL_SEPARATOR)) if joined else []:
        name, _, number = pair.rpartition(":")
        labels[name] = int(number)
    return labels


def _served(versions: QuerySet[PromptVersion]) -> dict:
    return {
        "served_version": Subquery(versions.values("version")[:1]),
        "served_content": Subquery(versions.values("content")[:1]),
        "served_metadata": Subquery(versions.values("metadata")[:1], output_field=JSONField()),
    }


# Built once, not per request (building them cost about as much as running the query): what a
# request changes comes in through the outer query's `wanted_*` aliases.
BY_LABEL = _served(
    PromptVersion.objects.filter(
        labels__prompt=OuterRef("pk"), labels__name=OuterRef("wanted_label")
    ).order_by()
)
BY_NUMBER = _served(
    PromptVersion.objects.filter(
        prompt=OuterRef("pk"), version=OuterRef("wanted_number")
    ).order_by()
)
NEWEST = _served(PromptVersion.objects.filter(prompt=OuterRef("pk")).order_by("-version"))
TAG_NAMES = tag_names()
LABEL_PAIRS = _label_pairs()


def served_prompts(
    *,
    number: int | None,
    label: str | None,
    pk: uuid.UUID | None = None,
    owner_id=None,
    key: str | None = None,
    member: User | None = None,
) -> QuerySet[Prompt]:
    """The prompt with id `pk`, or with `key` in `owner_id`'s vault (one row at most), with
    what a fetch serves: `served_version`, `served_content` and `served_metadata` (None when
    there is no such label or version), `tag_names` and `label_pairs`. With `member`, also what
    `role_of` needs to say their role in the prompt's vault, which the caller checks."""
    if pk is not None:
        prompts = Prompt.objects.filter(pk=pk)
    elif owner_id is not None and key is not None:
        prompts = Prompt.objects.filter(user_id=owner_id, key=key)
    else:
        raise ValueError("served_prompts needs a pk, or an owner and a key.")
    if member is not None:
        # The role in a vault not one's own is read with the prompt, not by queries of its own.
        prompts = prompts.select_related("user").annotate(
            **membership_annotations(user=member, owner_ref="user_id")
        )
    if label and label != LATEST:
        prompts, served = prompts.alias(wanted_label=Value(label, CharField())), BY_LABEL
    elif number is not None:
        prompts, served = prompts.alias(wanted_number=Value(number, IntegerField())), BY_NUMBER
    else:
        served = NEWEST
    return (
        prompts.order_by()
        .only(
            "id",
            "user_id",
            "key",
            "name",
            "description",
            "folder",
            "model",
            "metadata",
            "updated_at",
            *(["user__id", "user__tier"] if member is not None else []),
        )
        .annotate(
            **served,
            tag_names=TAG_NAMES,
            label_pairs=LABEL_PAIRS,
        )
    )


def role_of(prompt: Prompt, user: User) -> str | None:
    """`user`'s role in the vault of `prompt`, read by `served_prompts(member=user)`."""
    if prompt.user_id == user.pk:
        return OWNER
    return usable_role(owner=prompt.user, annotated=prompt)
