from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def refusal(request, status, message, page_template):
    """Refuse a request with a clear message: a fragment for htmx, else a whole page.

    The fragment goes into the page's #refusal region (every page that posts
    through htmx has one), whatever the request meant to update.
    """
    if request.headers.get("HX-Request"):
        fragment = render_to_string("_refusal.html", {"message": message}, request)
        response = HttpResponse(fragment, status=status)
        response["HX-Retarget"] = "#refusal"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, page_template, {"message": message}, status=status)
