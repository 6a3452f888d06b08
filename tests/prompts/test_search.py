"""Search: full text on PostgreSQL (websearch syntax, ranking, snippets, the GIN index), and a
substring match elsewhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Tier
from apps.prompts import search, selectors
from apps.prompts.models import Prompt, PromptVersion
from tests.prompts.factories import PromptFactory

postgres = pytest.mark.postgres


def _found(owner, q, **filters):
    return sorted(p.name for p in selectors.vault_prompts(owner, q=q, **filters))


def _ranked(owner, q):
    return [p.name for p in selectors.vault_prompts(owner, q=q)]


@pytest.fixture
def library(alice):
    alice.tier = Tier.PRO
    alice.save()
    PromptFactory(
        user=alice,
        name="Outreach",
        content="Write a cold email to a new prospect.",
        folder="sales",
        tags=["email"],
        model="gpt-4o",
    )
    PromptFactory(
        user=alice,
        name="Blog",
        content="Write a blog post about cats and dogs.",
        folder="marketing",
        tags=["blog"],
    )
    PromptFactory(
        user=alice,
        name="Vet notes",
        description="About dogs",
        content="Summarise the visit.",
        folder="sales/pets",
        tags=["email", "blog"],
    )
    PromptFactory(user=alice, name="Weather", content="It was cold; the email arrived late.")
    return alice


def test_a_quoted_phrase_matches_only_adjacent_words(library):
    assert _found(library, '"cold email"') == ["Outreach"]
    assert _found(library, "cold email") == ["Outreach", "Weather"]


def test_minus_excludes_a_word(library):
    assert _found(library, "dogs -cats") == ["Vet notes"]


def test_or_matches_either_word(library):
    assert _found(library, "prospect or cats") == ["Blog", "Outreach"]


@postgres
def test_stemming_matches_other_forms_of_a_word(library):
    assert _found(library, "emails") == ["Outreach", "Weather"]
    assert _found(library, "writing") == ["Blog", "Outreach"]


@postgres
def test_a_match_in_the_name_outranks_one_in_the_description_and_then_the_content(alice):
    PromptFactory(user=alice, name="Notes", content="invoice " * 10)
    PromptFactory(user=alice, name="Invoice reminder", content="Be polite.")
    PromptFactory(user=alice, name="Other", description="An invoice", content="text")
    assert _ranked(alice, "invoice") == ["Invoice reminder", "Other", "Notes"]


@postgres
def test_relevance_can_be_swapped_for_another_sort(library):
    names = [p.name for p in selectors.vault_prompts(library, q="dogs", sort="name")]
    assert names == ["Blog", "Vet notes"]


def test_results_carry_a_highlighted_snippet(library, alice_client):
    prompt = PromptFactory(
        user=library, name="Danger", content="<script>alert(1)</script> if a < b & a zebra"
    )
    response = alice_client.get(reverse("prompts:list"), {"q": "zebra"})
    html = response.content.decode()
    assert [p.pk for p in response.context["page"].object_list] == [prompt.pk]
    assert "<mark>zebra</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "a &lt; b &amp; a <mark>zebra</mark>" in html


def test_search_combines_with_folder_tag_and_model_filters(library):
    assert _found(library, "email", folder="sales") == ["Outreach"]
    assert _found(library, "dogs", tags=["email"]) == ["Vet notes"]
    assert _found(library, "dogs", tags=["email", "blog"]) == ["Vet notes"]
    assert _found(library, "write", model="gpt-4o") == ["Outreach"]
    assert _found(library, "write", folder="marketing", tags=["email"]) == []


@pytest.mark.parametrize("q", ['"', "-", "or", "!!!", "a & b | c", "'", "(", ":*", "\\"])
def test_odd_queries_never_fail(library, alice_client, q):
    response = alice_client.get(reverse("prompts:list"), {"q": q})
    assert response.status_code == 200


@postgres
def test_the_search_index_covers_the_weighted_vector_the_queries_use(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'prompts' AND indexname = %s",
            [search.INDEX_NAME],
        )
        (indexdef,) = cursor.fetchone()
        cursor.execute(
            "SELECT generation_expression FROM information_schema.columns "
            "WHERE table_name = 'prompts' AND column_name = 'search_vector'"
        )
        (expression,) = cursor.fetchone()
    assert "USING gin (user_id, search_vector)" in indexdef
    assert Prompt._meta.get_field("search_vector").column == "search_vector"
    for column, weight in (("name", "'A'"), ("description", "'B'"), ("content", "'C'")):
        assert column in expression and weight in expression


@postgres
def test_the_models_vector_is_the_one_the_database_stores(alice):
    """The model declares the column's expression (migration 0005 made the column): computed
    afresh, it gives every prompt the vector stored beside it."""
    PromptFactory(user=alice, name="Invoices", description="Monthly", content="Chase the payments.")
    PromptFactory(user=alice, name="Empty description", description="", content="Running dogs")
    expression = Prompt._meta.get_field("search_vector").expression
    rows = Prompt.objects.annotate(fresh=expression).values_list("name", "fresh", "search_vector")
    vectors = {name: (fresh, stored) for name, fresh, stored in rows}
    assert all(fresh == stored for fresh, stored in vectors.values()), vectors
    assert vectors["Invoices"][1] == "'chase':3C 'invoic':1A 'month':2B 'payment':5C"


def test_a_prompt_is_read_without_its_search_vector(alice):
    """The vector can outweigh the content and only the database uses it: neither a prompt
    read directly nor one reached through a relation or a share link loads it."""
    from apps.sharing import selectors as sharing_selectors
    from apps.sharing.services import share_create

    prompt = PromptFactory(user=alice, content="kettle")
    share = share_create(prompt=prompt, shared_by=alice)
    with CaptureQueriesContext(connection) as queries:
        read = [
            Prompt.objects.get(pk=prompt.pk),
            PromptVersion.objects.get(prompt=prompt).prompt,
            sharing_selectors.share_by_code(share.share_code).prompt,
            *selectors.vault_prompts(alice, q="kettle"),
        ]
    assert len(queries) == 5
    assert all("search_vector" in row.get_deferred_fields() for row in read)


@postgres
def test_the_search_vector_follows_every_edit(alice):
    from apps.prompts import services

    prompt = PromptFactory(user=alice, name="Plain", content="nothing special")
    assert _found(alice, "walrus") == []
    services.prompt_update(prompt=prompt, author=alice, content="a walrus appears")
    assert _found(alice, "walrus") == ["Plain"]
    services.prompt_update(prompt=prompt, author=alice, name="Walrus notes", content="gone")
    assert _found(alice, "walrus") == ["Walrus notes"]


@postgres
def test_searching_uses_the_gin_index(alice):
    alice.tier = Tier.PRO
    alice.save()
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    Prompt.objects.bulk_create(
        Prompt(
            user=alice,
            name=f"Prompt {i}",
            key=f"prompt-{i}",
            content=" ".join(words[(i + k) % len(words)] for k in range(5)) + f" item{i}",
        )
        for i in range(3000)
    )
    Prompt.objects.filter(name="Prompt 1234").update(content="a rare xylophone")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE prompts")
        # At this size a scan of the stored vectors (or of one user's rows) is as cheap as the
        # index, so the planner may take either; what matters is that a search can be answered
        # from the index (the benchmark shows the planner choosing it on a large vault).
        cursor.execute("SET LOCAL enable_seqscan = off")
    # Over the vector alone, as the gallery searches. (A vault's search names its owner too,
    # which the index covers; at this size, with one owner, PostgreSQL reads the owner's rows
    # through an index on user_id instead.)
    for q in ("xylophone", "alpha bravo"):
        plan = search.search_prompts(Prompt.objects.all(), q).explain()
        assert search.INDEX_NAME in plan, plan


def test_search_on_any_database_finds_words_in_name_description_and_content(alice):
    PromptFactory(user=alice, name="Quarterly REPORT", content="numbers")
    PromptFactory(user=alice, name="B", description="the report card", content="x")
    PromptFactory(user=alice, name="C", content="please report back")
    PromptFactory(user=alice, name="D", content="nothing here")
    assert _found(alice, "report") == ["B", "C", "Quarterly REPORT"]


def test_substring_search_on_sqlite_ands_the_words(alice):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's substring search")
    PromptFactory(user=alice, name="A", content="red apple")
    PromptFactory(user=alice, name="B", content="green apple")
    PromptFactory(user=alice, name="C", content="Reddish")
    assert _found(alice, "apple red") == ["A"]
    assert _found(alice, "red") == ["A", "C"]
    assert _found(alice, '"red apple"') == ["A"]
    assert _found(alice, "100%") == []
    assert _found(alice, "_") == []


def test_search_only_looks_in_the_owners_vault(alice, charlie):
    PromptFactory(user=charlie, name="Charlie unique word")
    assert _found(alice, "unique") == []


@postgres
def test_a_search_typed_into_the_vault_form_is_ranked_by_relevance(alice, alice_client):
    """The form sends every field, the sort included; its default must still rank."""
    PromptFactory(user=alice, name="Notes", content="mentions an invoice once")
    PromptFactory(user=alice, name="Invoice reminder", content="Be polite.")
    query = {"q": "invoice", "folder": "", "tag": "", "model": "", "visibility": "", "sort": ""}
    response = alice_client.get(reverse("prompts:list"), query)
    assert [p.name for p in response.context["page"].object_list] == ["Invoice reminder", "Notes"]


def test_a_broad_search_in_another_order_counts_up_to_the_cap(alice, alice_client, monkeypatch):
    """Sorted by anything but relevance (or on SQLite), counting needn't rank: it stops at the
    cap."""
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
    for index in range(8):
        PromptFactory(user=alice, name=f"Kettle {index}", content="about a kettle")
    PromptFactory(user=alice, name="Toaster", content="about a toaster")
    url = reverse("prompts:list")
    broad = alice_client.get(url, {"q": "kettle", "sort": "name"}).content.decode()
    assert "5+ prompts match" in broad
    assert broad.count('class="prompt-row__name"') == 8  # every match is still listed
    narrow = alice_client.get(url, {"q": "toaster", "sort": "name"}).content.decode()
    assert "1 prompt matches" in narrow
    everything = alice_client.get(reverse("prompts:list")).content.decode()
    assert "9 prompts" in everything  # browsing without a search counts exactly


@postgres
def test_a_search_by_relevance_counts_every_match_and_pages_through_them_in_rank_order(
    alice, alice_client, monkeypatch
):
    """Ranking reads every match anyway, so the same query counts them exactly; the pages
    follow the ranking, then recency, with none repeated or left out."""
    from apps.prompts.views import vault

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
    monkeypatch.setattr(vault, "PAGE_SIZE", 4)
    alice.tier = Tier.PRO
    alice.save()
    PromptFactory(user=alice, name="Kettle guide", content="boil water")  # name: ranks first
    for index in range(9):
        PromptFactory(user=alice, name=f"Note {index}", content="about a kettle")
    PromptFactory(user=alice, name="Toaster", content="about a toaster")
    url = reverse("prompts:list")
    expected = [p.name for p in selectors.vault_prompts(alice, q="kettle")]
    assert expected[0] == "Kettle guide" and len(expected) == 10
    seen = []
    for number in (1, 2, 3):
        response = alice_client.get(url, {"q": "kettle", "page": number})
        assert "10 prompts match" in response.text
        page = response.context["page"]
        assert page.number == number and page.paginator.num_pages == 3
        seen += [prompt.name for prompt in page.object_list]
        assert all(prompt.snippet for prompt in page.object_list)
    assert seen == expected
    last = alice_client.get(url, {"q": "kettle", "page": 99}).context["page"]
    assert last.number == 3 and [p.name for p in last.object_list] == expected[8:]
    first = alice_client.get(url, {"q": "kettle", "page": "nonsense"}).context["page"]
    assert [p.name for p in first.object_list] == expected[:4]
    none = alice_client.get(url, {"q": "walrus", "page": 4})
    assert none.status_code == 200 and "No prompts match" in none.text
    beyond = alice_client.get(url, {"q": "kettle", "page": "9" * 30})
    assert beyond.status_code == 200 and beyond.context["page"].number == 3


FILTERS = {"q": "", "folder": "", "tags": [], "model": "", "visibility": "", "sort": ""}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"q": "kettle"},
        {"q": "kettle", "sort": "name"},
        {"q": "kettle -toaster", "sort": "-created"},
        {"folder": "kitchen", "sort": "name"},
    ],
    ids=["vault", "search", "search-by-name", "search-by-date", "folder"],
)
def test_the_vault_selectors_never_return_another_owners_prompts(alice, charlie, filters):
    """Every way of reading a vault names its owner in SQL: whatever matches elsewhere, on
    any page, stays out."""
    for number in range(3):
        PromptFactory(user=alice, name=f"Mine {number}", content="kettle", folder="kitchen")
    for number in range(4):
        PromptFactory(user=charlie, name=f"Theirs {number}", content="kettle", folder="kitchen")
    wanted = {**FILTERS, **filters}

    shown = [
        prompt
        for number in (1, 2)
        for prompt in selectors.vault_page(alice, wanted, number, 2).object_list
    ]

    assert sorted(prompt.name for prompt in shown) == ["Mine 0", "Mine 1", "Mine 2"]
    assert {prompt.user_id for prompt in selectors.vault_prompts(alice, **wanted)} == {alice.pk}


def test_a_page_without_a_search_carries_no_snippet(alice):
    PromptFactory(user=alice, name="Plain", content="kettle")

    [row] = selectors.vault_page(alice, FILTERS, 1, 50).object_list

    assert not hasattr(row, "snippet")
    assert row.content_start == "kettle"


def _long_prompts(owner, **fields):
    """Two prompts of more than HEADLINE_CHARS: one mentions a zebra first, one only at the end."""
    filler = "plain words " * (search.HEADLINE_CHARS // 12 + 50)
    early = PromptFactory(user=owner, name="Early", content="A zebra first. " + filler, **fields)
    late = PromptFactory(user=owner, name="Late", content=filler + "and a zebra at last", **fields)
    return early, late


@postgres
def test_snippets_are_cut_from_the_start_of_a_long_prompt_only(alice, alice_client):
    """ts_headline reads at most HEADLINE_CHARS of a prompt, however long: a match further in
    still finds the prompt, and its snippet is the start of the prompt instead."""
    _long_prompts(alice)

    response = alice_client.get(reverse("prompts:list"), {"q": "zebra"})

    rows = {prompt.name: prompt for prompt in response.context["page"].object_list}
    assert set(rows) == {"Early", "Late"}
    assert f"{search.SNIPPET_START}zebra{search.SNIPPET_STOP}" in rows["Early"].snippet
    assert "zebra" not in rows["Late"].snippet
    assert rows["Late"].snippet.startswith("plain words")
    assert "<mark>zebra</mark> first" in response.text
    assert "zebra at last" not in response.text


def test_a_long_prompt_matching_past_the_snippet_is_still_found_on_any_database(alice):
    _long_prompts(alice)
    assert _found(alice, "zebra") == ["Early", "Late"]


def test_the_web_search_syntax_reads_alike_on_every_database(library):
    """The syntax the search box advertises finds the same prompts on SQLite (substrings) as on
    PostgreSQL (full text), for words that need no stemming."""
    assert _found(library, "cold -prospect") == ["Weather"]
    assert _found(library, "prospect or visit") == ["Outreach", "Vet notes"]
    assert _found(library, "blog cats or visit") == ["Blog", "Vet notes"]
    assert _found(library, '"cats and dogs" or prospect') == ["Blog", "Outreach"]
    assert _found(library, '-"cold email" email') == ["Weather"]
    assert _found(library, "OR or") == []


def test_the_parser_reads_phrases_exclusions_and_or():
    clauses = search.parse_websearch('alpha "beta  gamma" -delta or -"eps zeta" or or eta')
    assert [(c.include, c.exclude) for c in clauses] == [
        (["alpha", "beta gamma"], ["delta"]),
        ([], ["eps zeta"]),
        (["eta"], []),
    ]
    assert search.parse_websearch("   ") == []
    assert len(search.parse_websearch(" ".join(f"w{i}" for i in range(100)))[0].include) == (
        search.MAX_TERMS
    )


def test_a_gallery_search_marks_its_matches_on_every_database(alice, client):
    PromptFactory(user=alice, name="Public", content="Say hello to the zebra.", is_public=True)
    response = client.get(reverse("sharing:explore"), {"q": "zebra"})
    assert response.status_code == 200
    assert "<mark>zebra</mark>" in response.text


def test_a_long_text_gets_a_fragment_around_its_first_match_without_full_text(alice):
    if connection.vendor == "postgresql":
        pytest.skip("ts_headline makes PostgreSQL's snippets")
    PromptFactory(user=alice, name="Long", content="word " * 200 + "zebra " + "tail " * 200)
    [row] = selectors.vault_page(
        alice,
        {"q": "zebra", "sort": "", "folder": "", "tags": [], "model": "", "visibility": ""},
        1,
        50,
    ).object_list
    assert f"{search.SNIPPET_START}zebra{search.SNIPPET_STOP}" in row.snippet
    assert row.snippet.startswith("… ") and row.snippet.endswith(" …")
    assert len(row.snippet.split()) <= search.SNIPPET_WORDS + 2
