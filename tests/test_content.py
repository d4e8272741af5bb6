"""The shipped content: enough of it, complete, and traceable to sources."""

from collections import Counter
from urllib.parse import urlparse

import pytest
from django.core.validators import URLValidator

from comparisons.content import read_content, seed
from comparisons.models import Category, Dimension, Practice, Source, Tool

pytestmark = pytest.mark.django_db


def test_migrations_ship_at_least_fourteen_dimensions_with_both_sides():
    dimensions = Dimension.objects.published()
    assert dimensions.count() >= 14
    for dimension in dimensions:
        assert dimension.devops_text.strip(), dimension
        assert dimension.mlops_text.strip(), dimension
        assert dimension.shared_text.strip(), dimension
        assert dimension.sources.exists(), dimension
    assert set(dimensions.values_list("kind", flat=True)) == set(Dimension.Kind.values)


def test_migrations_ship_at_least_ninety_practices_with_twelve_per_bucket():
    quizzable = Practice.objects.quizzable()
    assert quizzable.count() >= 90
    counts = Counter(quizzable.values_list("category", flat=True))
    for category in Category.values:
        assert counts[category] >= 12, counts


def test_every_practice_has_explanation_dimension_and_source():
    for practice in Practice.objects.prefetch_related("sources").select_related("dimension"):
        assert len(practice.explanation.split()) >= 15, practice
        assert practice.description.strip(), practice
        assert practice.dimension.is_published, practice
        assert practice.sources.all(), practice


def test_wrong_bucket_notes_are_written_for_the_wrong_buckets_only():
    for practice in Practice.objects.all():
        assert getattr(practice, f"note_if_{practice.category}") == "", practice
        for category in Category.values:
            if category != practice.category:
                assert getattr(practice, f"note_if_{category}").strip(), (practice, category)


def test_contested_practices_say_it_depends():
    for practice in Practice.objects.filter(is_contested=True):
        assert practice.explanation.startswith("It depends"), practice


def test_no_two_practices_share_a_name():
    names = [name.lower() for name in Practice.objects.values_list("name", flat=True)]
    assert len(names) == len(set(names))


def test_at_least_thirty_tools_and_twelve_sources():
    assert Tool.objects.published().count() >= 30
    assert Source.objects.count() >= 12
    for tool in Tool.objects.prefetch_related("dimensions"):
        assert tool.dimensions.all(), tool


@pytest.mark.parametrize("model", [Source, Tool])
def test_every_url_is_well_formed_https(model):
    validate = URLValidator(schemes=["https"])
    for row in model.objects.all():
        validate(row.url)
        assert urlparse(row.url).netloc, row


def test_every_source_is_cited():
    for source in Source.objects.all():
        assert source.practices.exists() or source.dimensions.exists(), source


def test_reseeding_never_overwrites_an_editors_change():
    practice = Practice.objects.get(slug=read_content()["practices"][0]["slug"])
    practice.explanation = "An editor rewrote this explanation."
    practice.save()
    dimension = Dimension.objects.first()
    dimension.title = "Renamed by an editor"
    dimension.save()
    before = (Practice.objects.count(), Dimension.objects.count(), Tool.objects.count())

    seed(Source, Dimension, Tool, Practice)

    practice.refresh_from_db()
    dimension.refresh_from_db()
    assert practice.explanation == "An editor rewrote this explanation."
    assert dimension.title == "Renamed by an editor"
    assert (Practice.objects.count(), Dimension.objects.count(), Tool.objects.count()) == before


def test_reseeding_restores_a_deleted_record_only():
    slug = read_content()["tools"][0]["slug"]
    Tool.objects.filter(slug=slug).delete()
    seed(Source, Dimension, Tool, Practice)
    assert Tool.objects.filter(slug=slug).count() == 1
