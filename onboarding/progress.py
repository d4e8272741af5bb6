"""Who has done which step: computed for many learners at once, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, FloatField, IntegerField, Max, Min, Q, Sum
from django.db.models.functions import Cast, NullIf

from comparisons.models import Practice
from quizzes.models import Answer, Attempt

from .models import FormerAnswers, ReadMark


@dataclass(frozen=True)
class Cell:
    done: bool
    best: int | None = None  # best score in percent, for quiz steps
    done_at: datetime | None = None  # when the step was first done
    overdue: bool = False


def progress(user_ids, steps, today=None):
    """Return {(user_id, step_id): Cell} for every learner and step.

    A reading step is done when marked read; a quiz step when a full attempt
    (not a retry of missed cards) reached the quiz's pass mark. The date is
    that of the mark, or of the first full attempt that passed.
    """
    user_ids = list(user_ids)
    dimension_ids = {s.dimension_id for s in steps if s.dimension_id}
    quiz_ids = {s.quiz_id for s in steps if s.quiz_id}
    reads = {}
    if dimension_ids and user_ids:
        reads = {
            (user_id, dimension_id): marked_at
            for user_id, dimension_id, marked_at in ReadMark.objects.filter(
                user_id__in=user_ids, dimension_id__in=dimension_ids
            ).values_list("user_id", "dimension_id", "marked_at")
        }
    bests = {}
    if quiz_ids and user_ids:
        # The same exact rule as Attempt.passed: 100 × score ≥ pass mark × total.
        # In integers: on PostgreSQL two small integers multiply into one that may overflow.
        needed = Cast(F("quiz__pass_mark"), IntegerField()) * F("total")
        passing = Q(total__gt=0, hundred_score__gte=needed)
        rows = (
            Attempt.objects.filter(
                user_id__in=user_ids,
                quiz_id__in=quiz_ids,
                finished_at__isnull=False,
                retry_of__isnull=True,
            )
            .alias(hundred_score=Cast(F("score"), IntegerField()) * 100)
            .values("user_id", "quiz_id")
            .annotate(
                best=Max(Cast(F("score"), FloatField()) * 100 / NullIf(F("total"), 0)),
                passed_at=Min("finished_at", filter=passing),
            )
            .order_by()
        )
        bests = {(r["user_id"], r["quiz_id"]): (r["best"], r["passed_at"]) for r in rows}
    cells = {}
    for user_id in user_ids:
        for step in steps:
            if step.dimension_id:
                done_at = reads.get((user_id, step.dimension_id))
                cell = Cell(done=done_at is not None, done_at=done_at)
            else:
                best, passed_at = bests.get((user_id, step.quiz_id), (None, None))
                cell = Cell(
                    done=passed_at is not None,
                    best=None if best is None else round(best),
                    done_at=passed_at,
                )
            if step.is_overdue(cell.done, today):
                cell = Cell(cell.done, cell.best, cell.done_at, overdue=True)
            cells[(user_id, step.pk)] = cell
    return cells


def last_active(users):
    """Return {user_id: when each learner last did something}: an answer, a read mark, a login."""
    users = list(users)
    user_ids = [u.pk for u in users]
    latest = {u.pk: u.last_login for u in users}
    answered = (
        Answer.objects.filter(attempt__user_id__in=user_ids)
        .values_list("attempt__user_id")
        .annotate(latest=Max("answered_at"))
        .order_by()
    )
    read = (
        ReadMark.objects.filter(user_id__in=user_ids)
        .values_list("user_id")
        .annotate(latest=Max("marked_at"))
        .order_by()
    )
    for user_id, when in [*answered, *read]:
        if latest[user_id] is None or when > latest[user_id]:
            latest[user_id] = when
    return latest


def weak_spots(team, user_ids, limit=5):
    """Return the practices these learners (and former ones) got wrong most often.

    Each spot says how many answers missed it out of how many were given, and
    which dimension explains it. Former learners count through anonymous totals.
    """
    spots = {}
    rows = (
        Answer.objects.filter(attempt__user_id__in=list(user_ids))
        .values("practice_id")
        .annotate(answers=Count("pk"), misses=Count("pk", filter=Q(is_correct=False)))
        .order_by()
    )
    for row in rows:
        spots[row["practice_id"]] = [row["answers"], row["misses"]]
    former = (
        FormerAnswers.objects.filter(team=team)
        .values("practice_id")
        .annotate(answers=Sum("answers"), misses=Sum("misses"))
        .order_by()
    )
    for row in former:
        counts = spots.setdefault(row["practice_id"], [0, 0])
        counts[0] += row["answers"]
        counts[1] += row["misses"]
    missed = {pk: counts for pk, counts in spots.items() if counts[1]}
    if not missed:
        return []
    practices = Practice.objects.filter(pk__in=missed).select_related("dimension")
    result = [
        {"practice": p, "answers": missed[p.pk][0], "misses": missed[p.pk][1]} for p in practices
    ]
    result.sort(key=lambda s: (-s["misses"], -s["misses"] / s["answers"], s["practice"].name))
    return result[:limit]
