"""The small template helpers lists use on every row."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.prompts.selectors import TagChip
from apps.prompts.templatetags.prompt_extras import excerpt, search_snippet, tag_chips, timeago


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=3), "3 hours ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=15), "2 weeks ago"),
        (timedelta(days=65), "2 months ago"),
        (timedelta(days=800), "2 years ago"),
    ],
)
def test_timeago_says_how_long_ago_in_words(ago, text):
    assert f">{text}</time>" in timeago(timezone.now() - ago)


@override_settings(TIME_ZONE="Europe/Paris")
def test_timeago_gives_the_exact_local_moment_as_attribute_and_title():
    moment = timezone.datetime(2026, 7, 1, 10, 30, 15, tzinfo=ZoneInfo("UTC"))
    html = timeago(moment)
    assert html.startswith(
        '<time datetime="2026-07-01T12:30:15+02:00" title="2026-07-01 12:30 CEST">'
    )
    assert timeago(None) == ""


def test_snippets_escape_the_text_and_mark_only_the_matches():
    html = search_snippet("<b>tea</b> and \x02coffee\x03")
    assert html == "&lt;b&gt;tea&lt;/b&gt; and <mark>coffee</mark>"


def test_excerpts_fold_whitespace_and_cut_with_an_ellipsis():
    assert excerpt("a  b\n\nc") == "a b c"
    assert excerpt("word " * 10, 12) == "word word w…"
    assert len(excerpt("x" * 500)) == 180


def test_tag_chips_escape_names_and_keep_their_order():
    chips = tag_chips(
        [
            TagChip("<b>bold</b>", "#ff0000"),
            TagChip("Ünïcode & more", "#00aa00"),
            TagChip("z", "#123456"),
        ]
    )

    assert chips == (
        '<span class="tag" style="--tag-color: #ff0000">&lt;b&gt;bold&lt;/b&gt;</span>'
        '<span class="tag" style="--tag-color: #00aa00">Ünïcode &amp; more</span>'
        '<span class="tag" style="--tag-color: #123456">z</span>'
    )
    assert tag_chips([]) == ""


def test_tag_chips_escape_a_colour_that_is_not_one():
    """Colours are validated on every write; the markup still never trusts them."""
    chips = tag_chips([TagChip("x", '"><script>')])

    assert "<script>" not in chips and "&quot;&gt;&lt;script&gt;" in chips
