from django.shortcuts import render
from django_htmx.http import reswap, retarget


def refusal(request, status, message, page_template):
    """Refuse a request with a clear message: a fragment for htmx, else a whole page.

    The fragment goes into the page's #refusal region (every page that posts
    through htmx has one), whatever the request meant to update.
    """
    if request.htmx:
        response = render(request, "_refusal.html", {"message": message}, status=status)
        return reswap(retarget(response, "#refusal"), "innerHTML")
    return render(request, page_template, {"message": message}, status=status)
