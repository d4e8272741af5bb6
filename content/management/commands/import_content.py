import json

from django.core.management.base import BaseCommand, CommandError

from content.transfer import ContentError, import_content


class Command(BaseCommand):
    help = (
        "Create or update content from a file written by export_content. "
        "All or nothing: one bad record refuses the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON file to import.")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from error
        try:
            counts, warnings = import_content(data)
        except ContentError as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        self.stdout.write(
            f"Imported {path}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged."
        )
        for line in warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {line}"))
