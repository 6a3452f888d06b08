"""The benchmark's data set, seeded small: what the API and role scenarios need is there, made
the way the services make it, and the seeder's checks hold."""

import pytest
from django.db import connection

from apps.accounts.api_keys import key_for_secret
from apps.accounts.models import ApiKey, User
from apps.prompts.access import role_in_vault
from apps.prompts.models import Prompt, PromptLabel
from bench import seed

# Seeding ends with VACUUM, which can't run inside the test's transaction.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SMALL = seed.DataSetSize(
    users=3,
    prompts=40,
    heavy_prompts=20,
    heavy_rare_prompts=2,
    other_rare_prompts=2,
    heavy_shared_prompts=3,
)


@pytest.fixture
def seeded():
    seed.seed(SMALL, report=lambda message: None)
    return User.objects.get(email=seed.HEAVY_EMAIL)


def test_it_seats_an_editor_and_a_viewer_on_the_heavy_users_team(seeded):
    members = seed.members()

    assert seed.has_team()
    assert role_in_vault(members["editor"], seeded.pk) == "editor"
    assert role_in_vault(members["viewer"], seeded.pk) == "viewer"
    assert seed.is_seeded(SMALL)  # the members are users of the data set, not extra ones


def test_seating_the_team_again_changes_nothing(seeded):
    seed.seed_team()

    assert seeded.sent_invites.filter(accepted=True, revoked_at__isnull=True).count() == 2


def test_the_sample_prompt_is_labelled_production_one_version_behind(seeded):
    sample = seeded.prompts.get(name=seed.SAMPLE_NAME)

    label = PromptLabel.objects.get(prompt=sample, name=seed.PRODUCTION_LABEL)
    assert label.version.version == SMALL.heavy_versions - 1
    assert seed.has_labels(SMALL)


def test_every_prompt_has_a_key_unique_in_its_vault(seeded):
    keys = list(Prompt.objects.values_list("user_id", "key"))

    assert all(key for _owner, key in keys)
    assert len(set(keys)) == len(keys)
    assert seeded.prompts.get(name=seed.SAMPLE_NAME).key == "launch-announcement-benchmark-sample"


def test_the_checks_catch_a_malformed_key(seeded):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE prompts SET key = 'Not A Key' WHERE id = %s", [seeded.prompts.first().pk]
        )

    with pytest.raises(RuntimeError, match="key is missing or not in the keys' format"):
        seed.verify()


def test_a_fresh_api_key_replaces_the_last_runs(seeded):
    first = seed.fresh_api_key()
    second = seed.fresh_api_key()

    assert key_for_secret(first) is None
    key = key_for_secret(second)
    assert key.user == seeded
    assert key.scopes == [ApiKey.READ]
    assert seeded.api_keys.filter(revoked_at__isnull=True).count() == 1
