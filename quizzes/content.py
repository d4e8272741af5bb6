"""Read the shipped quizzes and add those a database does not have yet."""

import json
from pathlib import Path

QUIZZES_FILE = Path(__file__).resolve().parent / "fixtures" / "release-1.json"


def read_quizzes(path=QUIZZES_FILE):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def seed(Quiz, QuizItem, Practice, data=None):
    """Create every quiz of the file that is missing, by slug; existing quizzes stay as edited."""
    data = data if data is not None else read_quizzes()
    fields = {field.name for field in Quiz._meta.concrete_fields}
    for record in data["quizzes"]:
        defaults = {k: v for k, v in record.items() if k in fields and k != "slug"}
        quiz, created = Quiz.objects.get_or_create(slug=record["slug"], defaults=defaults)
        if not created:
            continue
        practices = Practice.objects.in_bulk(record["practices"], field_name="slug")
        QuizItem.objects.bulk_create(
            QuizItem(quiz=quiz, practice=practices[slug], position=position)
            for position, slug in enumerate(record["practices"], start=1)
            if slug in practices
        )
