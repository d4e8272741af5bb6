"""The Jinja2 environment that renders the site's pages (the admin keeps Django's engine).

Profiling the learner's requests put half of each one in Django's template
engine; Jinja2 compiles templates to Python and renders the same pages several
times faster. Two things keep the templates as they were:

- Fragments: `render(request, "quizzes/play.html#play")` renders only the block
  `play` of that template, as django-template-partials did, so htmx gets a
  fragment from the same template the full page comes from.
- Django's helpers as globals and filters: `url()`, `static()`, `markdown`,
  `pluralize`, `date`, and the site's own (`verdict()`, `read_button()`).
"""

import jinja2
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString

from comparisons.markdown import render_markdown
from onboarding.jinja2 import read_button
from quizzes.jinja2 import verdict


class Fragment:
    """One block of a template, rendered on its own (the `name#block` syntax)."""

    def __init__(self, template, block):
        if block not in template.blocks:
            raise jinja2.TemplateNotFound(f"{template.name}#{block}")
        self.template = template
        self.block = block
        self.name = f"{template.name}#{block}"
        self.filename = template.filename
        # What {% include "name#block" %} calls on a template.
        self.new_context = template.new_context
        self.root_render_func = template.blocks[block]

    def render(self, context):
        return self.template.environment.concat(
            self.root_render_func(self.template.new_context(context))
        )


class Environment(jinja2.Environment):
    def get_template(self, name, parent=None, globals=None):
        if isinstance(name, str) and "#" in name:
            name, block = name.split("#", 1)
            return Fragment(super().get_template(name, parent, globals), block)
        return super().get_template(name, parent, globals)


class LenientUndefined(jinja2.ChainableUndefined):
    """A missing variable is empty and false, as in Django's templates."""


class StrictUndefined(jinja2.ChainableUndefined):
    """In tests a missing variable may be tested (`{% if x %}`) but never printed."""

    def __str__(self):
        self._fail_with_undefined_error()

    __html__ = __str__


def _refuse_callables(value):
    # Django's engine calls methods for you; Jinja2 prints "<bound method ...>".
    if callable(value) and not isinstance(value, (str, SafeString, jinja2.Undefined)):
        raise TypeError(f"{value!r} printed without being called: add ()")
    return value


def url(name, *args, **kwargs):
    return reverse(name, args=args or None, kwargs=kwargs or None)


def pluralize(count, suffix="s"):
    """Return `suffix` unless count (a number or a sized collection) is exactly 1."""
    if not isinstance(count, int):
        count = len(count)
    return "" if count == 1 else suffix


def date(value, format_string):
    """Format a datetime in the current time zone with Django's date format codes."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, format_string)


def environment(**options):
    # pytest-django's FAIL_INVALID_TEMPLATE_VARS sets this option on every
    # engine: under it, printing a missing variable fails the test.
    strict = bool(options.pop("string_if_invalid", None))
    options["undefined"] = StrictUndefined if strict else LenientUndefined
    if strict:
        options["finalize"] = _refuse_callables
    env = Environment(keep_trailing_newline=True, **options)
    env.globals.update(url=url, static=static, verdict=verdict, read_button=read_button)
    env.filters.update(markdown=render_markdown, pluralize=pluralize, date=date)
    return env
