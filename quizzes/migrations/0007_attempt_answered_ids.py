from django.db import migrations, models


def list_answered(apps, schema_editor):
    """Fill the new list for attempts made before it existed, in the order answered."""
    Attempt = apps.get_model("quizzes", "Attempt")
    Answer = apps.get_model("quizzes", "Answer")
    answered = {}
    rows = Answer.objects.order_by("attempt_id", "answered_at", "pk")
    for attempt_id, practice_id in rows.values_list("attempt_id", "practice_id").iterator():
        answered.setdefault(attempt_id, []).append(practice_id)
    attempts = list(Attempt.objects.filter(pk__in=answered).only("pk"))
    for attempt in attempts:
        attempt.answered_ids = answered[attempt.pk]
    Attempt.objects.bulk_update(attempts, ["answered_ids"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0006_dispute_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="answered_ids",
            field=models.JSONField(
                default=list,
                editable=False,
                help_text=(
                    "The practices answered so far, in the order answered (kept with the score)."
                ),
            ),
        ),
        migrations.RunPython(list_answered, migrations.RunPython.noop),
    ]
