from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .grading import ANONYMOUS_KEY
from .models import Attempt


@receiver(user_logged_in)
def adopt_anonymous_attempts(sender, request, user, **kwargs):
    """Give the learner's account the attempts they made in this browser before logging in."""
    if request is None or not hasattr(request, "session"):
        return
    key = request.session.pop(ANONYMOUS_KEY, None)
    if key:
        Attempt.objects.filter(user=None, session_key=key).update(user=user, session_key="")
