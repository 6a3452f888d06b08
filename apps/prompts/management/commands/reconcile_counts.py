"""Repair every user's cached prompt_count from the prompts that really exist.

The services keep the count right in the same transaction as each create and delete; this is
for rows changed behind their back (a restored backup, a manual SQL fix)."""

from django.core.management.base import BaseCommand

from apps.prompts.services import prompts_recount


class Command(BaseCommand):
    help = "Recount each user's cached prompt_count and report how many were wrong."

    def handle(self, *args, **options):
        fixed = prompts_recount()
        noun = "count" if fixed == 1 else "counts"
        self.stdout.write(self.style.SUCCESS(f"Fixed {fixed} prompt {noun}."))
