"""Ship content updates without overwriting an editor's edit.

Each release of the shipped content is a frozen file: release 1 is
`comparisons/fixtures/release-1.json` with `quizzes/fixtures/release-1.json`
(read by the first data migrations), and every later release is a whole
snapshot in `content/releases/release-N.json`. A release's migration compares
each row in the database with the previous release's record for it:

- still exactly as shipped: the row takes the new text (a practice's revision goes up);
- already equal to the new text: nothing to do;
- changed by an editor: the row is left alone and a `ShippedUpdate` records the
  new text, for the editor to compare and take over in the admin;
- shipped before and since deleted by an editor: it stays deleted.

Migrations call this with historical models, so it only uses plain fields.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

RELEASES = Path(__file__).resolve().parent / "releases"
RELEASE_1 = (
    Path(__file__).resolve().parent.parent / "comparisons" / "fixtures" / "release-1.json",
    Path(__file__).resolve().parent.parent / "quizzes" / "fixtures" / "release-1.json",
)


@dataclass(frozen=True)
class Kind:
    """How one kind of shipped row is found, compared and written."""

    name: str  # ShippedUpdate.Kind value
    section: str  # the list's name in a release file
    app_label: str
    model_name: str
    key: str  # the field that identifies a row across releases
    fields: tuple  # plain fields compared and written
    foreign: tuple = ()  # (field, related kind name): a foreign key, stored as the related key
    many: tuple = ()  # (field, related kind name): many-to-many, stored as a set of keys


KINDS = (
    Kind(
        "source",
        "sources",
        "comparisons",
        "Source",
        "key",
        ("title", "authors", "year", "url", "note", "access"),
    ),
    Kind(
        "dimension",
        "dimensions",
        "comparisons",
        "Dimension",
        "slug",
        (
            "title",
            "summary",
            "kind",
            "devops_text",
            "mlops_text",
            "shared_text",
            "order",
            "is_published",
        ),
        many=(("sources", "source"),),
    ),
    Kind(
        "tool",
        "tools",
        "comparisons",
        "Tool",
        "slug",
        ("name", "category", "kind", "description", "url", "is_published"),
        many=(("dimensions", "dimension"),),
    ),
    Kind(
        "practice",
        "practices",
        "comparisons",
        "Practice",
        "slug",
        (
            "name",
            "description",
            "category",
            "explanation",
            "rule_reason",
            "is_contested",
            "note_if_devops",
            "note_if_mlops",
            "note_if_both",
            "is_published",
        ),
        foreign=(("dimension", "dimension"),),
        many=(("sources", "source"),),
    ),
    Kind(
        "quiz",
        "quizzes",
        "quizzes",
        "Quiz",
        "slug",
        ("title", "description", "pass_mark", "shuffle", "order", "is_published"),
    ),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
KEY_OF = {kind.name: kind.key for kind in KINDS}

# Values a release file may leave out, as the models' defaults have them.
DEFAULTS = {"is_published": True, "is_contested": False, "access": "", "rule_reason": ""}


def read_release(number):
    """Return release `number` as a dict: sources, dimensions, tools, practices, quizzes."""
    if number == 1:
        data = {}
        for path in RELEASE_1:
            data.update(json.loads(path.read_text(encoding="utf-8")))
        return data
    return json.loads((RELEASES / f"release-{number}.json").read_text(encoding="utf-8"))


def latest_release():
    """Return the number of the newest release file."""
    numbers = [int(path.stem.split("-")[1]) for path in RELEASES.glob("release-*.json")]
    return max(numbers, default=1)


def _plain(value):
    """Return value in the form used for comparing: text with normalised line ends and edges."""
    if isinstance(value, str):
        return "\n".join(line.rstrip() for line in value.strip().splitlines())
    return value


def expected(kind, record, model):
    """Return what a row should hold for `record`, in the comparable form `snapshot` uses."""
    names = {field.name for field in model._meta.get_fields()}
    values = {
        field: _plain(record.get(field, DEFAULTS.get(field)))
        for field in kind.fields
        if field in names
    }
    for field, _ in kind.foreign:
        values[field] = record[field]
    for field, _ in kind.many:
        values[field] = sorted(record.get(field, []))
    if kind.name == "quiz":
        values["practices"] = list(record["practices"])
    return values


def snapshot(kind, row, model):
    """Return a row's current content in the same form as `expected`."""
    names = {field.name for field in model._meta.get_fields()}
    values = {field: _plain(getattr(row, field)) for field in kind.fields if field in names}
    for field, related in kind.foreign:
        values[field] = getattr(getattr(row, field), KEY_OF[related])
    for field, related in kind.many:
        values[field] = sorted(getattr(row, field).values_list(KEY_OF[related], flat=True))
    if kind.name == "quiz":
        values["practices"] = list(
            row.items.order_by("position", "pk").values_list("practice__slug", flat=True)
        )
    return values


def record_history(apps, row, history_type, reason):
    """Record `row` in its history table, as django-simple-history does for live models.

    Migrations work with historical models, which send simple-history no
    signals; a release applied by a migration records its changes here. Live
    models (an editor taking an update over) record themselves, so nothing is
    done for them.
    """
    model = type(row)
    if hasattr(model, "history"):
        return
    app_label, name = model._meta.app_label, model._meta.object_name
    try:
        historical = apps.get_model(app_label, f"Historical{name}")
    except LookupError:
        return  # before the history tables exist
    names = {field.attname for field in historical._meta.concrete_fields}
    record = historical.objects.create(
        history_date=timezone.now(),
        history_type=history_type,
        history_change_reason=reason,
        **{
            f.attname: getattr(row, f.attname)
            for f in model._meta.concrete_fields
            if f.attname in names
        },
    )
    for field in model._meta.many_to_many:
        try:
            m2m_history = apps.get_model(app_label, f"Historical{name}_{field.name}")
        except LookupError:
            continue
        own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = field.remote_field.through.objects.filter(**{f"{own}_id": row.pk})
        m2m_history.objects.bulk_create(
            m2m_history(history=record, id=pk, **{f"{own}_id": row.pk, f"{other}_id": other_id})
            for pk, other_id in rows.values_list("pk", f"{other}_id")
        )


def has_history(apps, row):
    """Return True if `row` has a record in its history table (or there is no such table)."""
    model = type(row)
    try:
        historical = apps.get_model(model._meta.app_label, f"Historical{model._meta.object_name}")
    except LookupError:
        return True
    return historical.objects.filter(id=row.pk).exists()


def write(apps, kind, row, record, history_reason=None, **save_kwargs):
    """Give `row` (saved or not) the content of `record`, relations included, and save it."""
    model = apps.get_model(kind.app_label, kind.model_name)
    names = {field.name for field in model._meta.get_fields()}
    setattr(row, kind.key, record[kind.key])
    for field in kind.fields:
        if field in names:
            setattr(row, field, record.get(field, DEFAULTS.get(field)))
    if "notes_bucket" in names:
        # A release's notes are written for the bucket it ships.
        row.notes_bucket = row.category
    for field, related in kind.foreign:
        related_kind = KIND_BY_NAME[related]
        related_model = apps.get_model(related_kind.app_label, related_kind.model_name)
        setattr(row, field, related_model.objects.get(**{related_kind.key: record[field]}))
    row.save(**save_kwargs)
    for field, related in kind.many:
        related_kind = KIND_BY_NAME[related]
        related_model = apps.get_model(related_kind.app_label, related_kind.model_name)
        getattr(row, field).set(
            related_model.objects.filter(**{f"{related_kind.key}__in": record.get(field, [])})
        )
    if kind.name == "quiz":
        item_model = apps.get_model("quizzes", "QuizItem")
        practice_model = apps.get_model("comparisons", "Practice")
        practices = practice_model.objects.in_bulk(record["practices"], field_name="slug")
        for item in row.items.all():
            record_history(apps, item, "-", history_reason)
        row.items.all().delete()
        items = [
            item_model(quiz=row, practice=practices[slug], position=position)
            for position, slug in enumerate(record["practices"], start=1)
            if slug in practices
        ]
        if hasattr(item_model, "history"):
            # The live model (an editor taking a shipped update over): record the new cards.
            bulk_create_with_history(items, item_model)
        else:
            item_model.objects.bulk_create(items)
            for item in row.items.all():
                record_history(apps, item, "+", history_reason)
    return row


def apply_release(apps, number, previous=None):
    """Bring the database from release `number - 1` to release `number`; return what happened.

    Returns a dict of lists of (kind, key): "created", "updated", "kept" (edited
    rows, whose update now waits in the admin) and "skipped" (deleted by an editor).
    """
    old = read_release(number - 1) if previous is None else previous
    new = read_release(number)
    update_model = apps.get_model("content", "ShippedUpdate")
    report = {"created": [], "updated": [], "kept": [], "skipped": []}
    for kind in KINDS:
        model = apps.get_model(kind.app_label, kind.model_name)
        old_records = {record[kind.key]: record for record in old.get(kind.section, [])}
        for record in new.get(kind.section, []):
            key = record[kind.key]
            row = model.objects.filter(**{kind.key: key}).first()
            old_record = old_records.get(key)
            reason = f"Release {number} of the shipped content"
            if row is None:
                if old_record is None:
                    row = write(apps, kind, model(), record, history_reason=reason)
                    record_history(apps, row, "+", reason)
                    report["created"].append((kind.name, key))
                else:
                    report["skipped"].append((kind.name, key))
                continue
            current = snapshot(kind, row, model)
            if current == expected(kind, record, model):
                continue
            if old_record is not None and expected(kind, old_record, model) == expected(
                kind, record, model
            ):
                continue  # the release leaves this row as it was: the editor's text stands
            if old_record is not None and current == expected(kind, old_record, model):
                revision = getattr(row, "revision", None)
                if not has_history(apps, row):
                    # Keep the "before" of a row the history has not seen yet.
                    record_history(apps, row, "+", "As it was before the release")
                write(apps, kind, row, record, history_reason=reason)
                if kind.name == "practice":
                    # One new revision per release, whatever save() did on its own.
                    model.objects.filter(pk=row.pk).update(revision=revision + 1)
                    row.revision = revision + 1
                record_history(apps, row, "~", reason)
                report["updated"].append((kind.name, key))
            else:
                update_model.objects.update_or_create(
                    kind=kind.name,
                    key=key,
                    release=number,
                    defaults={"values": record, "resolution": "", "resolved_at": None},
                )
                report["kept"].append((kind.name, key))
    # Cached pages are keyed by the content version; the new text must show at once.
    apps.get_model("comparisons", "ContentVersion").objects.filter(pk=1).update(
        value=F("value") + 1
    )
    return report


def changed_fields(update, row):
    """Return [(field, editor's value, shipped value)] where an update differs from the row."""
    from django.apps import apps

    kind = KIND_BY_NAME[update.kind]
    model = apps.get_model(kind.app_label, kind.model_name)
    if row is None:
        return [
            (field, None, value) for field, value in expected(kind, update.values, model).items()
        ]
    current = snapshot(kind, row, model)
    shipped = expected(kind, update.values, model)
    return [
        (field, current.get(field), value)
        for field, value in shipped.items()
        if current.get(field) != value
    ]


def row_for(update):
    """Return the row a shipped update is for, or None if an editor deleted it."""
    from django.apps import apps

    kind = KIND_BY_NAME[update.kind]
    model = apps.get_model(kind.app_label, kind.model_name)
    return model.objects.filter(**{kind.key: update.key}).first()


def take_over(update):
    """Give the row the shipped text of `update`, and mark the update resolved."""
    from django.apps import apps

    kind = KIND_BY_NAME[update.kind]
    model = apps.get_model(kind.app_label, kind.model_name)
    row = row_for(update) or model()
    # Any shipped change to an existing card counts as substantive: Practice.save
    # raises its revision, as the release migration does for unedited cards.
    save_kwargs = {"substantive": True} if kind.name == "practice" and row.pk else {}
    write(apps, kind, row, update.values, **save_kwargs)
    update.resolution = update.Resolution.TAKEN_OVER
    update.resolved_at = timezone.now()
    update.save(update_fields=["resolution", "resolved_at"])
    return row


def keep_editors_text(update):
    """Mark a shipped update as declined: the editor's text stays."""
    update.resolution = update.Resolution.KEPT
    update.resolved_at = timezone.now()
    update.save(update_fields=["resolution", "resolved_at"])


def load_shipped_content(apps=None):
    """Fill an emptied database with the shipped content, as `migrate` does on a fresh one.

    Release 1 is seeded, then every later release applied in turn; tests that
    flush the database call this to get the shipped site back.
    """
    from comparisons.content import seed as seed_comparisons
    from quizzes.content import seed as seed_quizzes

    if apps is None:
        from django.apps import apps
    Practice = apps.get_model("comparisons", "Practice")
    seed_comparisons(
        apps.get_model("comparisons", "Source"),
        apps.get_model("comparisons", "Dimension"),
        apps.get_model("comparisons", "Tool"),
        Practice,
    )
    seed_quizzes(apps.get_model("quizzes", "Quiz"), apps.get_model("quizzes", "QuizItem"), Practice)
    apps.get_model("comparisons", "ContentVersion").objects.get_or_create(pk=1)
    for number in range(2, latest_release() + 1):
        apply_release(apps, number)
