"""The onboarding pages' template helpers (registered in opsguide.jinja2)."""

import jinja2
from django.template.loader import render_to_string
from markupsafe import Markup

from .models import ReadMark, Step


@jinja2.pass_context
def read_button(context, dimension):
    """Offer "mark as read" on a dimension that is a step of one of the learner's tracks."""
    user = context["request"].user
    if not user.is_authenticated:
        values = {"dimension": dimension, "on_track": False}
    else:
        on_track = Step.objects.filter(dimension=dimension, track__team__members=user).exists()
        is_read = on_track and ReadMark.objects.filter(user=user, dimension=dimension).exists()
        values = {
            "dimension": dimension,
            "on_track": on_track,
            "is_read": is_read,
            "csrf_token": context.get("csrf_token"),
        }
    # Django's Jinja2 backend returns a plain str (not a SafeString, unlike the
    # DTL backend): mark it safe or the page would show the escaped HTML.
    return Markup(render_to_string("onboarding/_read_button.html", values))
