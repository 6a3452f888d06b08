"""Labels point at versions; every move is recorded with who and when."""

import pytest
from django.core.exceptions import ValidationError

from apps.prompts import services
from apps.prompts.models import PromptLabel, PromptLabelMove
from apps.prompts.services.labels import LABELS_MAX
from tests.accounts.factories import UserFactory
from tests.prompts.factories import PromptFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def prompt(alice):
    prompt = PromptFactory(user=alice, name="Refund reply", content="v1")
    services.prompt_update(prompt=prompt, author=alice, content="v2")
    services.prompt_update(prompt=prompt, author=alice, content="v3")
    return prompt


def _history(prompt):
    return list(
        PromptLabelMove.objects.filter(prompt=prompt)
        .order_by("moved_at", "id")
        .values_list("label", "from_version", "to_version")
    )


def test_moves_are_recorded_from_and_to(alice, prompt):
    services.label_set(prompt=prompt, label="production", version=1, user=alice)
    services.label_set(prompt=prompt, label="production", version=3, user=alice)
    services.label_set(prompt=prompt, label="production", version=3, user=alice)  # no move
    services.label_set(
        prompt=prompt, label="staging", version=prompt.versions.get(version=2), user=alice
    )
    assert services.label_remove(prompt=prompt, label="staging", user=alice) is True
    assert services.label_remove(prompt=prompt, label="staging", user=alice) is False
    assert _history(prompt) == [
        ("production", None, 1),
        ("production", 1, 3),
        ("staging", None, 2),
        ("staging", 2, None),
    ]
    label = PromptLabel.objects.get(prompt=prompt)
    assert (label.name, label.version.version, label.updated_by) == ("production", 3, alice)
    assert PromptLabelMove.objects.filter(prompt=prompt).first().moved_by == alice


@pytest.mark.parametrize("label", ["", "Production", "latest", "a b", "x" * 51, "prod/1"])
def test_bad_labels_are_refused(alice, prompt, label):
    with pytest.raises(ValidationError) as error:
        services.label_set(prompt=prompt, label=label, version=1, user=alice)
    assert "label" in error.value.message_dict
    assert not PromptLabel.objects.exists()


@pytest.mark.parametrize("version", [0, 4, -1, "x", None, 10**30])
def test_a_version_the_prompt_lacks_is_refused(alice, prompt, version):
    with pytest.raises(ValidationError) as error:
        services.label_set(prompt=prompt, label="production", version=version, user=alice)
    assert "version" in error.value.message_dict


def test_a_version_of_another_prompt_is_refused(alice, prompt):
    other = PromptFactory(user=alice, name="Other")
    with pytest.raises(ValidationError):
        services.label_set(
            prompt=prompt, label="production", version=other.versions.get(), user=alice
        )


def test_labels_per_prompt_are_bounded(alice, prompt):
    for n in range(LABELS_MAX):
        services.label_set(prompt=prompt, label=f"l{n}", version=1, user=alice)
    with pytest.raises(ValidationError):
        services.label_set(prompt=prompt, label="one-more", version=1, user=alice)


def test_deleting_the_prompt_takes_its_labels_and_history(alice, prompt):
    services.label_set(prompt=prompt, label="production", version=2, user=alice)
    services.prompt_delete(prompt=prompt)
    assert not PromptLabel.objects.exists() and not PromptLabelMove.objects.exists()


def test_the_mover_leaving_keeps_the_history(alice, prompt):
    bob = UserFactory()
    services.label_set(prompt=prompt, label="production", version=2, user=bob)
    bob.delete()
    assert PromptLabelMove.objects.get().moved_by is None
