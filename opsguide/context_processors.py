"""Context every page gets: where it sits in the navigation, and the deploy it comes from."""

from .versions import templates_version


def navigation(request):
    """Name the current page for the navigation, also on error pages (which match no URL)."""
    match = request.resolver_match
    return {
        "nav_name": match.url_name if match else "",
        "nav_app": match.app_name if match else "",
        # Keys the cached page chrome, so a deploy never serves the old one.
        "templates_version": templates_version(),
    }
