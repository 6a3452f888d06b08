"""The vault page's sidebar: folders and tags with their counts, and the models in use.

Reading it takes three aggregate queries over the whole vault, and rendering it (the folder
tree, the tag chips, the filter menus and the bulk bar's suggestions) a few milliseconds more,
on every full vault page; yet it changes only when the vault does. So both the lists and the
rendered HTML are kept in the cache, per vault, under a token: every service that changes what
the sidebar shows calls `vault_changed(owner_id)`, which replaces the vault's token once its
transaction commits, and the next page reads afresh. A page that read the database just
before a write committed stores its copy under the old token, where no later page looks.

A write made in one process must reach the token every other process reads, so the cache is
used only when it is shared by all of them (Redis, with REDIS_URL set). With a per-process
memory cache, the default otherwise, nothing is cached: `VAULT_SIDEBAR_CACHE` decides, and
every copy also expires after `VAULT_SIDEBAR_TTL` seconds, so a change made outside the
services (by hand in a database shell) shows up within that time.
"""

import functools
import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import get_template
from django.utils.functional import cached_property

from apps.accounts.models import User
from apps.prompts import selectors
from apps.prompts.models import Tag
from apps.prompts.selectors import FolderNode

# Part of the lists' cache key: change it whenever what `_read` returns changes shape, so a
# deploy never unpickles copies an older release left in the cache.
LISTS_FORMAT = "lists-1"


# The template the cached sidebar HTML is rendered from; its text is part of the key.
PAGE_TEMPLATE = "prompts/list.html"


@functools.cache
def markup_version() -> str:
    """A digest of the vault page's template, so that after a deploy that changes the
    sidebar's markup no page shows HTML an older release rendered."""
    origin = get_template(PAGE_TEMPLATE).template.origin
    return hashlib.sha256(Path(origin.name).read_bytes()).hexdigest()[:16]


def _token_key(owner_id) -> str:
    return f"vault-sidebar-token:{owner_id}"


def _enabled() -> bool:
    return getattr(settings, "VAULT_SIDEBAR_CACHE", False)


def _ttl() -> int:
    return getattr(settings, "VAULT_SIDEBAR_TTL", 60 * 60)


def _read(owner: User) -> tuple[list[FolderNode], list[Tag], list[str]]:
    return (
        selectors.folder_tree(owner),
        selectors.vault_tags(owner),
        selectors.vault_models(owner),
    )


class Sidebar:
    """One vault's sidebar, read on first use: a page whose sidebar HTML comes from the
    cache, or a fragment request that shows no sidebar, reads nothing at all."""

    def __init__(self, owner: User):
        self.owner = owner
        self.ttl = _ttl()

    @property
    def markup(self) -> str:
        return markup_version()

    @cached_property
    def token(self) -> str | None:
        """The name of the vault's current state in the cache; None when the cache is off."""
        if not _enabled():
            return None
        token_key = _token_key(self.owner.pk)
        token = cache.get(token_key)
        if token is None:
            token = uuid.uuid4().hex
            # Another request may have set one meanwhile: theirs wins, so both share a copy.
            if not cache.add(token_key, token, self.ttl):
                token = cache.get(token_key) or token
        return token

    @cached_property
    def _lists(self) -> tuple[list[FolderNode], list[Tag], list[str]]:
        if self.token is None:
            return _read(self.owner)
        key = f"vault-sidebar:{LISTS_FORMAT}:{self.owner.pk}:{self.token}"
        lists = cache.get(key)
        if lists is None:
            lists = _read(self.owner)
            cache.set(key, lists, self.ttl)
        return lists

    @property
    def folders(self) -> list[FolderNode]:
        return self._lists[0]

    @property
    def tags(self) -> list[Tag]:
        return self._lists[1]

    @property
    def models(self) -> list[str]:
        return self._lists[2]


def vault_sidebar(owner: User) -> Sidebar:
    """The owner's sidebar, from the cache when it is still current."""
    return Sidebar(owner)


def vault_changed(owner_id) -> None:
    """Tell the sidebar cache that `owner_id`'s folders, tags or models changed: the next
    page reads them afresh once the current transaction commits (at once outside one)."""
    if not _enabled():
        return
    # Robust: the write has committed by then, so a cache that fails to answer must not turn
    # it into an error page; the old copy then expires with its TTL.
    transaction.on_commit(
        lambda: cache.set(_token_key(owner_id), uuid.uuid4().hex, _ttl()), robust=True
    )
