from django.core.management.base import BaseCommand, CommandError

from content.lint import lint


class Command(BaseCommand):
    help = "Check the published content against the card-writing rules; fail if anything is off."

    def handle(self, *args, **options):
        problems = lint()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the content.")
        self.stdout.write(self.style.SUCCESS("The content passes the lint."))
