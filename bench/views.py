"""Views that exist only for `make bench` (mounted when DJANGO_BENCH_BASELINE is set).

The baseline is the floor every page is measured against. The bound is the
least any learner page can do: read the learner's session and check that an
attempt is theirs. It renders no template and returns a fixed body the size
of the play page, so its ratio is the ceiling for every learner row on the
same machine and server.
"""

from django.http import Http404, HttpResponse
from django.views.generic import TemplateView

from quizzes.models import Attempt

baseline = TemplateView.as_view(template_name="bench/baseline.html")

PLAY_PAGE_SIZE = 5400


def learner_bound(request, attempt_id):
    if not Attempt.objects.owned_by(request).filter(public_id=attempt_id).exists():
        raise Http404("No such attempt in this session.")
    return HttpResponse(b" " * PLAY_PAGE_SIZE)
