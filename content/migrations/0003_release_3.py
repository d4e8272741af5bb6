"""Release 3: LLM applications, cost, ML security, incident response, data contracts.

Five new dimensions with their cards, tools and sources; DevOps-side cards on
feature flags, trunk-based development, tracing and build provenance; an LLM
quiz, a "tricky cases" quiz and two more themed quizzes. Rows still as release
2 shipped them take the new text; rows an editor changed keep the editor's.
"""

from django.db import migrations


def apply_release_3(apps, schema_editor):
    from content.shipped import apply_release

    apply_release(apps, 3)


class Migration(migrations.Migration):
    dependencies = [("content", "0002_release_2")]

    operations = [migrations.RunPython(apply_release_3, migrations.RunPython.noop)]
