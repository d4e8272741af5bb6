def navigation(request):
    """Name the current page for the navigation, also on error pages (which match no URL)."""
    match = request.resolver_match
    return {
        "nav_name": match.url_name if match else "",
        "nav_app": match.app_name if match else "",
    }
