from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from markupsafe import Markup

from comparisons.caching import TEMPLATES_VERSION
from comparisons.models import BUCKETS
from opsguide.ids import parse_id
from opsguide.ratelimit import ratelimit
from opsguide.responses import refusal

from . import deck as decks
from . import grading, links, reads
from .forms import DisputeForm, parse_answer
from .models import Attempt, Dispute

DISPUTES_PER_DAY = 20
REPORT_TIMEOUT = 60 * 60 * 24 * 7


def _quiz(request, slug, deck=None):
    """Return the quiz the request may see (staff see drafts), or 404."""
    quiz = (deck or decks.current()).quiz(slug, request.user)
    if quiz is None:
        raise Http404("No such quiz.")
    return quiz


def _own_attempt(request, quiz, attempt_id):
    """Return the request's own attempt, or 404: other people's attempts are not revealed."""
    attempt = reads.attempt(quiz, attempt_id)
    if attempt is None or not attempt.is_owned_by(request):
        raise Http404("No such attempt.")
    return attempt


def _refuse(request, status, message):
    return refusal(request, status, message, "quizzes/refused.html")


def _play_context(deck, attempt, answered, practice, answer):
    return {
        "deck": deck,
        "quiz": attempt.quiz,
        "attempt": attempt,
        "practice": practice,
        "answer": answer,
        "answered": answered,
        "answer_url": links.attempt_url("answer", attempt),
        "play_url": links.quiz_url("play", attempt.quiz.slug),
        "results_url": attempt.get_absolute_url(),
        "categories": BUCKETS,
        "can_dispute": True,
        "dispute_url": links.attempt_url("dispute", attempt),
    }


@require_safe
def quiz_list(request):
    # The deck already counts each quiz's dealable cards.
    quizzes = decks.current().visible_quizzes(request.user)
    mine = {}
    for attempt in Attempt.objects.owned_by(request).only(
        "quiz_id", "public_id", "score", "total", "finished_at"
    ):
        entry = mine.setdefault(attempt.quiz_id, {"best": None, "unfinished": None})
        if attempt.is_finished:
            if entry["best"] is None or attempt.percent > entry["best"]:
                entry["best"] = attempt.percent
        elif entry["unfinished"] is None:
            entry["unfinished"] = attempt
    nothing = {"best": None, "unfinished": None}
    rows = [(quiz, mine.get(quiz.pk, nothing)) for quiz in quizzes]
    return render(request, "quizzes/list.html", {"rows": rows})


@require_safe
def play(request, slug):
    """Show the quiz: its introduction, or the learner's current card (a GET never writes)."""
    deck = decks.current()
    quiz = _quiz(request, slug, deck)
    attempt = reads.current_attempt(request, quiz)
    feedback_for = parse_id(request.GET.get("feedback"))
    if attempt is None and feedback_for:
        # The last answer finished the attempt: show its feedback before the results.
        attempt = (
            Attempt.objects.owned_by(request)
            .filter(quiz=quiz, answers__practice_id=feedback_for)
            .order_by("-started_at")
            .first()
        )
        if attempt is not None:
            attempt.quiz = quiz
    if attempt is None:
        return render(request, "quizzes/play.html", {"quiz": quiz, "size": quiz.size})

    answers = {a.practice_id: a for a in reads.answers(attempt, deck.practices)}
    shown_id = feedback_for
    if shown_id not in answers:
        shown_id = grading.next_practice_id(attempt, answers)
        if shown_id is None:
            return redirect(attempt)
    practice = deck.practices.get(shown_id)
    if practice is None:
        raise Http404("This card has been deleted.")
    context = _play_context(deck, attempt, len(answers), practice, answers.get(shown_id))
    template_name = "quizzes/play.html"
    if request.htmx:
        template_name += "#play"
    return render(request, template_name, context)


@require_safe
def board(request, slug):
    """Show every card of the learner's current attempt at once, with three columns."""
    deck = decks.current()
    quiz = _quiz(request, slug, deck)
    attempt = reads.current_attempt(request, quiz)
    if attempt is None:
        return redirect(quiz)
    practices = deck.practices
    answers = {a.practice_id: a for a in reads.answers(attempt, practices)}
    cards = [(practices[pk], answers.get(pk)) for pk in attempt.practice_ids if pk in practices]
    columns = [
        (value, label, [card for card in cards if card[1] and card[1].choice == value])
        for value, label in BUCKETS
    ]
    context = _play_context(deck, attempt, len(answers), None, None)
    context.update(pile=[card for card in cards if card[1] is None], columns=columns, mode="board")
    return render(request, "quizzes/board.html", context)


@require_POST
@ratelimit("start")
def start(request, slug):
    """Resume the learner's unfinished attempt, or deal a new one."""
    quiz = _quiz(request, slug)
    attempt = reads.current_attempt(request, quiz)
    if attempt is None or request.POST.get("fresh"):
        # "Take it again" deals a new attempt even when an older one was left unfinished.
        attempt = grading.start_attempt(quiz=quiz, owner=grading.owner_fields(request))
    if request.POST.get("mode") == "board":
        return redirect("quizzes:board", slug=quiz.slug)
    return redirect(quiz)


@require_POST
@ratelimit("answer")
def answer(request, slug, attempt_id):
    """Record one answer and return its feedback (a fragment for htmx, else a redirect)."""
    deck = decks.current()
    quiz = _quiz(request, slug, deck)
    attempt = _own_attempt(request, quiz, attempt_id)
    posted = parse_answer(request.POST)
    if posted is None:
        return _refuse(request, 400, "Choose DevOps, MLOps or Both for a card of this quiz.")
    practice = deck.practices.get(posted.practice)
    if practice is None:
        return _refuse(request, 400, "That card is not part of this attempt.")
    try:
        recorded = grading.record_answer(attempt=attempt, practice=practice, choice=posted.choice)
    except grading.NotInAttempt:
        return _refuse(request, 400, "That card is not part of this attempt.")
    except grading.AttemptFinished:
        return _refuse(request, 409, "This attempt is finished. Start the quiz again to retry.")

    board_mode = posted.mode == "board"
    if not request.htmx:
        if board_mode:
            return redirect(reverse("quizzes:board", args=[quiz.slug]) + f"#card-{practice.pk}")
        return redirect(links.quiz_url("play", quiz.slug) + f"?feedback={practice.pk}")

    context = _play_context(deck, attempt, attempt.answered, practice, recorded.answer)
    context["focus"] = True
    # One template renders the fragment and its out-of-band updates together.
    template_name = "quizzes/_answered_board.html" if board_mode else "quizzes/_answered.html"
    return render(request, template_name, context)


@require_safe
def results(request, slug, attempt_id):
    deck = decks.current()
    quiz = _quiz(request, slug, deck)
    attempt = reads.attempt(quiz, attempt_id)
    if attempt is None:
        raise Http404("No such attempt.")
    is_owner = attempt.is_owned_by(request)
    if not (is_owner or attempt.is_visible_to(request)):
        raise Http404("No such attempt.")
    context = {
        "quiz": quiz,
        "attempt": attempt,
        "mistake_count": attempt.answered - attempt.score,
        "deck": deck,
        "is_owner": is_owner,
        "can_dispute": is_owner,
        "dispute_url": links.attempt_url("dispute", attempt),
        "retry_url": links.attempt_url("retry", attempt),
        "start_url": links.quiz_url("start", quiz.slug),
        "play_url": links.quiz_url("play", quiz.slug),
        "show_explanation": True,
        "categories": BUCKETS,
    }
    context["report"] = _report(request, deck, attempt, context)
    return render(request, "quizzes/results.html", context)


def _report(request, deck, attempt, context):
    """Render the attempt's breakdown and mistakes; a finished attempt's are kept in the cache.

    A finished attempt never changes, so its report only goes stale when an
    editor changes content (a new content version) or a deploy changes the
    templates, and both are in the key. The learner sees it again from their
    progress page, and a lead or editor may look at it too.
    """
    key = None
    if attempt.is_finished and settings.QUIZ_RESULTS_CACHE:
        key = (
            f"report:{TEMPLATES_VERSION}:{deck.version}:{attempt.public_id}"
            f":{int(context['can_dispute'])}"
        )
        if (html := cache.get(key)) is not None:
            return Markup(html)
    rows = reads.answer_rows(attempt)
    report_context = {**context, "summary": grading.breakdown(rows, deck.practices)}
    # No request: the report is shared between viewers, so it gets no context
    # processors (no CSRF token, no user).
    html = render_to_string("quizzes/results.html#report", report_context)
    if key:
        cache.set(key, html, REPORT_TIMEOUT)
    return Markup(html)


@require_POST
@ratelimit("start")
def retry_missed(request, slug, attempt_id):
    """Deal a new attempt holding only the cards this attempt got wrong."""
    quiz = _quiz(request, slug)
    attempt = _own_attempt(request, quiz, attempt_id)
    if not attempt.is_finished:
        return _refuse(request, 409, "Finish this attempt before retrying its mistakes.")
    missed = list(attempt.answers.filter(is_correct=False).values_list("practice_id", flat=True))
    if not missed:
        return _refuse(request, 400, "There is nothing to retry: every answer was right.")
    grading.start_attempt(
        quiz=quiz, owner=grading.owner_fields(request), practice_ids=missed, retry_of=attempt
    )
    return redirect(quiz)


@require_http_methods(["GET", "POST"])
@ratelimit("dispute")
def dispute(request, slug, attempt_id):
    """Let a learner say they disagree with a card's bucket, once per answered card."""
    quiz = _quiz(request, slug)
    attempt = _own_attempt(request, quiz, attempt_id)
    practice_id = parse_id(
        (request.POST if request.method == "POST" else request.GET).get("practice")
    )
    answer = None
    if practice_id:
        answer = attempt.answers.select_related("practice").filter(practice_id=practice_id).first()
    if answer is None:
        return _refuse(request, 400, "You can question a card once you have answered it.")
    if Dispute.objects.filter(attempt=attempt, practice_id=answer.practice_id).exists():
        return _refuse(request, 409, "You have already sent a note about this card. Thank you.")

    form = DisputeForm(request.POST or None, initial={"practice": answer.practice_id})
    context = {"quiz": quiz, "attempt": attempt, "answer": answer, "form": form}
    template_name = "quizzes/dispute.html"
    if request.method == "GET" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(
            request, template_name + ("#form" if request.htmx else ""), context, status=status
        )

    since = timezone.now() - timedelta(days=1)
    recent = Dispute.objects.filter(
        attempt__in=Attempt.objects.owned_by(request), created_at__gte=since
    )
    if recent.count() >= DISPUTES_PER_DAY:
        return _refuse(request, 429, "That is a lot of notes for one day: please try tomorrow.")
    try:
        Dispute.objects.create(
            practice=answer.practice,
            attempt=attempt,
            chosen=answer.choice,
            reason=form.cleaned_data["reason"].strip(),
        )
    except IntegrityError:
        return _refuse(request, 409, "You have already sent a note about this card. Thank you.")
    context["sent"] = True
    return render(request, template_name + ("#form" if request.htmx else ""), context)
