"""The shared bulk helpers of promptvault/db.py, on whichever database the suite runs."""

from apps.prompts import services
from apps.prompts.models import Tag
from promptvault import db as shared_db


def test_update_rows_sets_each_rows_values_the_constants_and_only_where_asked(
    alice, charlie, monkeypatch
):
    # Two parameters a statement: one row each, so the rows go over several statements.
    monkeypatch.setattr(shared_db, "UPDATE_PARAMETERS", 2)
    red = services.tag_create(owner=alice, name="red")
    blue = services.tag_create(owner=alice, name="blue")
    other = services.tag_create(owner=charlie, name="other")

    updated = shared_db.update_rows(
        Tag,
        [(red.pk, "crimson"), (blue.pk, "navy"), (other.pk, "taken")],
        match=("id",),
        assign=("name",),
        constants={"color": "#123456"},
        where={"user": alice.pk},
    )

    assert updated == 2
    tags = {tag.pk: (tag.name, tag.color) for tag in Tag.objects.all()}
    assert tags == {
        red.pk: ("crimson", "#123456"),
        blue.pk: ("navy", "#123456"),
        other.pk: ("other", other.color),
    }


def test_update_rows_with_no_rows_sends_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert shared_db.update_rows(Tag, [], match=("id",), assign=("name",)) == 0
