from django.db import migrations


def seed_quizzes(apps, schema_editor):
    """Add the shipped quizzes; quizzes that already exist are left untouched."""
    from quizzes.content import seed

    seed(
        apps.get_model("quizzes", "Quiz"),
        apps.get_model("quizzes", "QuizItem"),
        apps.get_model("comparisons", "Practice"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("comparisons", "0002_seed_content"),
    ]

    operations = [migrations.RunPython(seed_quizzes, migrations.RunPython.noop)]
