"""Reads of prompts, versions, tags and folders, with their related rows already joined."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower, Substr
from django.utils.functional import cached_property

from apps.accounts.models import User
from apps.prompts.models import Prompt, PromptTag, PromptVersion, Tag
from promptvault import entitlements


def prompts_owned_by(user: User) -> QuerySet[Prompt]:
    return Prompt.objects.filter(user=user)


@dataclass(frozen=True, slots=True)
class TagChip:
    """A tag as a list of prompts shows it."""

    name: str
    color: str


def with_tags(prompts: Iterable[Prompt]) -> list[Prompt]:
    """The prompts as a list, each with `tag_list`: its tags' names and colours, by name.
    One query of plain values for them all: rows that show tags as chips need no Tag objects
    (building those, and prefetching them, cost more than the rest of a row)."""
    prompts = list(prompts)
    if not prompts:
        return prompts
    chips: dict = defaultdict(list)
    links = (
        PromptTag.objects.filter(prompt_id__in=[prompt.pk for prompt in prompts])
        .order_by(Lower("tag__name"), "tag__name")
        .values_list("prompt_id", "tag__name", "tag__color")
    )
    for prompt_id, name, color in links:
        chips[prompt_id].append(TagChip(name, color))
    for prompt in prompts:
        prompt.tag_list = chips.get(prompt.pk, [])
    return prompts


def folder_counts(user: User) -> list[dict]:
    """Prompts per folder path, one row per distinct folder (the root is the empty path)."""
    return list(
        prompts_owned_by(user)
        .order_by()
        .values("folder")
        # COUNT(*) lets PostgreSQL answer from the (user, folder) index alone.
        .annotate(count=Count("*"))
        .order_by("folder")
    )


def dashboard_summary(user: User) -> dict:
    owned = prompts_owned_by(user)
    rows = folder_counts(user)
    return {
        "usage": entitlements.usage(user),
        "room": entitlements.prompt_room(user),
        "recent_prompts": with_tags(
            owned.defer("content", "metadata").order_by("-updated_at")[:DASHBOARD_RECENT]
        ),
        "folders": build_folder_tree(rows),
        "unfiled_count": sum(row["count"] for row in rows if not row["folder"]),
        "tag_count": Tag.objects.filter(user=user).count(),
        "public_count": owned.filter(is_public=True).count(),
    }


DASHBOARD_RECENT = 8


EXCERPT_CHARS = 300

SORTS = {
    "-updated": ("-updated_at", "-id"),
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
}


def vault_prompts(
    owner: User,
    *,
    q: str = "",
    folder: str = "",
    tags: list[str] | tuple = (),
    model: str = "",
    visibility: str = "",
    sort: str = "",
) -> QuerySet[Prompt]:
    """The owner's prompts matching the vault's search and filters, sorted (`page_of` adds
    each row's tags)."""
    from apps.prompts.search import RELEVANCE_ORDER, search_prompts

    queryset = _vault_columns(prompts_owned_by(owner))
    if folder:
        queryset = queryset.filter(Q(folder=folder) | Q(folder__startswith=folder + "/"))
    for name in tags:
        queryset = queryset.filter(
            prompt_tags__tag__user=owner, prompt_tags__tag__name__iexact=name
        )
    if model:
        queryset = queryset.filter(model=model)
    if visibility == "public":
        queryset = queryset.filter(is_public=True)
    elif visibility == "private":
        queryset = queryset.filter(is_public=False)
    if q.strip():
        queryset = search_prompts(queryset, q)
        if sort in ("", "relevance"):
            return queryset.order_by(*RELEVANCE_ORDER)
    return queryset.order_by(*SORTS.get(sort, SORTS["-updated"]))


def _vault_columns(queryset: QuerySet[Prompt]) -> QuerySet[Prompt]:
    # A row shows the start of the content, never all of it: prompts can run to many pages.
    return queryset.defer("content", "metadata").annotate(
        content_start=Substr("content", 1, EXCERPT_CHARS)
    )


def vault_rows(q: str = "") -> QuerySet[Prompt]:
    """What a vault page shows of each of its prompts (snippets for `q`), for reading
    a page's rows by id once `vault_prompts` has found and ordered them in the owner's
    vault: the search isn't applied or ranked a second time. Not filtered by owner in SQL:
    `_load_rows` checks each row's owner instead, because a `user_id =` condition next to
    the ids makes PostgreSQL intersect them with every prompt of the vault (10,000 index
    entries for a large one) instead of fetching 50 rows by primary key."""
    from apps.prompts.search import with_snippets

    return with_snippets(_vault_columns(Prompt.objects.all()), q)


def vault_tags(owner: User) -> list[Tag]:
    """The owner's tags with how many prompts carry each."""
    # A count per tag through the tag index; a join and GROUP BY would read every prompt-tag
    # row of the table.
    per_tag = (
        PromptTag.objects.filter(tag=OuterRef("pk"))
        .order_by()
        .values("tag")
        .annotate(total=Count("*"))
        .values("total")
    )
    return list(
        Tag.objects.filter(user=owner)
        .annotate(prompt_total=Coalesce(Subquery(per_tag), 0))
        .order_by(Lower("name"), "name")
    )


def vault_models(owner: User) -> list[str]:
    return list(
        prompts_owned_by(owner).order_by("model").values_list("model", flat=True).distinct()
    )


@dataclass
class FolderNode:
    name: str
    path: str
    depth: int
    count: int = 0  # prompts in this folder and every folder below it
    own_count: int = 0  # prompts directly in this folder
    children: list["FolderNode"] = field(default_factory=list)


def folder_tree(user: User) -> list[FolderNode]:
    """Folders as a depth-first list of nodes with cumulative counts, built from the paths."""
    return build_folder_tree(folder_counts(user))


def build_folder_tree(rows: list[dict]) -> list[FolderNode]:
    """The tree for `folder_counts` rows; prompts at the top level belong to no node."""
    nodes: dict[str, FolderNode] = {}
    roots: list[FolderNode] = []
    for row in rows:
        path = row["folder"]
        if not path:
            continue
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            sub = "/".join(parts[:depth])
            node = nodes.get(sub)
            if node is None:
                node = FolderNode(name=parts[depth - 1], path=sub, depth=depth - 1)
                nodes[sub] = node
                if depth == 1:
                    roots.append(node)
                else:
                    nodes["/".join(parts[: depth - 1])].children.append(node)
            node.count += row["count"]
        nodes[path].own_count += row["count"]
    flat: list[FolderNode] = []

    def walk(items: list[FolderNode]) -> None:
        for node in sorted(items, key=lambda n: n.name.casefold()):
            flat.append(node)
            walk(node.children)

    walk(roots)
    return flat


def latest_version(prompt: Prompt) -> PromptVersion | None:
    """The prompt's newest version; None only for a prompt still being created."""
    return prompt.versions.order_by("-version").first()


def latest_version_number(prompt: Prompt) -> int | None:
    """The number of the prompt's newest version, without loading the version."""
    return prompt.versions.order_by("-version").values_list("version", flat=True).first()


def prompt_versions(prompt: Prompt) -> QuerySet[PromptVersion]:
    return (
        prompt.versions.select_related("created_by")
        .defer("content", "metadata")
        .order_by("-version")
    )


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows: a broad search needn't count every match to show its
    first pages. `more` tells the template to write "1,000+"."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        if self.cap is None:
            return super().count
        # Without the ordering: counting needn't rank every match.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return self._counted if self.cap is None else min(self._counted, self.cap)

    @property
    def more(self) -> bool:
        return self.cap is not None and self._counted > self.cap

    def page(self, number):
        # Past the cap the count is a floor, not the total: fill the page whole.
        page = super().page(number)
        if self.more:
            bottom = (page.number - 1) * self.per_page
            page.object_list = self.object_list[bottom : bottom + self.per_page]
        return page


SEARCH_COUNT_CAP = 1000
MAX_OFFSET = 2**62


def page_of(
    queryset: QuerySet[Prompt],
    number,
    per_page: int,
    *,
    count_cap: int | None = None,
    rows: QuerySet[Prompt] | None = None,
    owner_id=None,
):
    """A page of `queryset`, found by ids first and then loaded by id: the OFFSET runs over a
    narrow index-backed query, and the wide columns, snippets and tags are read for the page's
    rows only, so page 100 costs about what page 1 does. `rows`, when given, is what the rows
    are read from (by id alone: a search isn't applied again); otherwise `queryset` itself.
    With `owner_id`, a row read from `rows` that belongs to anyone else is left out.
    Each row comes with its tags (`with_tags`)."""
    paginator = CappedPaginator(queryset.values_list("pk", flat=True), per_page, cap=count_cap)
    page = paginator.get_page(number)
    source = queryset if rows is None else rows
    return _load_rows(page, list(page.object_list), source, owner_id)


def _load_rows(page, ids: list, source: QuerySet[Prompt], owner_id=None):
    """Fill `page` with the prompts of `ids` (those of `owner_id`, when given), in that
    order, each with its tags."""
    loaded = {
        prompt.pk: prompt
        for prompt in source.order_by().filter(pk__in=ids)
        if owner_id is None or prompt.user_id == owner_id
    }
    page.object_list = with_tags(loaded[pk] for pk in ids if pk in loaded)
    return page


def ranked_page_of(
    queryset: QuerySet[Prompt], number, per_page: int, *, rows: QuerySet[Prompt], owner_id
):
    """A page of a full-text search in order of relevance (PostgreSQL): the matches are
    counted and ranked by one query, with an exact count, and the page's rows read from
    `rows` by id, those of `owner_id` only. An invalid or out-of-range page number gives the
    first or last page, as `Paginator.get_page` does."""
    from apps.prompts.search import ranked_page

    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    # A number past any vault is the last page, like any page past the end; it must still
    # give an OFFSET PostgreSQL can hold.
    wanted = min(wanted, MAX_OFFSET // per_page)
    total, ids = ranked_page(queryset, offset=(wanted - 1) * per_page, limit=per_page)
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    paginator.count = total
    page = paginator.get_page(wanted)
    if page.number != wanted:
        _total, ids = ranked_page(queryset, offset=(page.number - 1) * per_page, limit=per_page)
    return _load_rows(page, ids, rows, owner_id)


def vault_page(owner: User, filters: dict, number, per_page: int):
    """One page of the owner's vault for the vault page's search and filters (as
    `VaultFilterForm.filters()` gives them), each row with what the page shows of it."""
    from apps.prompts.search import mark_snippets, uses_full_text

    queryset = vault_prompts(owner, **filters)
    rows = vault_rows(filters["q"])
    if filters["q"].strip() and filters["sort"] in ("", "relevance") and uses_full_text():
        return ranked_page_of(queryset, number, per_page, rows=rows, owner_id=owner.pk)
    count_cap = SEARCH_COUNT_CAP if filters["q"].strip() else None
    page = page_of(queryset, number, per_page, count_cap=count_cap, rows=rows, owner_id=owner.pk)
    mark_snippets(page.object_list, filters["q"])
    return page
