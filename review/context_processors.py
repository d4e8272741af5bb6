from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import scheduling
from .models import ReviewCard


def review_due(request):
    """Give a signed-in learner's pages "Review (N)": the cards they may review now.

    N is what today's limit still offers, not the whole backlog. It is counted
    only when a template shows it (the header does, for signed-in learners;
    anonymous pages, which are cached, never ask).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def offered():
        now = timezone.now()
        done = scheduling.reviews_today(user, now)
        left = max(0, settings.REVIEW_DAILY_LIMIT - done)
        due = ReviewCard.objects.filter(user=user, due__lte=now)[:left].count() if left else 0
        return due

    return {"review_due": SimpleLazyObject(offered)}
