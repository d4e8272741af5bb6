from django.db import migrations

GROUP = "Content editors"
# The group as this release defined it; content.editors keeps it current since.
FULL = {
    "comparisons": ["dimension", "practice", "tool", "source"],
    "quizzes": ["quiz", "quizitem", "dispute"],
}
VIEW_ONLY = {"quizzes": ["attempt", "answer"]}


def create_editors_group(Group, Permission):
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, models in FULL.items():
        for model in models:
            for action in ("add", "change", "delete", "view"):
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    for app_label, models in VIEW_ONLY.items():
        for model in models:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"view_{model}")
            )


def create_group(apps, schema_editor):
    """Create the editors' group so a new editor needs only a staff account in it."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure
    # they exist now, on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    create_editors_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_dispute"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
