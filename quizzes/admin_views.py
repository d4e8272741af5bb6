from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from comparisons.models import Practice

from . import stats
from .admin import percent
from .models import Answer, Attempt, Quiz

MIN_ANSWERS = 3


@staff_member_required
def statistics(request):
    """Show editors how each quiz goes and which practices learners miss most."""
    if not request.user.has_perm("quizzes.view_answer"):
        raise PermissionDenied
    quizzes = [
        (
            quiz,
            percent(stats.rate(quiz.finished_total, quiz.attempt_total)),
            percent(quiz.mean_score),
            percent(stats.rate(quiz.passed_total, quiz.finished_total)),
        )
        for quiz in stats.with_quiz_stats(Quiz.objects.all())
    ]
    practices = (
        stats.with_practice_stats(Practice.objects.all())
        .filter(answered__gte=MIN_ANSWERS)
        .order_by("facility", "-answered", "name")[:25]
    )
    missed = [
        (practice, percent(practice.facility), stats.most_common_wrong(practice) or "–")
        for practice in practices
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Statistics",
        "quizzes": quizzes,
        "missed": missed,
        "min_answers": MIN_ANSWERS,
        "answer_total": Answer.objects.count(),
        "attempt_total": Attempt.objects.count(),
    }
    return render(request, "admin/quizzes/statistics.html", context)
