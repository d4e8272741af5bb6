"""/review/: the learner's due cards, one at a time, with the quiz's buttons and feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from comparisons.models import BUCKETS
from opsguide.ids import parse_id
from opsguide.ratelimit import ratelimit
from opsguide.responses import refusal

from . import scheduling
from .forms import ReviewForm
from .models import ReminderChoice, ReviewLog


def _context(request, queue, log=None):
    card = queue.cards[0] if queue.cards else None
    return {
        "queue": queue,
        "card": card,
        "practice": log.practice if log else (card.practice if card else None),
        "log": log,
        "categories": BUCKETS,
        "answer_url": reverse("review:answer"),
        "page_url": reverse("review:page"),
        # The header's "Review (N)", known here without counting again.
        "review_due": queue.offered,
    }


@require_safe
@vary_on_headers("HX-Request")
def review_page(request):
    """Show the next due card, or when the next one is due; invite anonymous learners in."""
    if not request.user.is_authenticated:
        return render(request, "review/anonymous.html")
    queue = scheduling.queue(request.user)
    log = None
    if shown := parse_id(request.GET.get("after")):
        # No JavaScript: the answer posted, then came back here to show its feedback.
        log = (
            ReviewLog.objects.filter(
                user=request.user, practice_id=shown, source=ReviewLog.Source.REVIEW
            )
            .select_related("practice__dimension")
            .order_by("-reviewed_at")
            .first()
        )
    context = _context(request, queue, log)
    template_name = "review/review.html" + ("#review" if request.htmx else "")
    return render(request, template_name, context)


@require_POST
@login_required
@ratelimit("answer")
def answer(request):
    """Record one review and return its feedback (fragments for htmx, else a redirect)."""
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return refusal(
            request, 400, "Choose DevOps, MLOps or Both for a due card.", "review/refused.html"
        )
    posted = form.cleaned_data
    try:
        log, _ = scheduling.review(
            request.user, posted["practice"], choice=posted["choice"], guessed=posted["guessed"]
        )
    except scheduling.NoSuchCard:
        return refusal(request, 404, "That card is not in your review.", "review/refused.html")
    except scheduling.NotDue:
        return refusal(
            request,
            409,
            "That card is not due yet: it was reviewed already.",
            "review/refused.html",
        )
    except scheduling.DailyLimitReached:
        return refusal(
            request, 429, "That is today's review done. More tomorrow.", "review/refused.html"
        )
    if not request.htmx:
        return redirect(reverse("review:page") + f"?after={log.practice_id}")
    queue = scheduling.queue(request.user)
    context = _context(request, queue, log)
    context["focus"] = True
    return render(request, "review/answered.html", context)


@require_POST
@login_required
def reminders(request):
    """Turn the learner's e-mail reminders on or off, and go back to their progress page."""
    wanted = request.POST.get("wanted") == "on"
    ReminderChoice.objects.update_or_create(user=request.user, defaults={"wanted": wanted})
    email = request.user.email
    if not wanted:
        messages.success(request, "Reminders off: no review e-mails will be sent.")
    elif email:
        messages.success(
            request, f"Reminders on: on days when cards are due, one e-mail goes to {email}."
        )
    else:
        messages.warning(
            request,
            "Reminders on, but your account has no e-mail address: "
            "none can be sent until an administrator adds one.",
        )
    # The form lives only on /me/, so going back there is going back where it came from.
    return redirect(reverse("onboarding:me") + "#reminders")
