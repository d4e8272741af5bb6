"""Release 2: cards re-judged with the sorting rule, set in ML teams' work, facts brought up to date.

Rows still as release 1 shipped them take the new text; rows an editor changed
keep the editor's text, and the new text waits in the admin as a shipped update.
"""

from django.db import migrations


def apply_release_2(apps, schema_editor):
    from content.shipped import apply_release

    apply_release(apps, 2)


def let_editors_decide_shipped_updates(apps, schema_editor):
    """Let the "Content editors" group see shipped updates and take them over."""
    from django.contrib.auth.management import create_permissions

    from content.editors import GROUP

    content = apps.get_app_config("content")
    content.models_module = True
    create_permissions(content, apps=apps, verbosity=0)
    content.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group:
        group.permissions.add(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="content",
                codename__in=["view_shippedupdate", "change_shippedupdate"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("comparisons", "0004_practice_revision_and_rule_reason"),
        ("quizzes", "0005_attempt_answered"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(let_editors_decide_shipped_updates, migrations.RunPython.noop),
        migrations.RunPython(apply_release_2, migrations.RunPython.noop),
    ]
