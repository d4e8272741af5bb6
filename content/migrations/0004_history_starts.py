"""Start the content's history: one "as it was" record for every row that exists.

Without it the first edit after the upgrade would have no "before" to compare
with or revert to. It also records, for every practice, that its wrong-bucket
notes were written for its current bucket (they were reviewed with it so far).
Learners' answers are left as they are: answers given before revisions were
recorded keep an empty revision, and `expected` says the bucket they were
given for.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

REASON = "As it was when history started"

# (app, model, many-to-many fields recorded with the row)
TRACKED = [
    ("comparisons", "Source", []),
    ("comparisons", "Dimension", ["sources"]),
    ("comparisons", "Tool", ["dimensions"]),
    ("comparisons", "Practice", ["sources"]),
    ("quizzes", "Quiz", []),
    ("quizzes", "QuizItem", []),
]


def start_history(apps, schema_editor):
    Practice = apps.get_model("comparisons", "Practice")
    Practice.objects.filter(notes_bucket="").update(notes_bucket=F("category"))
    now = timezone.now()
    for app_label, name, many in TRACKED:
        model = apps.get_model(app_label, name)
        historical = apps.get_model(app_label, f"Historical{name}")
        recorded = set(historical.objects.values_list("id", flat=True).distinct())
        names = {field.attname for field in historical._meta.concrete_fields}
        copied = [field.attname for field in model._meta.concrete_fields if field.attname in names]
        for row in model.objects.exclude(pk__in=recorded).order_by("pk").iterator():
            record = historical.objects.create(
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
                **{attname: getattr(row, attname) for attname in copied},
            )
            for field_name in many:
                m2m_history = apps.get_model(app_label, f"Historical{name}_{field_name}")
                through = getattr(model, field_name).through
                own = name.lower()
                other = model._meta.get_field(field_name).related_model._meta.model_name
                m2m_history.objects.bulk_create(
                    m2m_history(
                        history=record,
                        id=through_id,
                        **{f"{own}_id": row.pk, f"{other}_id": other_id},
                    )
                    for through_id, other_id in through.objects.filter(
                        **{f"{own}_id": row.pk}
                    ).values_list("id", f"{other}_id")
                )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_release_3"),
        ("comparisons", "0005_editors_history_and_verification"),
        ("quizzes", "0008_answer_revision_dispute_proposed_history"),
    ]

    operations = [migrations.RunPython(start_history, migrations.RunPython.noop)]
