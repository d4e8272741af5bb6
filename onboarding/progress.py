"""Who has done which step: computed for many learners at once, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Max
from django.db.models.functions import Cast, NullIf

from quizzes.models import Answer, Attempt

from .models import ReadMark


@dataclass(frozen=True)
class Cell:
    done: bool
    best: int | None = None  # best score in percent, for quiz steps


def progress(user_ids, steps):
    """Return {(user_id, step_id): Cell} for every learner and step.

    A reading step is done when marked read; a quiz step when a full attempt
    (not a retry of missed cards) reached the quiz's pass mark.
    """
    user_ids = list(user_ids)
    dimension_ids = {s.dimension_id for s in steps if s.dimension_id}
    quiz_ids = {s.quiz_id for s in steps if s.quiz_id}
    reads = set()
    if dimension_ids:
        reads = set(
            ReadMark.objects.filter(
                user_id__in=user_ids, dimension_id__in=dimension_ids
            ).values_list("user_id", "dimension_id")
        )
    bests = {}
    if quiz_ids:
        rows = (
            Attempt.objects.filter(
                user_id__in=user_ids,
                quiz_id__in=quiz_ids,
                finished_at__isnull=False,
                retry_of__isnull=True,
            )
            .values("user_id", "quiz_id")
            .annotate(best=Max(Cast(F("score"), FloatField()) * 100 / NullIf(F("total"), 0)))
            .order_by()
        )
        bests = {(r["user_id"], r["quiz_id"]): r["best"] for r in rows}
    cells = {}
    for user_id in user_ids:
        for step in steps:
            if step.dimension_id:
                cell = Cell(done=(user_id, step.dimension_id) in reads)
            else:
                best = bests.get((user_id, step.quiz_id))
                passed = best is not None and best >= step.quiz.pass_mark
                cell = Cell(done=passed, best=None if best is None else round(best))
            cells[(user_id, step.pk)] = cell
    return cells


def weak_spots(user_ids, limit=5):
    """Return the practices these learners got wrong most often, with their dimensions."""
    return list(
        Answer.objects.filter(attempt__user_id__in=list(user_ids), is_correct=False)
        .values(
            "practice_id",
            "practice__name",
            "practice__dimension__slug",
            "practice__dimension__title",
        )
        .annotate(misses=Count("pk"))
        .order_by("-misses", "practice__name")[:limit]
    )
