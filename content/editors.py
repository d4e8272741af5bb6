"""The "Content editors" group: everything an editor needs, nothing more."""

GROUP = "Content editors"
FULL = {
    "comparisons": ["dimension", "practice", "tool", "source"],
    "quizzes": ["quiz", "quizitem", "dispute"],
}
VIEW_ONLY = {"quizzes": ["attempt", "answer"]}
# Shipped updates are made by migrations; editors look at them and decide.
VIEW_AND_CHANGE = {"content": ["shippedupdate"]}


def editor_permissions():
    """Return (app_label, codename) for every permission the group holds."""
    wanted = []
    for app_label, models in FULL.items():
        for model in models:
            for action in ("add", "change", "delete", "view"):
                wanted.append((app_label, f"{action}_{model}"))
    for app_label, models in VIEW_ONLY.items():
        wanted.extend((app_label, f"view_{model}") for model in models)
    for app_label, models in VIEW_AND_CHANGE.items():
        for model in models:
            wanted += [(app_label, f"view_{model}"), (app_label, f"change_{model}")]
    return wanted


def create_editors_group(Group, Permission):
    """Create the group, or complete its permissions; works with historical models too."""
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in editor_permissions():
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group
