"""The vault page's sidebar: folders and tags with their counts, and the models in use.

Reading it takes three aggregate queries over the whole vault on every full vault page (a few
milliseconds for a vault of 10,000 prompts), yet it changes only when the vault does. So it is
kept in the cache, per vault, under a token: every service that changes what the
sidebar shows calls `vault_changed(owner_id)`, which replaces the vault's token once its
transaction commits, and the next page reads afresh. A page that read the database just
before a write committed stores its copy under the old token, where no later page looks.

A write made in one process must reach the token every other process reads, so the cache is
used only when it is shared by all of them (Redis, with REDIS_URL set). With a per-process
memory cache, the default otherwise, nothing is cached: `VAULT_SIDEBAR_CACHE` decides, and
every copy also expires after `VAULT_SIDEBAR_TTL` seconds, so a change made outside the
services (by hand in a database shell) shows up within that time.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from apps.accounts.models import User
from apps.prompts import selectors
from apps.prompts.models import Tag
from apps.prompts.selectors import FolderNode


@dataclass
class Sidebar:
    folders: list[FolderNode]
    tags: list[Tag]
    models: list[str]


def _token_key(owner_id) -> str:
    return f"vault-sidebar-token:{owner_id}"


def _enabled() -> bool:
    return getattr(settings, "VAULT_SIDEBAR_CACHE", False)


def _ttl() -> int:
    return getattr(settings, "VAULT_SIDEBAR_TTL", 60 * 60)


def _read(owner: User) -> Sidebar:
    return Sidebar(
        folders=selectors.folder_tree(owner),
        tags=selectors.vault_tags(owner),
        models=selectors.vault_models(owner),
    )


def vault_sidebar(owner: User) -> Sidebar:
    """The owner's sidebar, from the cache when it is still current."""
    if not _enabled():
        return _read(owner)
    ttl = _ttl()
    token_key = _token_key(owner.pk)
    token = cache.get(token_key)
    if token is None:
        token = uuid.uuid4().hex
        # Another request may have set one meanwhile: theirs wins, so both share a copy.
        if not cache.add(token_key, token, ttl):
            token = cache.get(token_key) or token
    data_key = f"vault-sidebar:{owner.pk}:{token}"
    sidebar = cache.get(data_key)
    if sidebar is None:
        sidebar = _read(owner)
        cache.set(data_key, sidebar, ttl)
    return sidebar


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
