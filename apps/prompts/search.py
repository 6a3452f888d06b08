"""Full-text search over prompts.

On PostgreSQL, each prompt carries a stored, weighted tsvector — name (A), description (B),
content (C) — in the generated column `search_vector` (migration 0005, outside the Django
model). The GIN index `prompt_search_idx` covers (user_id, search_vector), so a vault search
reads only its owner's matches (migration 0009); the same index serves the public gallery's
search on the vector alone. Queries use websearch_to_tsquery, so users can write "quoted
phrases", -exclusions and `or`. Results rank by ts_rank, whose weighting lets one match in a
name outrank any number in the content (ts_rank_cd would add up every occurrence); reading
the stored vector keeps ranking cheap even for common words. Elsewhere (SQLite for local
runs) the same web-search syntax is parsed here into case-insensitive substring matches over
the same three fields, and snippets are marked in Python from the start of each row's content.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import FloatField, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr

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
        # No ranking without full text: every match ranks alike, and the callers' tie-breakers
        # (most recent first) decide the order.
        return with_snippets(
            queryset.filter(substring_filter(parse_websearch(text))).annotate(
                rank=Value(0.0, output_field=FloatField())
            ),
            text,
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
    if not text:
        # Every row still has `snippet`: a template testing a missing attribute pays for three
        # caught exceptions per row (a dict lookup, getattr, an index) before it moves on.
        return queryset.annotate(snippet=Value("", output_field=TextField()))
    if not uses_full_text():
        # The text to mark; `mark_snippets` turns it into the snippet once the page is read.
        return queryset.annotate(snippet=Substr("content", 1, HEADLINE_CHARS))
    return queryset.annotate(snippet=RawSQL(SNIPPET_SQL, [text, text]))  # noqa: S611


# --- The web-search syntax without PostgreSQL ------------------------------------------------
# websearch_to_tsquery reads `a b` as a AND b, `a or b` as a OR b (AND binding tighter, so
# `a b or c` is (a AND b) OR c), `-a` as NOT a and `"a b"` as the phrase; the same reading
# here gives the same matches on small data, with substrings standing in for stemmed words.

# Terms beyond these are ignored: each becomes a LIKE over three columns.
MAX_TERMS = 16
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass
class Clause:
    """Terms that must all occur (`include`) and none of which may (`exclude`)."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)


def parse_websearch(text: str) -> list[Clause]:
    """The clauses of `text`, any one of which matching is a match."""
    clauses = [Clause()]
    terms = 0
    for match in _TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.casefold() == "or":
            if clauses[-1].include or clauses[-1].exclude:
                clauses.append(Clause())
            continue
        if word is not None:
            negated = "-" if word.startswith("-") else ""
            word = word.lstrip("-")
        term = " ".join((phrase if phrase is not None else word).split())
        if not term or terms >= MAX_TERMS:
            continue
        terms += 1
        (clauses[-1].exclude if negated else clauses[-1].include).append(term)
    return [clause for clause in clauses if clause.include or clause.exclude]


def _contains(term: str) -> Q:
    return Q(name__icontains=term) | Q(description__icontains=term) | Q(content__icontains=term)


def substring_filter(clauses: list[Clause]) -> Q:
    """A filter for `clauses`; one of only exclusions matches whatever lacks them, as
    websearch_to_tsquery's `-a` alone does."""
    if not clauses:
        return Q(pk__in=[])
    matches = Q(pk__in=[])
    for clause in clauses:
        condition = Q()
        for term in clause.include:
            condition &= _contains(term)
        for term in clause.exclude:
            condition &= ~_contains(term)
        matches |= condition
    return matches


SNIPPET_WORDS = 30


def mark_snippets(rows, text: str) -> None:
    """Without full text, turn each row's `snippet` (the start of its content) into a snippet
    with the query's terms marked, as ts_headline marks them: the whole text when short, else
    the words around the first match. Rows without a match in that text get no snippet."""
    if uses_full_text() or not text.strip():
        return
    terms = sorted(
        {term for clause in parse_websearch(text) for term in clause.include}, key=len, reverse=True
    )
    pattern = (
        re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE) if terms else None
    )
    for row in rows:
        row.snippet = _marked(row.snippet or "", pattern) if pattern else ""


def _marked(text: str, pattern: re.Pattern) -> str:
    first = pattern.search(text)
    if first is None:
        return ""
    if len(text) > SHORT_CONTENT:
        words = list(re.finditer(r"\S+", text))
        at = next(i for i, word in enumerate(words) if word.end() > first.start())
        start = max(at - SNIPPET_WORDS // 3, 0)
        end = min(start + SNIPPET_WORDS, len(words))
        text = " ".join(word.group() for word in words[start:end])
        if start:
            text = "… " + text
        if end < len(words):
            text += " …"
    return pattern.sub(lambda m: f"{SNIPPET_START}{m.group()}{SNIPPET_STOP}", text)
