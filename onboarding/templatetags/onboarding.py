from django import template

from ..models import ReadMark, Step

register = template.Library()


@register.inclusion_tag("onboarding/_read_button.html", takes_context=True)
def read_button(context, dimension):
    """Offer "mark as read" on a dimension that is a step of one of the learner's tracks."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"dimension": dimension, "on_track": False}
    on_track = Step.objects.filter(dimension=dimension, track__team__members=user).exists()
    is_read = on_track and ReadMark.objects.filter(user=user, dimension=dimension).exists()
    return {
        "dimension": dimension,
        "on_track": on_track,
        "is_read": is_read,
        "csrf_token": context.get("csrf_token"),
    }
