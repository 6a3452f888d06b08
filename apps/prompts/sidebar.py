"""The vault page's sidebar: folders and tags with their counts, and the models in use.

Reading it takes three aggregate queries over the whole vault, on every full vault page; yet
it changes only when the vault does. So the lists are kept in the cache, per vault, under the
vault's version: a number the database itself increases, by triggers on prompts, tags and
prompt tags (migration 0013, `VaultState`), in the same transaction as any write that can
change what the sidebar shows. No service has to remember anything, and bulk updates,
imports, cascades and statements typed into a database shell are all counted.

Why it is exact: a page reads the version first and the lists after, so the lists it stores
under version N are at least as new as N. A write that commits later has bumped the version,
so pages from then on look under another key. Two copies under the same key can differ only
in being newer than N, never older.

The key comes from the database, so any cache gives exact answers, even one per process; the
copies pay off when every process shares them (Redis, with REDIS_URL set). `VAULT_SIDEBAR_CACHE`
decides (on by default with REDIS_URL); without it every page reads the lists and the version
isn't read at all. Copies expire after `VAULT_SIDEBAR_TTL` seconds, which only frees memory:
an outdated copy is never looked up again.

The vault page also caches the sidebar's rendered HTML, keyed on the same version
(templates/prompts/list.html), `markup_version()` and everything else the HTML shows.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.functional import cached_property

from apps.accounts.models import User
from apps.prompts import selectors
from apps.prompts.models import Tag, VaultState
from apps.prompts.selectors import FolderNode

# Part of the lists' cache key: change it whenever what `_read` returns changes shape, so a
# deploy never unpickles copies an older release left in the cache.
LISTS_FORMAT = "lists-2"


# The template the cached sidebar HTML is rendered from; its text is part of the key.
PAGE_TEMPLATE = "prompts/list.html"


@functools.cache
def markup_version() -> str:
    """A digest of the vault page's template, so that after a deploy that changes the
    sidebar's markup no page shows HTML an older release rendered."""
    origin = get_template(PAGE_TEMPLATE).template.origin
    return hashlib.sha256(Path(origin.name).read_bytes()).hexdigest()[:16]


def _enabled() -> bool:
    return getattr(settings, "VAULT_SIDEBAR_CACHE", False)


def _ttl() -> int:
    return getattr(settings, "VAULT_SIDEBAR_TTL", 60 * 60)


def vault_version(owner_id) -> int | None:
    """The vault's version: larger after every change to its folders, tags or models. None
    for a vault without one yet (an empty one), which isn't cached."""
    return VaultState.objects.filter(owner_id=owner_id).values_list("version", flat=True).first()


def _read(owner: User) -> tuple[list[FolderNode], list[Tag], list[str]]:
    return (
        selectors.folder_tree(owner),
        selectors.vault_tags(owner),
        selectors.vault_models(owner),
    )


class Sidebar:
    """One vault's sidebar, read on first use: a page whose sidebar HTML comes from the
    cache, or a fragment request that shows no sidebar, reads nothing at all."""

    def __init__(self, owner: User, version: int | None = None):
        self.owner = owner
        self.ttl = _ttl()
        self._known_version = version

    @property
    def markup(self) -> str:
        return markup_version()

    @cached_property
    def version(self) -> int | None:
        """The vault's version, part of every cache key; None when it isn't cached."""
        if not _enabled():
            return None
        if self._known_version is not None:
            return self._known_version
        return vault_version(self.owner.pk)

    @cached_property
    def _lists(self) -> tuple[list[FolderNode], list[Tag], list[str]]:
        if self.version is None:
            return _read(self.owner)
        key = f"vault-sidebar:{LISTS_FORMAT}:{self.owner.pk}:{self.version}"
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


def vault_sidebar(owner: User, *, version: int | None = None) -> Sidebar:
    """The owner's sidebar, from the cache when it is still current. `version`, when the
    caller has already read the vault's version (with the owner, for a member), saves reading
    it again; it must have been read before anything the page shows."""
    return Sidebar(owner, version)
