"""Reading an upload again as another source: only a file still waiting for review."""

import pytest
from django.core.files.base import ContentFile

from apps.imports import services
from apps.imports.models import ImportSession, ImportSource
from tests.imports.factories import ImportSessionFactory


def _waiting(alice, status=ImportSession.Status.READY):
    session = ImportSessionFactory(user=alice, status=status)
    session.file.save("upload.json", ContentFile(b"[]"))
    return session


def test_a_file_in_review_is_read_again_as_the_chosen_source(alice):
    session = _waiting(alice)
    services.session_reread(session=session, source=ImportSource.CLAUDE)
    session.refresh_from_db()
    assert (session.source, session.status) == (ImportSource.CLAUDE, ImportSession.Status.UPLOADED)


@pytest.mark.parametrize(
    "status", [ImportSession.Status.IMPORTING, ImportSession.Status.DONE, "no file"]
)
def test_only_a_file_still_in_review_is_read_again(alice, status):
    if status == "no file":
        session = ImportSessionFactory(user=alice, status=ImportSession.Status.READY)
    else:
        session = _waiting(alice, status=status)
    before = session.status
    with pytest.raises(services.ImportRefused, match="still waiting for review"):
        services.session_reread(session=session, source=ImportSource.CLAUDE)
    session.refresh_from_db()
    assert (session.source, session.status) == (ImportSource.CHATGPT, before)
