from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from apps.prompts.models import Prompt
from apps.prompts.search import search_prompts, with_snippets
from apps.prompts.selectors import EXCERPT_CHARS
from apps.sharing.models import Share
from apps.sharing.services import live_shares_q

GALLERY_SORTS = {
    "new": ("-created_at", "-id"),
    "saved": ("-save_count", "-created_at", "-id"),
}


def shares_of(prompt: Prompt) -> QuerySet[Share]:
    """A prompt's links, newest first, each with the number of the version it pins (the
    version's text stays in the database: a list of links shows only the number)."""
    return (
        prompt.shares.select_related("version")
        .defer("version__content", "version__metadata", "version__change_message")
        .order_by("-created_at")
    )


def live_link_counts(prompt: Prompt) -> dict:
    """How many of a prompt's links still open (`live`), and how many of those show whatever
    version is newest (`following`) rather than one pinned version."""
    return prompt.shares.filter(live_shares_q()).aggregate(
        live=Count("pk"), following=Count("pk", filter=Q(version__isnull=True))
    )


def share_by_code(code: str) -> Share | None:
    return (
        Share.objects.select_related("prompt", "prompt__user", "version")
        # The prompt's search vector is for the database alone (`Prompt.objects` leaves it out).
        .defer("prompt__search_vector")
        .filter(share_code=code)
        .first()
    )


def gallery_prompts(*, q: str = "", model: str = "", tag: str = "", sort: str = "new") -> QuerySet:
    """Public prompts for the gallery, with their authors, the start of their content
    (`content_start`) and, for a search, a `snippet` (tags: `with_tags` on a page)."""
    # A card shows the start of a prompt, never all of it: public prompts can run to megabytes.
    queryset = (
        Prompt.objects.filter(is_public=True)
        .select_related("user")
        .defer("content", "metadata")
        .annotate(content_start=Substr("content", 1, EXCERPT_CHARS))
    )
    if model:
        queryset = queryset.filter(model=model)
    if tag:
        queryset = queryset.filter(prompt_tags__tag__name__iexact=tag)
    if q.strip():
        by_relevance = sort not in GALLERY_SORTS
        queryset = with_snippets(search_prompts(queryset, q, ranked=by_relevance), q)
        if by_relevance:
            return queryset.order_by("-rank", "-created_at", "-id")
    return queryset.order_by(*GALLERY_SORTS.get(sort, GALLERY_SORTS["new"]))


def gallery_models() -> list[str]:
    return list(
        Prompt.objects.filter(is_public=True)
        .order_by("model")
        .values_list("model", flat=True)
        .distinct()
    )
