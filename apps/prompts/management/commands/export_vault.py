"""Export one user's whole vault from the command line, streamed like the download in the app:
JSON with every version (the format the importer reads back), CSV, or a zip of Markdown files.
"""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.prompts import export, selectors

FORMATS = ("json", "csv", "markdown")


class Command(BaseCommand):
    help = "Write a user's vault as JSON, CSV or a Markdown zip to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The vault owner's login address.")
        parser.add_argument("--format", dest="export_format", choices=FORMATS, default="json")
        parser.add_argument(
            "--output",
            help="File to write; standard output when omitted (markdown needs a file or a pipe).",
        )

    def handle(self, *args, email: str, export_format: str, output: str | None, **options):
        owner = User.objects.filter(email__iexact=User.objects.normalize_email(email)).first()
        if owner is None:
            raise CommandError(f"No account with the email address {email!r}.")
        queryset = selectors.vault_prompts(owner)
        if export_format == "json":
            chunks = export.stream_json(queryset, owner_name=owner.display_name)
        elif export_format == "csv":
            chunks = export.stream_csv(queryset)
        else:
            chunks = export.stream_markdown_zip(queryset)
        binary = export_format == "markdown"

        if output:
            self._write_file(Path(output), chunks, binary=binary)
            self.stderr.write(f"Exported {queryset.count()} prompts to {output}.")
        else:
            try:
                self._write_stdout(chunks, binary=binary)
            except BrokenPipeError:
                # The reader went away (`| head`): stop quietly, as command-line tools do.
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    def _write_stdout(self, chunks, *, binary: bool) -> None:
        if binary:
            if sys.stdout.isatty():
                raise CommandError("The markdown export is a zip file: pass --output or a pipe.")
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
        else:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            self.stdout.flush()

    def _write_file(self, path: Path, chunks, *, binary: bool) -> None:
        # Written beside the target and renamed at the end, so a failed export never leaves a
        # truncated file under the requested name.
        partial = path.with_name(f".{path.name}.partial")
        try:
            if binary:
                with partial.open("wb") as handle:
                    for chunk in chunks:
                        handle.write(chunk)
            else:
                with partial.open("w", encoding="utf-8", newline="") as handle:
                    for chunk in chunks:
                        handle.write(chunk)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {path}: {error.strerror or error}") from error
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
