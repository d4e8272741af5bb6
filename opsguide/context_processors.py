import os
from functools import cache

from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token
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
    "rule": "comparisons:rule",
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
    token = SimpleLazyObject(lambda: masked_token(request))
    return {
        "csrf_token": token,
        "csrf_input": SimpleLazyObject(lambda: csrf_input_for(token)),
    }


def csrf_input_for(token):
    return Markup(f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">')


# The mask that hides the CSRF secret in each page (Django's defence against
# BREACH) is 32 random characters. Django draws them with get_random_string:
# one call to the system's randomness per character, 29 µs on the bench
# machine, which every learner page and answer paid. Here one read draws all
# of them. Bytes from 248 up are dropped rather than folded in, so that each
# of the 62 characters stays equally likely.
_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: i for i, char in enumerate(_CHARS)}
_UNBIASED = 256 - 256 % len(_CHARS)


def _random_indices(count):
    found = []
    while len(found) < count:
        found += [byte % len(_CHARS) for byte in os.urandom(count + 8) if byte < _UNBIASED]
    return found[:count]


def masked_token(request):
    """Return what django.middleware.csrf.get_token returns: the request's secret, masked.

    Django accepts it as its own (tests/test_security.py). A request without a
    secret yet goes to get_token itself, which makes one and sets the cookie.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)
    # As get_token does: send the cookie again, to renew its expiry.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_indices(len(secret))
    pairs = zip(secret, mask, strict=True)
    cipher = "".join(_CHARS[(_INDEX[char] + shift) % len(_CHARS)] for char, shift in pairs)
    return "".join(_CHARS[shift] for shift in mask) + cipher
