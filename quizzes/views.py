from collections import Counter
from datetime import timedelta

from django.core.cache import cache, caches
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from comparisons.models import BUCKETS, Practice, content_version
from opsguide.ids import parse_id
from opsguide.ratelimit import client_ip, ratelimit
from opsguide.responses import refusal
from opsguide.versions import templates_version

from . import grading
from .forms import AnswerForm, DisputeForm
from .models import Attempt, Dispute, Quiz

DISPUTES_PER_DAY = 20
# Open notes about one card from one address: enough for a team, not a flood.
OPEN_DISPUTES_PER_ADDRESS = 3
REPORT_TIMEOUT = 60 * 60 * 24 * 7


# Quizzes and cards change only when an editor saves, which moves the content
# version: learner requests read them from Django's cache, keyed by it. A key
# never changes meaning, so each process keeps its own copies ("local" cache)
# rather than fetching them from Redis on every request.
CONTENT_TIMEOUT = 60 * 60


def _quiz(request, slug):
    """Return the quiz the request may see (staff see drafts), or 404."""
    staff = request.user.is_authenticated and request.user.is_staff
    key = f"quiz:{content_version()}:{int(staff)}:{slug}"
    quiz = caches["local"].get(key)
    if quiz is None:
        quiz = get_object_or_404(Quiz.objects.visible_to(request.user), slug=slug)
        # Its pages' addresses travel with the cached copy: reversing them on
        # every request would cost more than the copy does.
        quiz.urls = {
            name: reverse(f"quizzes:{name}", args=[slug]) for name in ("play", "board", "start")
        }
        caches["local"].set(key, quiz, CONTENT_TIMEOUT)
    return quiz


def _card(practice_id):
    """Return a practice with its dimension, as the current content version has it, or None."""
    key = f"card:{content_version()}:{practice_id}"
    practice = caches["local"].get(key)
    if practice is None:
        practice = Practice.objects.select_related("dimension").filter(pk=practice_id).first()
        if practice is not None:
            caches["local"].set(key, practice, CONTENT_TIMEOUT)
    return practice


def _own_attempt(request, quiz, attempt_id):
    """Return the request's own attempt, or 404: other people's attempts are not revealed."""
    attempt = get_object_or_404(Attempt.objects.owned_by(request), quiz=quiz, public_id=attempt_id)
    attempt.quiz = quiz
    return attempt


def _current_attempt(request, quiz):
    """Return the request's newest attempt at this quiz if it is unfinished, or None.

    Only the newest counts: an attempt left behind by "Start over" stays in the
    learner's history, but is not resumed once a newer one is finished.
    """
    attempt = Attempt.objects.owned_by(request).filter(quiz=quiz).first()
    if attempt is None or attempt.is_finished:
        return None
    attempt.quiz = quiz
    return attempt


def _answers(attempt):
    """Return the attempt's answers by practice id, each with its practice and dimension."""
    answers = attempt.answers.select_related("practice__dimension")
    return {answer.practice_id: answer for answer in answers}


def _refuse(request, status, message):
    return refusal(request, status, message, "quizzes/refused.html")


def _play_context(attempt, answered, practice, answer):
    quiz, attempt_args = attempt.quiz, [attempt.quiz.slug, attempt.public_id]
    return {
        "quiz": quiz,
        "attempt": attempt,
        "practice": practice,
        "answer": answer,
        "answered": answered,
        "answer_url": reverse("quizzes:answer", args=attempt_args),
        "play_url": quiz.urls["play"],
        "board_url": quiz.urls["board"],
        "start_url": quiz.urls["start"],
        # Shown only after an answer or at the end: reversed only if rendered.
        "results_url": reverse_lazy("quizzes:results", args=attempt_args),
        "dispute_url": reverse_lazy("quizzes:dispute", args=attempt_args),
        "categories": BUCKETS,
        "can_dispute": True,
    }


def _next_unsorted(attempt, after_id):
    """Return the first unanswered card dealt after `after_id` (wrapping round), or None."""
    ids = attempt.practice_ids
    start = ids.index(after_id) + 1 if after_id in ids else 0
    answered = set(attempt.answered_ids)
    for practice_id in ids[start:] + ids[:start]:
        if practice_id not in answered:
            return practice_id
    return None


def _tally(choices):
    """Return (value, label, count) for each bucket, counting the cards placed in it."""
    counts = Counter(choices)
    return [(value, label, counts[value]) for value, label in BUCKETS]


# The quiz list's time estimate: reading a card, choosing and reading the reason.
SECONDS_PER_CARD = 20


@require_safe
def quiz_list(request):
    """List the quizzes, the first as "Start here", each with its size, time and my scores."""
    dealable = Q(items__practice__in=Practice.objects.quizzable())
    # Explicit order: Django leaves Meta.ordering out of aggregate (GROUP BY) queries,
    # and PostgreSQL then returns the quizzes in any order.
    quizzes = (
        Quiz.objects.visible_to(request.user)
        .annotate(size=Count("items", filter=dealable))
        .order_by("order", "title")
    )
    mine = {}
    for attempt in Attempt.objects.owned_by(request).only(
        "quiz_id", "public_id", "score", "total", "finished_at", "retry_of_id"
    ):
        entry = mine.setdefault(
            attempt.quiz_id, {"best": None, "last": None, "last_at": None, "unfinished": None}
        )
        if attempt.is_finished:
            # A retry of the missed cards is practice, not a score for the quiz.
            if attempt.retry_of_id is not None:
                continue
            if entry["best"] is None or attempt.percent > entry["best"]:
                entry["best"] = attempt.percent
            if entry["last_at"] is None or attempt.finished_at > entry["last_at"]:
                entry["last"], entry["last_at"] = attempt.percent, attempt.finished_at
        elif entry["unfinished"] is None:
            entry["unfinished"] = attempt
    nothing = {"best": None, "last": None, "unfinished": None}
    rows = [
        (quiz, mine.get(quiz.pk, nothing), max(1, round(quiz.size * SECONDS_PER_CARD / 60)))
        for quiz in quizzes
    ]
    return render(request, "quizzes/list.html", {"rows": rows})


@require_safe
@vary_on_headers("HX-Request")
def play(request, slug):
    """Show the quiz: its introduction, or the learner's current card (a GET never writes)."""
    quiz = _quiz(request, slug)
    attempt = _current_attempt(request, quiz)
    feedback_for = parse_id(request.GET.get("feedback"))
    if attempt is None and feedback_for:
        # The last answer finished the attempt: show its feedback before the results.
        attempt = (
            Attempt.objects.owned_by(request)
            .filter(quiz=quiz, answers__practice_id=feedback_for)
            .first()
        )
        if attempt is not None:
            attempt.quiz = quiz
    if attempt is None:
        size = quiz.items.filter(practice__in=Practice.objects.quizzable()).count()
        return render(request, "quizzes/play.html", {"quiz": quiz, "size": size})

    shown_id = feedback_for if feedback_for in attempt.answered_ids else None
    answer = None
    if shown_id is None:
        shown_id = grading.next_practice_id(attempt)
        if shown_id is None:
            return redirect(attempt)
        practice = _card(shown_id)
        if practice is None:
            raise Http404("This card has been deleted.")
    else:
        answer = attempt.answers.select_related("practice__dimension").get(practice_id=shown_id)
        practice = answer.practice
    context = _play_context(attempt, attempt.answered, practice, answer)
    template_name = "quizzes/play.html"
    if request.htmx:
        template_name += "#play"
    return render(request, template_name, context)


@require_safe
def board(request, slug):
    """Show every card of the learner's current attempt at once, with three columns."""
    quiz = _quiz(request, slug)
    attempt = _current_attempt(request, quiz)
    placed_id = parse_id(request.GET.get("placed"))
    if attempt is None and placed_id:
        # Without JavaScript the last placement finished the attempt: show the
        # finished board with its verdict and the way on to the results.
        attempt = (
            Attempt.objects.owned_by(request)
            .filter(quiz=quiz, answers__practice_id=placed_id)
            .first()
        )
        if attempt is not None:
            attempt.quiz = quiz
    if attempt is None:
        return redirect(quiz)
    answers = _answers(attempt)
    practices = Practice.objects.select_related("dimension").in_bulk(attempt.practice_ids)
    cards = [(practices[pk], answers.get(pk)) for pk in attempt.practice_ids if pk in practices]
    columns = [
        (value, label, [card for card in cards if card[1] and card[1].choice == value])
        for value, label in BUCKETS
    ]
    pile = [card for card in cards if card[1] is None]
    placed = answers.get(placed_id)
    context = _play_context(attempt, len(answers), placed and placed.practice, placed)
    context.update(
        pile=pile,
        to_sort=len(pile),
        columns=columns,
        tally=_tally(answer.choice for answer in answers.values()),
        mode="board",
    )
    return render(request, "quizzes/board.html", context)


@require_POST
@ratelimit("start_ip", key=client_ip)
@ratelimit("start")
def start(request, slug):
    """Resume the learner's unfinished attempt, or deal a new one."""
    quiz = _quiz(request, slug)
    attempt = _current_attempt(request, quiz)
    if attempt is None or request.POST.get("fresh"):
        # "Take it again" deals a new attempt even when an older one was left unfinished.
        attempt = grading.start_attempt(quiz=quiz, owner=grading.owner_fields(request))
    if request.POST.get("mode") == "board":
        return redirect("quizzes:board", slug=quiz.slug)
    return redirect(quiz)


@require_POST
@ratelimit("answer_ip", key=client_ip)
@ratelimit("answer")
def answer(request, slug, attempt_id):
    """Record one answer and return its feedback (fragments for htmx, else a redirect)."""
    quiz = _quiz(request, slug)
    attempt = _own_attempt(request, quiz, attempt_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _refuse(request, 400, "Choose DevOps, MLOps or Both for a card of this quiz.")
    posted = form.cleaned_data
    if posted["practice"] not in attempt.practice_ids:
        return _refuse(request, 400, "That card is not part of this attempt.")
    practice = _card(posted["practice"])
    if practice is None:
        return _refuse(request, 400, "That card is not part of this attempt.")
    try:
        recorded = grading.record_answer(
            attempt=attempt, practice=practice, choice=posted["choice"], guessed=posted["guessed"]
        )
    except grading.AttemptFinished:
        return _refuse(request, 409, "This attempt is finished. Start the quiz again to retry.")

    board_mode = posted["mode"] == "board"
    if not request.htmx:
        if board_mode:
            # Back to the board at the next card to sort, not at the column the
            # card went to (on a phone that is thousands of pixels away); the
            # board shows the verdict of the card just placed.
            next_id = _next_unsorted(attempt, practice.pk)
            anchor = f"card-{next_id}" if next_id else "board-results"
            return redirect(f"{quiz.urls['board']}?placed={practice.pk}#{anchor}")
        return redirect(f"{quiz.urls['play']}?feedback={practice.pk}")

    context = _play_context(attempt, attempt.answered, practice, recorded.answer)
    if board_mode:
        # The columns' tallies: one query for the attempt's choices, whatever its length.
        context["tally"] = _tally(attempt.answers.order_by().values_list("choice", flat=True))
        context["to_sort"] = attempt.total - attempt.answered
        return render(request, "quizzes/answered.html#board", context)
    return render(request, "quizzes/answered.html#card", context)


@require_safe
def results(request, slug, attempt_id):
    quiz = _quiz(request, slug)
    attempt = get_object_or_404(
        Attempt.objects.visible_to(request).select_related("retry_of"),
        quiz=quiz,
        public_id=attempt_id,
    )
    attempt.quiz = quiz
    is_owner = not request.user.is_staff or (
        Attempt.objects.owned_by(request).filter(pk=attempt.pk).exists()
    )
    context = {
        "quiz": quiz,
        "attempt": attempt,
        "retry": _retry_picture(attempt),
        "left_behind": _left_behind(attempt),
        "mistake_count": attempt.answered - attempt.score,
        "is_owner": is_owner,
        "can_dispute": is_owner,
        "dispute_url": reverse("quizzes:dispute", args=[quiz.slug, attempt.public_id]),
        "retry_url": reverse("quizzes:retry", args=[quiz.slug, attempt.public_id]),
        "start_url": quiz.urls["start"],
        "play_url": quiz.urls["play"],
        "show_explanation": True,
        "categories": BUCKETS,
    }
    context["report"] = _report(attempt, context)
    return render(request, "quizzes/results.html", context)


def _left_behind(attempt):
    """Return True if an unfinished attempt is no longer its owner's newest ("Start over")."""
    if attempt.is_finished:
        return False
    newest = (
        Attempt.objects.filter(
            quiz_id=attempt.quiz_id, user_id=attempt.user_id, session_key=attempt.session_key
        )
        .values_list("pk", flat=True)
        .first()
    )
    return newest != attempt.pk


def _retry_picture(attempt):
    """Return how a retry of missed cards adds to the attempt it retries, or None.

    A retry deals exactly the cards its original got wrong, so after it the
    cards still wrong are the retry's own misses; the combined picture is
    counted against the first, whole attempt at the head of the chain.
    """
    original = attempt.retry_of
    if original is None:
        return None
    original.quiz = attempt.quiz
    first = original
    # A retry of a retry: one query per level, only on such pages, and a
    # chain is never longer than the quiz has cards.
    while first.retry_of_id is not None:
        earlier = Attempt.objects.filter(pk=first.retry_of_id).first()
        if earlier is None:
            break
        first = earlier
        first.quiz = attempt.quiz
    still_wrong = attempt.total - attempt.score
    return {
        "original": original,
        "first": first,
        "right": max(first.total - still_wrong, 0),
        "total": first.total,
    }


def _report(attempt, context):
    """Render the attempt's breakdown and mistakes; a finished attempt's are cached.

    A finished attempt never changes, so its report goes stale only when an
    editor changes content (a new content version) or a deploy changes the
    templates; both are in the key. It is rendered without the request, so it
    carries no CSRF token and nothing about the viewer but `can_dispute`.
    """
    key = None
    if attempt.is_finished:
        key = (
            f"report:{templates_version()}:{content_version()}:{attempt.public_id}"
            f":{int(context['can_dispute'])}"
        )
        if (html := cache.get(key)) is not None:
            return mark_safe(html)
    answers = list(attempt.answers.select_related("practice__dimension"))
    html = render_to_string(
        "quizzes/results.html#report", {**context, "summary": grading.breakdown(answers)}
    )
    if key:
        cache.set(key, html, REPORT_TIMEOUT)
    return mark_safe(html)


@require_POST
@ratelimit("start_ip", key=client_ip)
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
@ratelimit("dispute_ip", key=client_ip)
@ratelimit("dispute")
@vary_on_headers("HX-Request")
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
        if request.method == "GET":  # the note's page: its status and the editors' reply
            context = {"quiz": quiz, "attempt": attempt, "answer": answer, "sent": True}
            template_name = "quizzes/dispute.html" + ("#form" if request.htmx else "")
            return render(request, template_name, context)
        return _refuse(request, 409, "You have already sent a note about this card. Thank you.")

    form = DisputeForm(request.POST or None, initial={"practice": answer.practice_id})
    context = {"quiz": quiz, "attempt": attempt, "answer": answer, "form": form}
    template_name = "quizzes/dispute.html" + ("#form" if request.htmx else "")
    if request.method == "GET" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, template_name, context, status=status)

    since = timezone.now() - timedelta(days=1)
    recent = Dispute.objects.filter(
        attempt__in=Attempt.objects.owned_by(request), created_at__gte=since
    )
    if recent.count() >= DISPUTES_PER_DAY:
        return _refuse(request, 429, "That is a lot of notes for one day: please try tomorrow.")
    address = Dispute.address_key(client_ip(request))
    open_here = Dispute.objects.filter(
        practice=answer.practice, address=address, status=Dispute.Status.OPEN
    )
    if open_here.count() >= OPEN_DISPUTES_PER_ADDRESS:
        return _refuse(
            request, 429, "This card already has open notes from your network: thank you."
        )
    try:
        Dispute.objects.create(
            practice=answer.practice,
            attempt=attempt,
            chosen=answer.choice,
            reason=form.cleaned_data["reason"].strip(),
            proposed=form.cleaned_data["proposed"],
            address=address,
        )
    except IntegrityError:
        return _refuse(request, 409, "You have already sent a note about this card. Thank you.")
    context["sent"] = True
    return render(request, template_name, context)
