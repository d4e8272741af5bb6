from functools import cache

from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django_htmx.jinja import htmx_script
from markupsafe import Markup, escape

# The links every page's header and footer carry.
LINKS = {
    "home": "home",
    "compare": "comparisons:compare",
    "quizzes": "quizzes:list",
    "practices": "comparisons:practices",
    "tools": "comparisons:tools",
    "sources": "comparisons:sources",
    "me": "onboarding:me",
    "login": "login",
    "logout": "logout",
}


# The files every page's head loads, by their static paths.
ASSETS = {"css": "css/site.css", "icon": "favicon.svg", "js": "js/opsguide.js"}


@cache
def _links(script_prefix):
    # Reversed once per process (and prefix): nine {% url %} tags were half the
    # cost of rendering the page layout.
    return {key: reverse(name) for key, name in LINKS.items()}


@cache
def _assets(script_prefix):
    # The same for the static files (hashed names come from the manifest read
    # at start-up) and django-htmx's <script> tag for its vendored htmx.
    return {**{key: static(path) for key, path in ASSETS.items()}, "htmx": htmx_script()}


def navigation(request):
    """Name the current page for the navigation, also on error pages (which match no URL)."""
    match = request.resolver_match
    return {
        "nav_name": match.url_name if match else "",
        "nav_app": match.app_name if match else "",
        "links": _links(get_script_prefix()),
        "assets": _assets(get_script_prefix()),
    }


def csrf(request):
    """Give a page one masked CSRF token, made when first used, however often it is printed.

    Django's Jinja2 backend masks a fresh token at every use of `csrf_token` or
    `csrf_input`; a page with two forms and htmx headers made three.
    """
    token = SimpleLazyObject(lambda: get_token(request))
    return {
        "csrf_token": token,
        "csrf_input": SimpleLazyObject(lambda: csrf_input_for(token)),
    }


def csrf_input_for(token):
    return Markup(f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">')
