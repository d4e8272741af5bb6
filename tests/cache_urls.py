"""A page that prints a CSRF token, served through the content pages' cache (tests only)."""

from django.http import HttpResponse
from django.template import RequestContext, Template
from django.urls import path

from comparisons.pages import cached_for_anonymous

FORM = Template('<form method="post">{% csrf_token %}<button>Go</button></form>')


@cached_for_anonymous()
def form_page(request):
    return HttpResponse(FORM.render(RequestContext(request)))


urlpatterns = [path("form/", form_page)]
