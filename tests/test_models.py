import pytest
from django.db import IntegrityError

from comparisons.markdown import render_markdown
from comparisons.models import Category, Dimension, Practice

from .factories import make_dimension, make_practice


def test_categories_are_devops_mlops_and_both():
    assert Category.choices == [("devops", "DevOps"), ("mlops", "MLOps"), ("both", "Both")]


def test_markdown_renders_emphasis_and_links():
    html = render_markdown("Some *emphasis* and [a link](https://example.org).")
    assert "<em>emphasis</em>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_markdown_drops_scripts_and_event_handlers(text):
    html = render_markdown(text)
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "style=" not in html


def test_markdown_of_nothing_is_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


@pytest.mark.django_db
def test_practice_is_correct_only_for_its_own_category():
    practice = make_practice(category=Category.BOTH)
    assert practice.is_correct("both")
    assert not practice.is_correct("mlops")
    assert not practice.is_correct("BOTH")


@pytest.mark.django_db
def test_note_for_a_wrong_bucket_falls_back_to_the_explanation():
    practice = make_practice(category=Category.MLOPS, note_if_devops="Drift needs a model.")
    assert practice.note_for("devops") == "Drift needs a model."
    assert practice.note_for("both") == practice.explanation
    assert practice.note_for("mlops") == practice.explanation


@pytest.mark.django_db
def test_practice_names_are_unique_ignoring_case():
    practice = make_practice(name="Track experiments")
    with pytest.raises(IntegrityError):
        make_practice(name="track EXPERIMENTS", dimension=practice.dimension)


@pytest.mark.django_db
def test_practice_category_must_be_a_bucket():
    with pytest.raises(IntegrityError):
        make_practice(category="ops")


@pytest.mark.django_db
def test_unpublished_dimension_hides_its_practices():
    dimension = make_dimension(is_published=False)
    practice = make_practice(dimension=dimension)
    assert practice not in Practice.objects.published()
    assert dimension not in Dimension.objects.published()


@pytest.mark.django_db
def test_str_and_absolute_urls():
    practice = make_practice(name="Version datasets", slug="version-datasets")
    assert str(practice) == "Version datasets"
    assert practice.get_absolute_url() == "/practices/version-datasets/"
    assert practice.dimension.get_absolute_url() == f"/compare/{practice.dimension.slug}/"
    assert str(practice.dimension) == practice.dimension.title
    assert Dimension.Kind.SIMILARITY.label == "Mainly a similarity"
