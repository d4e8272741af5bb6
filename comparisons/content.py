"""Read the shipped content file and add what a database does not have yet.

The data migration calls `seed()` with historical models, so this module must
only use what every migration state has: plain field names from the file.
"""

import json
from pathlib import Path

CONTENT_FILE = Path(__file__).resolve().parent / "fixtures" / "release-1.json"


def read_content(path=CONTENT_FILE):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _fields(model, record, skip):
    """Return the record's values for the concrete fields the model has."""
    names = {field.name for field in model._meta.concrete_fields}
    return {key: value for key, value in record.items() if key in names and key not in skip}


def seed(Source, Dimension, Tool, Practice, data=None):
    """Create every record of the content file that is missing, by its slug or key.

    Existing rows are left exactly as they are, so an editor's change survives a
    re-run; only new records are added.
    """
    data = data if data is not None else read_content()
    sources = {}
    for record in data["sources"]:
        sources[record["key"]], _ = Source.objects.get_or_create(
            key=record["key"], defaults=_fields(Source, record, {"key"})
        )
    dimensions = {}
    for record in data["dimensions"]:
        dimension, created = Dimension.objects.get_or_create(
            slug=record["slug"], defaults=_fields(Dimension, record, {"slug", "sources"})
        )
        if created:
            dimension.sources.set(sources[key] for key in record["sources"])
        dimensions[record["slug"]] = dimension
    for record in data["tools"]:
        tool, created = Tool.objects.get_or_create(
            slug=record["slug"], defaults=_fields(Tool, record, {"slug", "dimensions"})
        )
        if created:
            tool.dimensions.set(dimensions[slug] for slug in record["dimensions"])
    for record in data["practices"]:
        defaults = _fields(Practice, record, {"slug", "dimension", "sources"})
        defaults["dimension"] = dimensions[record["dimension"]]
        practice, created = Practice.objects.get_or_create(slug=record["slug"], defaults=defaults)
        if created:
            practice.sources.set(sources[key] for key in record["sources"])
