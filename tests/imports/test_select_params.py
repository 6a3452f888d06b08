"""The preview's selection form with values no browser sends: ignored, never a failure."""

import pytest
from django.urls import reverse

from apps.imports.models import ImportCandidate
from tests.imports.factories import ImportSessionFactory


@pytest.fixture
def session(alice):
    session = ImportSessionFactory(user=alice, status="ready", source="file")
    for position, name in enumerate(["Keep", "Drop"]):
        ImportCandidate.objects.create(
            session=session,
            position=position,
            name=name,
            content=f"{name} text",
            content_key=name,
            selected=True,
        )
    return session


@pytest.mark.parametrize(
    "data",
    [
        {"on_page": "not-a-uuid"},
        {"on_page": ["not-a-uuid"], "selected": ["also-not-a-uuid"]},
        {"selected": "not-a-uuid"},
        {"on_page": "\x00"},
        {"on_page": "1e999", "selected": str(10**400)},
        {"mode": "\x00"},
        {"page": "-1"},
    ],
)
def test_bad_selection_values_change_nothing_and_do_not_fail(alice_client, session, data):
    response = alice_client.post(reverse("imports:select", args=[session.pk]), data)
    assert response.status_code == 302
    assert session.candidates.filter(selected=True).count() == 2


def test_valid_ids_beside_bad_ones_still_count(alice_client, session):
    keep = session.candidates.get(name="Keep")
    drop = session.candidates.get(name="Drop")
    alice_client.post(
        reverse("imports:select", args=[session.pk]),
        {"on_page": [str(keep.pk), str(drop.pk), "junk"], "selected": [str(keep.pk), "junk"]},
    )
    keep.refresh_from_db()
    drop.refresh_from_db()
    assert keep.selected and not drop.selected
