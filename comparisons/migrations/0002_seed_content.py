from django.db import migrations


def seed_content(apps, schema_editor):
    """Add the shipped comparison content; rows that already exist are left untouched."""
    from comparisons.content import seed

    seed(
        apps.get_model("comparisons", "Source"),
        apps.get_model("comparisons", "Dimension"),
        apps.get_model("comparisons", "Tool"),
        apps.get_model("comparisons", "Practice"),
    )


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0001_initial")]

    operations = [migrations.RunPython(seed_content, migrations.RunPython.noop)]
