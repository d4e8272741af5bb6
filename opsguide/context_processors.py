from functools import cache

from django.urls import get_script_prefix, reverse

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


@cache
def _links(script_prefix):
    # Reversed once per process (and prefix): nine {% url %} tags were half the
    # cost of rendering the page layout.
    return {key: reverse(name) for key, name in LINKS.items()}


def navigation(request):
    """Name the current page for the navigation, also on error pages (which match no URL)."""
    match = request.resolver_match
    return {
        "nav_name": match.url_name if match else "",
        "nav_app": match.app_name if match else "",
        "links": _links(get_script_prefix()),
    }
