"""What taking practices out of play does to the published quizzes that deal them.

A quiz deals only quizzable practices (published, in a published dimension,
not "it depends"). Unpublishing a practice or its dimension silently shrinks
every published quiz that holds it; these checks name those quizzes, refuse a
change that would leave one below its minimum, and run the content lint on
what would remain.
"""

from dataclasses import dataclass

from comparisons.models import Practice
from quizzes.models import Quiz

from . import lint


@dataclass(frozen=True)
class Shrink:
    quiz: Quiz
    before: int
    after: int

    def __str__(self):
        return f"“{self.quiz.title}” ({self.before} → {self.after} cards)"


def shrinking_quizzes(leaving_ids):
    """Return a Shrink for each published quiz that would lose cards if `leaving_ids` left play."""
    quizzable = set(Practice.objects.quizzable().values_list("pk", flat=True))
    leaving = set(leaving_ids) & quizzable
    if not leaving:
        return []
    quizzes = (
        Quiz.objects.published()
        .filter(items__practice__in=leaving)
        .distinct()
        .prefetch_related("items")
        .order_by("order", "title")
    )
    found = []
    for quiz in quizzes:
        dealt = {item.practice_id for item in quiz.items.all()} & quizzable
        found.append(Shrink(quiz, len(dealt), len(dealt - leaving)))
    return found


def check_leaving(leaving_ids, what="it"):
    """Return (refusals, warnings) for taking the practices `leaving_ids` out of play."""
    refusals, warnings = [], []
    shrinks = shrinking_quizzes(leaving_ids)
    for shrink in shrinks:
        if shrink.after < Quiz.MIN_ITEMS:
            refusals.append(
                f"Unpublishing {what} would leave the published quiz “{shrink.quiz.title}” "
                f"with {shrink.after} cards, below its minimum of {Quiz.MIN_ITEMS}. Add "
                "other practices to the quiz, or unpublish the quiz, first."
            )
    if shrinks and not refusals:
        warnings.append(
            f"These published quizzes no longer deal {what}: "
            + ", ".join(str(shrink) for shrink in shrinks)
            + "."
        )
        leaving = set(leaving_ids)
        for shrink in shrinks:
            remaining = list(
                shrink.quiz.practices.quizzable().exclude(pk__in=leaving).order_by("name")
            )
            warnings += [str(problem) for problem in lint.quiz_problems(shrink.quiz, remaining)]
    return refusals, warnings


def still_quizzable(practice):
    """Return True if the (unsaved) practice would be dealt in quizzes."""
    return (
        practice.is_published
        and not practice.is_contested
        and practice.dimension_id is not None
        and practice.dimension.is_published
    )
