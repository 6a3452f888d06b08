"""Remove what no one can use any more, app by app. Meant for a daily scheduler.

Each app decides what of its own is stale in a `cleanup` module with a
`cleanup(*, dry_run) -> list[str]` function returning the lines to report; this command finds
those modules through the app registry, so it names no app. Grace periods there keep recent
history visible in the app (an owner can still see that a link was revoked last week) before
the rows disappear.
"""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

CLEANUP_MODULE = "cleanup"


def cleanup_modules() -> list[ModuleType]:
    """The `cleanup` module of every installed app that has one, in INSTALLED_APPS order."""
    return [
        import_module(f"{config.name}.{CLEANUP_MODULE}")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, CLEANUP_MODULE)
    ]


class Command(BaseCommand):
    @property
    def help(self) -> str:
        """What each app removes: the first paragraph of its `cleanup` module's docstring."""
        removed = (
            " ".join((module.__doc__ or "").split("\n\n")[0].split())
            for module in cleanup_modules()
        )
        return " ".join(["Delete what no one can use any more:", *removed])

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go, change nothing."
        )

    def handle(self, *args, dry_run: bool, **options):
        for module in cleanup_modules():
            for line in module.cleanup(dry_run=dry_run):
                self.stdout.write(line)
