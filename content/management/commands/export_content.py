import json

from django.core.management.base import BaseCommand

from content.transfer import export_content


class Command(BaseCommand):
    help = "Write every dimension, practice, tool, source and quiz as one JSON document."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, output=None, **options):
        text = json.dumps(export_content(), indent=1, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
