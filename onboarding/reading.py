"""The "Mark as read" button that onboarding adds to a dimension page."""

from django.template.loader import render_to_string

from .models import ReadMark, Step


def read_button(request, dimension):
    """Return the button for a learner whose track has this dimension as a step, else ""."""
    user = request.user
    if not user.is_authenticated:
        return ""
    is_read = ReadMark.objects.filter(user=user, dimension=dimension).exists()
    steps = Step.objects.filter(dimension=dimension, track__team__members=user)
    on_track = is_read or steps.exists()
    if not on_track:
        return ""
    context = {"dimension": dimension, "on_track": on_track, "is_read": is_read}
    return render_to_string("onboarding/_read_button.html", context, request)
