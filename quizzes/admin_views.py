from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from comparisons.models import Practice

from . import stats
from .admin import percent
from .models import Answer, Attempt, Quiz

MIN_ANSWERS = 3
MOST_MISSED = 25


@staff_member_required
def statistics(request):
    """Show editors how each quiz goes and how each card does, split at its revisions."""
    if not request.user.has_perm("quizzes.view_answer"):
        raise PermissionDenied
    quizzes = list(stats.with_quiz_stats(Quiz.objects.all()))
    quiz_rows = [
        (
            quiz,
            percent(stats.rate(quiz.finished_total, quiz.attempt_total)),
            percent(quiz.mean_score),
            percent(stats.rate(quiz.passed_total, quiz.finished_total)),
        )
        for quiz in quizzes
    ]
    quiz_items = stats.items()
    names = dict(
        Practice.objects.filter(pk__in={i.practice_id for i in quiz_items}).values_list(
            "pk", "name"
        )
    )
    titles = {quiz.pk: quiz.title for quiz in quizzes}
    for item in quiz_items:
        item.name = names.get(item.practice_id, "?")
    missed = [i for i in stats.across_quizzes(quiz_items) if i.answered >= MIN_ANSWERS]
    for item in missed:
        item.name = names.get(item.practice_id, "?")
    missed = sorted(missed, key=lambda i: (i.facility, -i.answered, i.name))[:MOST_MISSED]
    by_quiz = []
    for quiz in quizzes:
        rows = sorted(
            (i for i in quiz_items if i.quiz_id == quiz.pk),
            key=lambda i: (i.name, i.revision is not None, i.revision or 0),
        )
        if rows:
            by_quiz.append((quiz, rows))
    context = {
        **admin.site.each_context(request),
        "title": "Statistics",
        "quizzes": quiz_rows,
        "missed": missed,
        "by_quiz": by_quiz,
        "titles": titles,
        "min_answers": MIN_ANSWERS,
        "min_attempts": stats.MIN_DISCRIMINATION_ATTEMPTS,
        "answer_total": Answer.objects.count(),
        "attempt_total": Attempt.objects.count(),
    }
    return render(request, "admin/quizzes/statistics.html", context)
