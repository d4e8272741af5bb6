import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
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


def server_error(request):
    """Answer a request that failed: 503 while the database cannot be reached, else 500.

    Django calls this (as handler500) inside its exception handler, so the
    exception is at hand. A database restart or failover is brief and nothing
    was written, so the learner is told to try again rather than that
    something broke. Neither page touches the database or the session.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
