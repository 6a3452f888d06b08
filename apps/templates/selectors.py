"""Reads of the template library, for everyone: the library is public."""

from django.db.models import Count, F, Q, QuerySet

from apps.templates.models import PromptTemplate

SORTS = {
    "popular": (F("usage_count").desc(), "name"),
    "rated": (F("rating").desc(nulls_last=True), F("rating_count").desc(), "name"),
    "newest": (F("created_at").desc(), "name"),
}
DEFAULT_SORT = "popular"


def library(*, category: str = "", q: str = "", sort: str = DEFAULT_SORT) -> QuerySet:
    """Templates matching the filters: official ones first, then featured, then by `sort`."""
    queryset = PromptTemplate.objects.select_related("created_by")
    if category:
        queryset = queryset.filter(category=category)
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(name__icontains=word) | Q(description__icontains=word) | Q(content__icontains=word)
        )
    return queryset.order_by(
        "-is_official", "-is_featured", *SORTS.get(sort, SORTS[DEFAULT_SORT]), "pk"
    ).defer("content", "variables")


def category_counts() -> dict[str, int]:
    """How many templates each category holds, in one query."""
    rows = PromptTemplate.objects.order_by().values("category").annotate(n=Count("id"))
    return {row["category"]: row["n"] for row in rows}
