"""The Jinja2 environment: fragments for htmx, Django's helpers, and strictness in tests."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from jinja2 import UndefinedError

from opsguide.jinja2 import date, pluralize


@pytest.fixture
def jinja():
    return engines["jinja2"]


def test_a_fragment_renders_only_its_block(jinja):
    source = (
        '{% extends "_base.html" %}{% block content %}<p>before</p>'
        "{% block part %}<b>{{ word }}</b>{% endblock %}<p>after</p>{% endblock %}"
    )
    template = jinja.env.from_string(source)
    from opsguide.jinja2 import Fragment

    assert Fragment(template, "part").render({"word": "hi"}) == "<b>hi</b>"


def test_fragment_names_go_through_django_loaders(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string("quizzes/refused.html", {"message": "No."}, request)
    assert "<html" in html and "No." in html
    with pytest.raises(TemplateDoesNotExist):
        get_template("quizzes/play.html#no-such-block")


def test_tests_fail_on_a_missing_variable_or_an_uncalled_method(jinja):
    with pytest.raises(UndefinedError):
        jinja.from_string("{{ missing }}").render({})
    with pytest.raises(TypeError, match="add \\(\\)"):
        jinja.from_string("{{ thing.upper }}").render({"thing": "x"})
    # Testing a missing variable is allowed, as in Django's templates.
    assert jinja.from_string("{% if missing %}x{% endif %}").render({}) == ""


def test_autoescaping_is_on(jinja):
    assert jinja.from_string("{{ v }}").render({"v": "<script>"}) == "&lt;script&gt;"


def test_pluralize_and_date_filters():
    assert [pluralize(n) for n in (0, 1, 2)] == ["s", "", "s"]
    assert pluralize([1]) == "" and pluralize([], "es") == "es"
    moment = timezone.datetime(2026, 3, 4, 5, 6, tzinfo=timezone.get_fixed_timezone(0))
    assert date(moment, "j M Y") == "4 Mar 2026"
    assert date(None, "j M Y") == ""
