"""Item statistics for editors, computed with aggregate queries (never one per row)."""

from django.db.models import Avg, Count, F, FloatField, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, NullIf
from django.db.models.lookups import GreaterThanOrEqual

from comparisons.models import Category

from .models import Answer


def with_practice_stats(practices):
    """Annotate practices with answered, correct, facility (% right) and wrong-bucket counts."""
    wrong = {
        f"wrong_{value}": Count(
            "answers", filter=Q(answers__is_correct=False, answers__choice=value)
        )
        for value in Category.values
    }
    return practices.annotate(
        answered=Count("answers"),
        correct=Count("answers", filter=Q(answers__is_correct=True)),
        **wrong,
    ).annotate(
        facility=Cast(F("correct"), FloatField()) * 100 / NullIf(F("answered"), 0),
    )


def most_common_wrong(practice):
    """Return the label of the wrong bucket chosen most often for an annotated practice."""
    counts = [(getattr(practice, f"wrong_{value}", 0), label) for value, label in Category.choices]
    count, label = max(counts)
    return label if count else None


def with_quiz_stats(quizzes):
    """Annotate quizzes with attempts, finished, mean score (%) and passed counts."""
    finished = Q(attempts__finished_at__isnull=False)
    passed = finished & Q(
        GreaterThanOrEqual(F("attempts__score") * 100, F("pass_mark") * F("attempts__total"))
    )
    return quizzes.annotate(
        attempt_total=Count("attempts"),
        finished_total=Count("attempts", filter=finished),
        passed_total=Count("attempts", filter=passed),
        mean_score=Avg(
            Cast(F("attempts__score"), FloatField()) * 100 / NullIf(F("attempts__total"), 0),
            filter=finished,
        ),
    )


def rate(part, whole):
    """Return part as a whole-number percentage of whole, or None when whole is 0."""
    return round(100 * part / whole) if whole else None


def matrix_for(practice):
    """Return {right bucket: {chosen bucket: count}} for one practice, in one query."""
    matrix = {e: dict.fromkeys(Category.values, 0) for e in Category.values}
    rows = (
        Answer.objects.filter(practice=practice)
        .values("expected", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        matrix[row["expected"]][row["choice"]] = row["n"]
    return matrix


def count_per_row(queryset, field):
    """Return a subquery counting queryset's rows whose `field` is the outer row.

    Use it instead of Count() beside another reverse join, whose rows it would multiply.
    """
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
