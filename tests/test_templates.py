"""Django's template language with django-template-partials: fragments for htmx, one engine."""

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string


def test_the_site_and_the_admin_share_one_template_engine():
    assert [engine["BACKEND"] for engine in settings.TEMPLATES] == [
        "django.template.backends.django.DjangoTemplates"
    ]


def test_a_partial_renders_on_its_own_through_the_loader():
    html = render_to_string(
        "quizzes/play.html#status",
        {"attempt": {"total": 10, "score": 3}, "answered": 4, "oob": True},
    )
    assert html.lstrip().startswith(
        '<div id="status" class="status" role="status" hx-swap-oob="innerHTML">'
    )
    assert "4 of 10 answered" in html
    assert "<html" not in html


def test_an_unknown_partial_is_a_missing_template():
    with pytest.raises(TemplateDoesNotExist):
        get_template("quizzes/play.html#no-such-partial")


def test_markdown_filter_renders_and_sanitises():
    template = Template("{% load markdown %}{{ text|markdown }}")
    html = template.render(Context({"text": "**bold** <script>alert(1)</script>"}))
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html


def test_autoescaping_is_on():
    assert Template("{{ v }}").render(Context({"v": "<script>"})) == "&lt;script&gt;"
