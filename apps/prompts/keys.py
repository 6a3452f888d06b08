"""Prompt keys: the stable identifier an application fetches a prompt by. Unique within a
vault, made from the name when the prompt is created and never changed by a rename or move."""

import re
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.utils.text import slugify

KEY_MAX = 100
# A made key leaves room for a "-NNNNN" suffix on a clash.
KEY_BASE_MAX = 90
KEY_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")
FALLBACK_KEY = "prompt"


def key_from_name(name: str) -> str:
    """`Refund reply` → `refund-reply`; a name with no Latin letters or digits → `prompt`."""
    base = slugify(str(name or ""))[:KEY_BASE_MAX].strip("-_")
    return base or FALLBACK_KEY


def clean_key(value) -> str:
    """A key someone typed, checked against the pattern and length; raises ValidationError."""
    key = str(value or "").strip()
    if not key:
        raise ValidationError({"key": ["Give the prompt a key."]})
    if len(key) > KEY_MAX:
        raise ValidationError(
            {"key": [f"A key has at most {KEY_MAX} characters; this one has {len(key)}."]}
        )
    if not KEY_RE.fullmatch(key):
        raise ValidationError(
            {
                "key": [
                    "A key uses lowercase letters, digits, dots, dashes and underscores, "
                    "and starts with a letter or digit."
                ]
            }
        )
    return key


def first_free_key(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


class KeyAllocator:
    """Free keys for many new prompts at once, each taken as it is given. Every base remembers
    the number it got to, so a name that comes back n times (an export's "New chat") costs n
    look-ups, not n² / 2 as asking `first_free_key` each time would."""

    def __init__(self, taken: Collection[str]):
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def allocate(self, base: str) -> str:
        if base in self.taken:
            number = self._next.get(base, 2)
            while f"{base}-{number}" in self.taken:
                number += 1
            self._next[base] = number + 1
            base = f"{base}-{number}"
        self.taken.add(base)
        return base


def clashing_keys(owner_id, base: str) -> set[str]:
    """The keys in the vault that `base` or a numbered form of it would clash with."""
    from apps.prompts.models import Prompt

    return set(
        Prompt.objects.filter(user_id=owner_id, key__startswith=base)
        .filter(key__regex=rf"^{re.escape(base)}(-[0-9]+)?$")
        .values_list("key", flat=True)
    )


def free_key_for(owner_id, name: str) -> str:
    """A key made from `name` that no prompt in the vault has yet."""
    base = key_from_name(name)
    return first_free_key(base, clashing_keys(owner_id, base))
