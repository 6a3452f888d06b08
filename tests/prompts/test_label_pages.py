"""The history page shows labels beside their versions, lets editors move production and
staging, and lists every move."""

import pytest
from django.urls import reverse

from apps.prompts import services
from apps.prompts.models import PromptLabel
from tests.prompts.factories import PromptFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prompt(alice):
    prompt = PromptFactory(user=alice, name="Greeting", content="v1")
    services.prompt_update(prompt=prompt, author=alice, content="v2")
    return prompt


def _move(client, prompt, value):
    return client.post(reverse("prompts:label_move", args=[prompt.pk]), {"move": value})


def test_an_editor_promotes_a_version_and_the_page_shows_it(client, prompt, bob):
    client.force_login(bob)
    assert _move(client, prompt, "production 1").status_code == 302
    assert PromptLabel.objects.get(prompt=prompt, name="production").version.version == 1
    page = client.get(reverse("prompts:history", args=[prompt.pk])).content.decode()
    assert 'data-testid="label">production<' in page
    assert "production</strong> set on v1 by Bob" in page
    assert page.count('value="production 2"') == 1 and 'value="production 1"' not in page
    assert 'value="staging 1"' in page and 'form="label-form"' in page


def test_a_viewer_sees_labels_but_no_buttons_and_cannot_move(client, prompt, alice, dana):
    services.label_set(prompt=prompt, label="staging", version=2, user=alice)
    client.force_login(dana)
    page = client.get(reverse("prompts:history", args=[prompt.pk])).content.decode()
    assert 'data-testid="label">staging<' in page
    assert "label-form" not in page and "Promote to production" not in page
    assert _move(client, prompt, "production 1").status_code == 403
    assert not PromptLabel.objects.filter(name="production").exists()


def test_a_stranger_gets_404(client, prompt, charlie):
    client.force_login(charlie)
    assert _move(client, prompt, "production 1").status_code == 404


@pytest.mark.parametrize(
    "value",
    [
        "",
        "production",
        "custom 1",
        "production x",
        "production 99",
        "staging 0",
        "production 99999999999999",
    ],
)
def test_bad_moves_change_nothing_and_say_why(alice_client, prompt, value):
    response = _move(alice_client, prompt, value)
    assert response.status_code == 302
    assert not PromptLabel.objects.exists()
    page = alice_client.get(response["Location"]).content.decode()
    assert "Choose production or staging." in page or "This prompt has no version" in page
