"""The history page's form puts a custom label on a version: editors only, validated with a
clear message, without JavaScript (a plain POST that redirects back)."""

import pytest
from django.urls import reverse

from apps.prompts import services
from apps.prompts.models import PromptLabel, PromptLabelMove
from tests.prompts.factories import PromptFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prompt(alice):
    prompt = PromptFactory(user=alice, name="Greeting", content="v1")
    services.prompt_update(prompt=prompt, author=alice, content="v2")
    return prompt


def _history(client, prompt) -> str:
    return client.get(reverse("prompts:history", args=[prompt.pk])).content.decode()


def _set(client, prompt, label, version):
    return client.post(
        reverse("prompts:label_move", args=[prompt.pk]),
        {"label": label, "version": version},
        follow=True,
    )


def test_an_editor_puts_a_custom_label_on_a_version(client, prompt, bob):
    client.force_login(bob)
    page = _history(client, prompt)
    assert 'data-testid="custom-label-form"' in page and 'name="label"' in page
    response = _set(client, prompt, "eu-customers", "1")
    assert response.redirect_chain[-1][0] == reverse("prompts:history", args=[prompt.pk])
    assert PromptLabel.objects.get(prompt=prompt, name="eu-customers").version.version == 1
    page = response.content.decode()
    assert "The label “eu-customers” now points at version 1." in page
    assert 'data-testid="label">eu-customers<' in page
    assert "eu-customers</strong> set on v1 by Bob" in page


def test_setting_an_existing_label_moves_it_and_records_the_move(client, prompt, alice):
    client.force_login(alice)
    _set(client, prompt, "canary", "1")
    _set(client, prompt, "canary", "2")
    assert PromptLabel.objects.get(prompt=prompt, name="canary").version.version == 2
    move = PromptLabelMove.objects.filter(label="canary").order_by("-moved_at", "-id").first()
    assert (move.from_version, move.to_version) == (1, 2)


@pytest.mark.parametrize(
    ("label", "version", "message"),
    [
        ("Has Caps", "1", "A label is 1 to 50 lowercase letters, digits and dashes"),
        ("", "1", "A label is 1 to 50 lowercase letters, digits and dashes"),
        ("x" * 51, "1", "A label is 1 to 50 lowercase letters, digits and dashes"),
        ("under_score", "1", "A label is 1 to 50 lowercase letters, digits and dashes"),
        ("latest", "1", "always means the newest version"),
        ("canary", "9", "This prompt has no version 9."),
        ("canary", "", "Choose the version the label should point at."),
        ("canary", "one", "Choose the version the label should point at."),
        ("canary", "9" * 40, "Choose the version the label should point at."),
    ],
)
def test_a_bad_label_or_version_is_refused_with_a_clear_message(
    client, prompt, alice, label, version, message
):
    client.force_login(alice)
    response = _set(client, prompt, label, version)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PromptLabel.objects.filter(prompt=prompt).exists()


def test_a_viewer_sees_labels_but_no_form_and_cannot_post_it(client, prompt, alice, dana):
    services.label_set(prompt=prompt, label="canary", version=1, user=alice)
    client.force_login(dana)
    page = _history(client, prompt)
    assert 'data-testid="label">canary<' in page
    assert "custom-label-form" not in page and 'name="label"' not in page
    refused = client.post(
        reverse("prompts:label_move", args=[prompt.pk]), {"label": "mine", "version": "2"}
    )
    assert refused.status_code == 403
    assert not PromptLabel.objects.filter(name="mine").exists()


def test_a_stranger_gets_404(client, prompt, charlie):
    client.force_login(charlie)
    response = client.post(
        reverse("prompts:label_move", args=[prompt.pk]), {"label": "mine", "version": "1"}
    )
    assert response.status_code == 404


def test_a_refused_label_comes_back_in_the_form(client, prompt, alice):
    client.force_login(alice)
    page = _set(client, prompt, "Canary Release", "1").content.decode()
    assert "A label is 1 to 50 lowercase letters, digits and dashes" in page
    assert 'name="label" value="Canary Release"' in page
    page = _set(client, prompt, "canary", "9").content.decode()
    assert "This prompt has no version 9." in page
    assert 'name="label" value="canary"' in page
