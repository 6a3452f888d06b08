"""Each app cleans up what it owns; `manage.py cleanup` only calls them in turn."""

import pytest

from apps.accounts.management.commands.cleanup import cleanup_modules
from apps.imports import services as import_services
from apps.imports.models import ImportSession
from apps.sharing import services as sharing_services
from apps.teams import services as team_services
from tests.test_operations import stale_and_fresh  # noqa: F401 - the shared fixture


def _counts(*, dry_run: bool) -> tuple[int, int, int, int]:
    return (
        team_services.invites_cleanup(dry_run=dry_run),
        sharing_services.shares_cleanup(dry_run=dry_run),
        import_services.sessions_cleanup(dry_run=dry_run),
        import_services.uploads_cleanup(dry_run=dry_run),
    )


@pytest.mark.django_db
def test_each_app_counts_its_leftovers_on_a_dry_run_and_removes_them_otherwise(
    stale_and_fresh,  # noqa: F811
):
    assert _counts(dry_run=True) == (1, 2, 0, 4)
    assert ImportSession.objects.exclude(file="").count() == 5
    assert _counts(dry_run=False) == (1, 2, 0, 4)
    assert _counts(dry_run=False) == (0, 0, 0, 0)
    assert ImportSession.objects.exclude(file="").count() == 1


def test_the_command_runs_the_cleanup_module_of_each_app_that_has_one():
    assert [module.__name__ for module in cleanup_modules()] == [
        "apps.sharing.cleanup",
        "apps.teams.cleanup",
        "apps.imports.cleanup",
    ]
