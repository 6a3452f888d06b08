"""Full-text search over prompts.

On PostgreSQL, each prompt carries a stored, weighted tsvector — name (A), description (B),
content (C) — in the generated column `search_vector` (migration 0005, outside the Django
model). The GIN index `prompt_search_idx` covers (user_id, search_vector), so a vault search
reads only its owner's matches (migration 0009); the same index serves the public gallery's
search on the vector alone. Queries use websearch_to_tsquery, so users can write "quoted
phrases", -exclusions and `or`. Results rank by ts_rank, whose weighting lets one match in a
name outrank any number in the content (ts_rank_cd would add up every occurrence); reading
the stored vector keeps ranking cheap even for common words. Elsewhere (SQLite for local
runs) a case-insensitive substring match over the same three fields stands in.
"""

from django.db import connection
from django.db.models import FloatField, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
INDEX_NAME = "prompt_search_idx"
QUERY_VECTOR = '"prompts"."search_vector"'
TSQUERY = f"websearch_to_tsquery('{SEARCH_CONFIG}'::regconfig, %s)"
# Marks around matched words in snippets; chosen so they cannot occur in escaped HTML.
SNIPPET_START = "\x02"
SNIPPET_STOP = "\x03"

_MARKS = f"StartSel={SNIPPET_START}, StopSel={SNIPPET_STOP}"
_FRAGMENTS = (
    f'{_MARKS}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
)
# ts_headline parses all the text it is given, about a second for 4 MB, so snippets are cut
# from the first HEADLINE_CHARS characters of a prompt only, whatever its length. A match further
# in still finds and ranks the prompt (through the stored vector); its snippet is then the start
# of the prompt. substr, unlike left(), reads only that much of a long value from storage.
HEADLINE_CHARS = 4000
_HEADLINE_TEXT = f'substr("prompts"."content", 1, {HEADLINE_CHARS})'
# Short content is shown whole with every match marked; fragments of a short text would shrink
# to the matched word alone. Longer content shows up to two fragments around the matches.
SHORT_CONTENT = 240
SNIPPET_SQL = (
    f"CASE WHEN char_length({_HEADLINE_TEXT}) <= {SHORT_CONTENT} "
    f"THEN ts_headline('{SEARCH_CONFIG}'::regconfig, {_HEADLINE_TEXT}, {TSQUERY}, "
    f"'{_MARKS}, HighlightAll=true') "
    f"ELSE ts_headline('{SEARCH_CONFIG}'::regconfig, {_HEADLINE_TEXT}, {TSQUERY}, "
    f"'{_FRAGMENTS}') END"
)


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search_prompts(queryset: QuerySet, text: str) -> QuerySet:
    """Filter `queryset` to prompts matching `text`, annotated with `rank` and `snippet`
    (empty without full text); callers choose the ordering."""
    text = text.strip()
    if not text:
        return queryset
    if not uses_full_text():
        matches = Q()
        for word in text.split():
            word = word.strip('"')
            if word:
                matches &= (
                    Q(name__icontains=word)
                    | Q(description__icontains=word)
                    | Q(content__icontains=word)
                )
        # No ranking without full text: every match ranks alike, and the callers' tie-breakers
        # (most recent first) decide the order.
        return with_snippets(
            queryset.filter(matches).annotate(rank=Value(0.0, output_field=FloatField())), ""
        )
    return queryset.extra(  # noqa: S610 - fixed SQL, the user's text is a bound parameter
        where=[f"{QUERY_VECTOR} @@ {TSQUERY}"], params=[text]
    ).annotate(
        rank=RawSQL(f"ts_rank({QUERY_VECTOR}, {TSQUERY})", [text]),  # noqa: S611
        snippet=RawSQL(SNIPPET_SQL, [text, text]),  # noqa: S611
    )


# How search_prompts' results are ordered by relevance: the best rank first, then the most
# recently updated, then the id, so that pages never overlap.
RELEVANCE_ORDER = ("-rank", "-updated_at", "-id")


def ranked_page(queryset: QuerySet, *, offset: int, limit: int) -> tuple[int, list]:
    """For a full-text search (PostgreSQL), how many prompts match and the ids of one page of
    them in RELEVANCE_ORDER, in one query.

    Ranking has to read every match anyway; counting them separately would find every match
    a second time. The matches and their ranks are gathered once, then counted and the page
    taken from them."""
    matches = queryset.order_by().values_list("pk", "rank", "updated_at")
    sql, params = matches.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH matches (pk, rank, updated_at) AS MATERIALIZED ({sql}) "  # noqa: S608 - the ORM's SQL, values bound
            "SELECT (SELECT COUNT(*) FROM matches), ARRAY("
            "SELECT pk FROM matches ORDER BY rank DESC, updated_at DESC, pk DESC "
            "LIMIT %s OFFSET %s)",
            [*params, limit, offset],
        )
        total, ids = cursor.fetchone()
    return total, list(ids)


def with_snippets(queryset: QuerySet, text: str) -> QuerySet:
    """`queryset` annotated with the highlighted `snippet` for `text` (empty without a
    full-text search), without filtering or ranking: for reading the rows of a page whose
    matches were already found."""
    text = text.strip()
    if not text or not uses_full_text():
        # Every row still has `snippet`: a template testing a missing attribute pays for three
        # caught exceptions per row (a dict lookup, getattr, an index) before it moves on.
        return queryset.annotate(snippet=Value("", output_field=TextField()))
    return queryset.annotate(snippet=RawSQL(SNIPPET_SQL, [text, text]))  # noqa: S611
