"""Export and import the whole content as one JSON document keyed by slugs.

The document moves content between environments and can be reviewed in
version control. Import is all or nothing: one bad record refuses the file,
and a record identical to the database is not saved again.
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from comparisons.models import Dimension, Practice, Source, Tool
from quizzes.models import Quiz, QuizItem

from . import guards

FORMAT = "opsguide-content"
IMPORT_REASON = "Imported from a content file"
VERSION = 1

SOURCE_FIELDS = ["key", "title", "authors", "year", "url", "note", "access"]
DIMENSION_FIELDS = [
    "slug", "title", "summary", "kind", "order", "devops_text", "mlops_text", "shared_text",
    "is_published",
]  # fmt: skip
TOOL_FIELDS = ["slug", "name", "category", "kind", "description", "url", "is_published"]
PRACTICE_FIELDS = [
    "slug", "name", "description", "category", "explanation", "rule_reason", "is_contested",
    "note_if_devops",
    "note_if_mlops", "note_if_both", "is_published",
]  # fmt: skip
QUIZ_FIELDS = ["slug", "title", "description", "pass_mark", "shuffle", "order", "is_published"]


class ContentError(Exception):
    """The file cannot be imported; the message names the bad record."""


def export_content():
    """Return the whole content as a JSON-ready dict."""

    def values(obj, fields):
        return {field: getattr(obj, field) for field in fields}

    return {
        "format": FORMAT,
        "version": VERSION,
        "sources": [values(s, SOURCE_FIELDS) for s in Source.objects.order_by("key")],
        "dimensions": [
            {**values(d, DIMENSION_FIELDS), "sources": sorted(s.key for s in d.sources.all())}
            for d in Dimension.objects.prefetch_related("sources").order_by("order", "slug")
        ],
        "tools": [
            {**values(t, TOOL_FIELDS), "dimensions": sorted(d.slug for d in t.dimensions.all())}
            for t in Tool.objects.prefetch_related("dimensions").order_by("slug")
        ],
        "practices": [
            {
                **values(p, PRACTICE_FIELDS),
                "dimension": p.dimension.slug,
                "sources": sorted(s.key for s in p.sources.all()),
            }
            for p in Practice.objects.select_related("dimension")
            .prefetch_related("sources")
            .order_by("slug")
        ],
        "quizzes": [
            {
                **values(q, QUIZ_FIELDS),
                "practices": [item.practice.slug for item in q.items.all()],
            }
            for q in Quiz.objects.prefetch_related("items__practice").order_by("order", "slug")
        ],
    }


class _Importer:
    def __init__(self):
        self.counts = Counter()
        self.warnings = []

    def run(self, data):
        in_play = guards.in_play()
        self.apply(data)
        self.check_leaving(in_play)
        return self.counts

    def check_leaving(self, in_play):
        """Refuse the file if what it takes out of play leaves a published quiz too small;
        otherwise warn with the quizzes that shrink."""
        leaving = in_play - guards.in_play()
        if not leaving:
            return
        names = ", ".join(
            f"“{p}”" for p in Practice.objects.filter(pk__in=leaving).order_by("name")
        )
        what = f"the practices this file takes out of play ({names})"
        refusals, warnings = guards.check_leaving(leaving, what, quizzable=in_play)
        self.warnings += warnings
        if refusals:
            raise ContentError(" ".join(refusals))

    def apply(self, data):
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ContentError(f'Not an OpsGuide content file: "format" must be "{FORMAT}".')
        if data.get("version") != VERSION:
            raise ContentError(f"Unsupported version {data.get('version')!r}; expected {VERSION}.")
        steps = [
            ("sources", "key", self.source),
            ("dimensions", "slug", self.dimension),
            ("tools", "slug", self.tool),
            ("practices", "slug", self.practice),
            ("quizzes", "slug", self.quiz),
        ]
        for kind, key, apply in steps:
            records = data.get(kind, [])
            if not isinstance(records, list):
                raise ContentError(f'"{kind}" must be a list.')
            for index, record in enumerate(records):
                name = record.get(key) if isinstance(record, dict) else None
                label = f"{kind}[{index}]" + (f" ({name})" if name else "")
                try:
                    if not isinstance(record, dict):
                        raise ContentError("is not an object")
                    apply(record)
                except ValidationError as error:
                    raise ContentError(f"{label}: {'; '.join(_messages(error))}") from error
                except (ContentError, KeyError, TypeError, ValueError) as error:
                    raise ContentError(f"{label}: {_describe(error)}") from error

    def save(self, model, key, record, fields, references=None):
        """Create or update one row from a record; return it and whether it changed."""
        unknown = set(record) - set(fields) - set(references or {})
        if unknown:
            raise ContentError(f"unknown field(s): {', '.join(sorted(unknown))}")
        missing = [field for field in fields if field not in record]
        if missing:
            raise ContentError(f"missing field(s): {', '.join(missing)}")
        obj = model.objects.filter(**{key: record[key]}).first()
        created = obj is None
        obj = obj or model()
        changed = created
        for field in fields:
            if getattr(obj, field) != record[field]:
                setattr(obj, field, record[field])
                changed = True
        for field, value in (references or {}).items():
            if getattr(obj, f"{field}_id", None) != value.pk:
                setattr(obj, field, value)
                changed = True
        if model is Practice:
            # The file's notes are written for the file's bucket.
            if obj.notes_bucket != obj.category:
                obj.notes_bucket = obj.category
                changed = True
        if changed:
            obj.full_clean(validate_unique=True)
            # Saved row by row, so the history records each imported change.
            obj._change_reason = IMPORT_REASON
            obj.save()
        self.counts["created" if created else "updated" if changed else "unchanged"] += 1
        return obj

    def set_related(self, manager, wanted):
        if {o.pk for o in manager.all()} != {o.pk for o in wanted}:
            manager.instance._change_reason = IMPORT_REASON
            manager.set(wanted)

    def lookup(self, queryset, key, values, what):
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ContentError(f"{what} must be a list of slugs")
        found = queryset.in_bulk(values, field_name=key)
        missing = [v for v in values if v not in found]
        if missing:
            raise ContentError(f"unknown {what}: {', '.join(map(str, missing))}")
        return [found[v] for v in values]

    def source(self, record):
        self.save(Source, "key", record, SOURCE_FIELDS)

    def dimension(self, record):
        sources = self.lookup(Source.objects, "key", record.get("sources", []), "sources")
        fields = {k: v for k, v in record.items() if k != "sources"}
        dimension = self.save(Dimension, "slug", fields, DIMENSION_FIELDS)
        self.set_related(dimension.sources, sources)

    def tool(self, record):
        dimensions = self.lookup(
            Dimension.objects, "slug", record.get("dimensions", []), "dimensions"
        )
        fields = {k: v for k, v in record.items() if k != "dimensions"}
        tool = self.save(Tool, "slug", fields, TOOL_FIELDS)
        self.set_related(tool.dimensions, dimensions)

    def practice(self, record):
        if not isinstance(record.get("dimension"), str):
            raise ContentError("a practice needs the slug of its dimension")
        (dimension,) = self.lookup(Dimension.objects, "slug", [record["dimension"]], "dimension")
        sources = self.lookup(Source.objects, "key", record.get("sources", []), "sources")
        if not sources:
            raise ContentError("a practice needs at least one source")
        fields = {k: v for k, v in record.items() if k not in {"dimension", "sources"}}
        practice = self.save(
            Practice, "slug", fields, PRACTICE_FIELDS, references={"dimension": dimension}
        )
        self.set_related(practice.sources, sources)

    def quiz(self, record):
        practices = self.lookup(
            Practice.objects.select_related("dimension"),
            "slug",
            record.get("practices", []),
            "practices",
        )
        if len({p.pk for p in practices}) != len(practices):
            raise ContentError("a practice appears twice")
        fields = {k: v for k, v in record.items() if k != "practices"}
        quiz = self.save(Quiz, "slug", fields, QUIZ_FIELDS)
        if quiz.is_published:
            # A published quiz may list practices taken out of play after it took
            # them (the unpublish guard allows it): it no longer deals them, so
            # they are left out of the check, and named. An export of that state
            # imports again.
            dealt = [p for p in practices if guards.still_quizzable(p)]
            problems = quiz.publish_problems(dealt)
            if problems:
                raise ContentError(" ".join(problems))
            if idle := [p.name for p in practices if p not in dealt]:
                self.warnings.append(
                    f"The published quiz “{quiz}” lists practices it does not deal "
                    f"(unpublished or “it depends”): {', '.join(idle)}."
                )
        current = list(quiz.items.order_by("position").values_list("practice_id", flat=True))
        if current != [p.pk for p in practices]:
            # Deleted row by row and created with history, so the history sees both.
            for item in quiz.items.all():
                item._change_reason = IMPORT_REASON
                item.delete()
            bulk_create_with_history(
                [QuizItem(quiz=quiz, practice=p, position=i) for i, p in enumerate(practices, 1)],
                QuizItem,
                default_change_reason=IMPORT_REASON,
            )


def import_content(data):
    """Apply a content document in one transaction; return counts of rows by outcome, and
    warnings about the published quizzes it shrinks."""
    importer = _Importer()
    with transaction.atomic():
        counts = importer.run(data)
    return counts, importer.warnings


def _messages(error):
    if hasattr(error, "message_dict"):
        return [f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()]
    return error.messages


def _describe(error):
    if isinstance(error, KeyError):
        return f"missing field {error}"
    return str(error)
