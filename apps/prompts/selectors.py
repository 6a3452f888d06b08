"""Reads of prompts, versions, tags and folders, with their related rows already joined."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower, Substr
from django.utils.functional import cached_property

from apps.accounts.models import User
from apps.prompts import search
from apps.prompts.models import Prompt, PromptTag, PromptVersion, Tag
from promptvault import entitlements


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
        vault_prompts(user)
        .order_by()
        .values("folder")
        # COUNT(*) lets PostgreSQL answer from the (user, folder) index alone.
        .annotate(count=Count("*"))
        .order_by("folder")
    )


def dashboard_summary(user: User) -> dict:
    owned = vault_prompts(user)
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
# What the sort menu sends for a search in order of relevance (the form's default).
RELEVANCE = ("", "relevance")


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
    """The prompts of `owner`'s vault matching the vault's search and filters, in the chosen
    order; a search in order of relevance (PostgreSQL) carries each match's `rank`. `owner` is
    the vault's owner as the access helper gave it: whoever reads has been checked already."""
    queryset = Prompt.objects.filter(user=owner)
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
    ordering = _ordering(q, sort)
    if q.strip():
        queryset = search.search_prompts(queryset, q, ranked=ordering == search.RELEVANCE_ORDER)
    return queryset.order_by(*ordering)


def _ordering(q: str, sort: str) -> tuple[str, ...]:
    if q.strip() and sort in RELEVANCE and search.uses_full_text():
        return search.RELEVANCE_ORDER
    # Without full text every match ranks alike: the most recent first, as without a search.
    return SORTS.get(sort, SORTS["-updated"])


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
    return list(vault_prompts(owner).order_by("model").values_list("model", flat=True).distinct())


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
MAX_PAGE_NUMBER = search.MAX_POSITION


def vault_page(owner: User, filters: dict, number, per_page: int) -> Page:
    """One page of `owner`'s vault for the vault page's search and filters (as
    `VaultFilterForm.filters()` gives them), each row with what the list shows of it: the start
    of its content (`content_start`), its tags (`with_tags`) and, for a search, a `snippet`.

    The page is found by ids first, then its rows are read by id: the OFFSET runs over a
    narrow, index-backed query, and the wide columns, snippets and tags are read for the page's
    rows only, so page 100 costs about what page 1 does."""
    q = filters["q"].strip()
    ordering = _ordering(q, filters["sort"])
    matches = vault_prompts(owner, **filters)
    if ordering == search.RELEVANCE_ORDER:
        page = _ranked_page(matches, number, per_page)
        # The ids are those of the owner's matches just found (a prompt never changes owner).
        # Naming the owner again makes PostgreSQL read all the owner's entries in
        # prompt_search_idx to intersect with 50 primary keys: 10 ms instead of 0.4 for a vault
        # of 10,000 among 100,000 prompts.
        rows = {
            row.pk: row for row in _list_rows(Prompt.objects.filter(pk__in=page.object_list), q)
        }
        page.object_list = with_tags(rows[pk] for pk in page.object_list if pk in rows)
        return page
    paginator = CappedPaginator(
        matches.values_list("pk", flat=True), per_page, cap=SEARCH_COUNT_CAP if q else None
    )
    page = paginator.get_page(number)
    # The page's ids stay a subquery of the owner's matches: one query reads the page's rows.
    rows = _list_rows(Prompt.objects.filter(pk__in=page.object_list), q)
    page.object_list = with_tags(rows.order_by(*ordering))
    search.mark_snippets(page.object_list, q)
    return page


def _list_rows(queryset: QuerySet[Prompt], q: str) -> QuerySet[Prompt]:
    # A row shows the start of the content, never all of it: prompts can run to many pages.
    columns = queryset.defer("content", "metadata").annotate(
        content_start=Substr("content", 1, EXCERPT_CHARS)
    )
    return search.with_snippets(columns, q)


def _ranked_page(matches: QuerySet[Prompt], number, per_page: int) -> Page:
    """The page of a full-text search in order of relevance (PostgreSQL) with the ids of its
    matches as its `object_list`, counted exactly (`search.ranked_page`). An invalid or
    out-of-range page number gives the first or last page, as `Paginator.get_page` does."""
    try:
        wanted = max(int(number), 1)
    except (TypeError, ValueError):
        wanted = 1
    # A number past any vault is the last page, like any page past the end.
    wanted = min(wanted, MAX_PAGE_NUMBER // per_page)
    total, ids = search.ranked_page(matches, offset=(wanted - 1) * per_page, limit=per_page)
    paginator = Paginator(matches.values_list("pk", flat=True), per_page)
    paginator.count = total
    page = paginator.get_page(wanted)
    if page.number != wanted:
        _total, ids = search.ranked_page(
            matches, offset=(page.number - 1) * per_page, limit=per_page
        )
    page.object_list = ids
    return page
