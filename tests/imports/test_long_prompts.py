"""One prompt in an upload longer than a prompt may be is refused on its own: the rest of the
import goes ahead and the result says which was refused and why."""

import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.imports import services
from apps.imports.models import ImportSession
from apps.prompts.models import Prompt
from apps.prompts.validation import CONTENT_MAX


@pytest.mark.django_db
def test_an_over_long_prompt_is_refused_alone_and_the_rest_are_imported(
    alice, alice_client, django_capture_on_commit_callbacks
):
    # Distinct words, so on PostgreSQL the text is also more than its search index can hold.
    words = " ".join(os.urandom(4).hex() for _ in range(150_000))
    assert len(words) > CONTENT_MAX
    prompts = [
        {"name": "Short", "content": "Summarise {{text}}"},
        {"name": "Enormous", "content": words},
        {"name": "Another", "content": "Translate {{text}} into French"},
    ]
    session = services.session_create(
        user=alice, files=[SimpleUploadedFile("prompts.json", json.dumps(prompts).encode())]
    )
    services.session_extract(session=session)
    session.refresh_from_db()
    assert session.status == ImportSession.Status.READY
    assert session.candidates.count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("imports:start", args=[session.pk]), {"folder": ""})

    session.refresh_from_db()
    assert session.status == ImportSession.Status.DONE, session.error
    assert session.imported_count == 2
    assert session.metadata["skipped"]["invalid"] == 1
    assert set(Prompt.objects.filter(user=alice).values_list("name", flat=True)) == {
        "Short",
        "Another",
    }
    result = alice_client.get(reverse("imports:detail", args=[session.pk])).content.decode()
    assert f"at most {CONTENT_MAX:,} characters" in result
