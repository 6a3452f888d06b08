"""Full-text search over prompts.

On PostgreSQL, each prompt carries a stored, weighted tsvector — name (A), description (B),
content (C) — in the generated column `search_vector` (`Prompt.search_vector`). The GIN index
`prompt_search_idx` covers (user_id, search_vector), so a vault search reads only its owner's
matches (migration 0009); the same index serves the public gallery's search on the vector
alone. Queries use websearch_to_tsquery, so users can write "quoted phrases", -exclusions and
`or`. Results rank by ts_rank, whose weighting lets one match in a name outrank any number in
the content (ts_rank_cd would add up every occurrence); reading the stored vector keeps ranking
cheap even for common words. Elsewhere (SQLite for local runs) the column is NULL: the same
web-search syntax is parsed here into case-insensitive substring matches over the same three
fields, and snippets are marked in Python from the start of each row's content.
"""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import Length, Substr
from django.db.models.lookups import LessThanOrEqual

SEARCH_CONFIG = "english"
INDEX_NAME = "prompt_search_idx"
# Marks around matched words in snippets; chosen so they cannot occur in escaped HTML.
SNIPPET_START = "\x02"
SNIPPET_STOP = "\x03"
# ts_headline parses all the text it is given, about a second for 4 MB, so snippets are cut
# from the first HEADLINE_CHARS characters of a prompt only, whatever its length. A match further
# in still finds and ranks the prompt (through the stored vector); its snippet is then the start
# of the prompt. substr, unlike left(), reads only that much of a long value from storage.
HEADLINE_CHARS = 4000
# Short content is shown whole with every match marked; fragments of a short text would shrink
# to the matched word alone. Longer content shows up to two fragments around the matches.
SHORT_CONTENT = 240
FRAGMENTS = {
    "max_words": 30,
    "min_words": 12,
    "short_word": 2,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}
# How search results are ordered by relevance: the best rank first, then the most recently
# updated, then the id, so that pages never overlap.
RELEVANCE_ORDER = ("-rank", "-updated_at", "-id")


class PostgreSQLOnly(Func):
    """Its expression on PostgreSQL; NULL on SQLite, which has no text search types (the
    column still exists there, so that every query naming it runs)."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def search_prompts(queryset: QuerySet, text: str, *, ranked: bool = False) -> QuerySet:
    """Filter `queryset` to prompts matching `text`; `ranked` adds each match's `rank` (alike
    for every match without full text, so that the callers' tie-breakers decide). Callers
    choose the ordering."""
    text = text.strip()
    if not text:
        return queryset
    if not uses_full_text():
        matches = queryset.filter(substring_filter(parse_websearch(text)))
        return matches.annotate(rank=Value(0.0, output_field=FloatField())) if ranked else matches
    query = search_query(text)
    matches = queryset.filter(search_vector=query)
    return matches.annotate(rank=SearchRank(F("search_vector"), query)) if ranked else matches


def with_snippets(queryset: QuerySet, text: str) -> QuerySet:
    """`queryset` annotated with the `snippet` of each prompt for `text`, without filtering or
    ranking: for the rows of a page whose matches were already found. Without full text the
    snippet is the start of the content, which `mark_snippets` marks once the page is read.
    Without `text`, no snippet."""
    text = text.strip()
    if not text:
        return queryset
    start = Substr("content", 1, HEADLINE_CHARS)
    if not uses_full_text():
        return queryset.annotate(snippet=start)
    query = search_query(text)
    marks = {"config": SEARCH_CONFIG, "start_sel": SNIPPET_START, "stop_sel": SNIPPET_STOP}
    return queryset.annotate(
        snippet=Case(
            When(
                LessThanOrEqual(Length(start), SHORT_CONTENT),
                then=SearchHeadline(start, query, highlight_all=True, **marks),
            ),
            default=SearchHeadline(start, query, **FRAGMENTS, **marks),
        )
    )


class _Slice(Func):
    """Elements `start` to `stop` (counted from 1, both included) of an array."""

    def _resolve_output_field(self):
        return self.get_source_expressions()[0].output_field

    def as_sql(self, compiler, connection, **extra_context):
        array, start, stop = (compiler.compile(part) for part in self.get_source_expressions())
        return f"({array[0]})[{start[0]}:{stop[0]}]", (*array[1], *start[1], *stop[1])


# PostgreSQL's array subscripts are 4-byte integers.
MAX_POSITION = 2**31 - 1


def ranked_page(matches: QuerySet, *, offset: int, limit: int) -> tuple[int, list]:
    """For a full-text search (PostgreSQL), how many prompts `matches` holds and the ids of one
    page of them in RELEVANCE_ORDER, in one query.

    Ranking has to read every match anyway; counting them in a query of their own would find
    every match a second time. So one pass counts them and gathers their ids in order, and the
    page's are sliced from that array."""
    offset = min(offset, MAX_POSITION - limit)
    result = matches.order_by().aggregate(
        total=Count("*"),
        ids=_Slice(
            ArrayAgg("pk", order_by=RELEVANCE_ORDER), Value(offset + 1), Value(offset + limit)
        ),
    )
    return result["total"], result["ids"] or []


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
