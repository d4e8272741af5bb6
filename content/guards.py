"""What taking practices out of play does to the published quizzes that deal them.

A quiz deals only quizzable practices (published, in a published dimension,
not "it depends"). Unpublishing a practice or its dimension silently shrinks
every published quiz that holds it; these checks name those quizzes, refuse a
change that would leave one below its minimum, and run the content lint on
what would remain.
"""

from dataclasses import dataclass

from comparisons.models import Dimension, Practice
from quizzes.models import Quiz

from . import lint, shipped


@dataclass(frozen=True)
class Shrink:
    quiz: Quiz
    before: int
    after: int

    def __str__(self):
        return f"“{self.quiz.title}” ({self.before} → {self.after} cards)"


def in_play():
    """Return the ids of the practices quizzes deal now."""
    return set(Practice.objects.quizzable().values_list("pk", flat=True))


def shrinking_quizzes(leaving_ids, quizzable=None):
    """Return a Shrink for each published quiz that would lose cards if `leaving_ids` left play.

    `quizzable` is the set of practices in play before they leave; by default,
    as the database has it now.
    """
    quizzable = in_play() if quizzable is None else quizzable
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


def check_leaving(leaving_ids, what="it", quizzable=None):
    """Return (refusals, warnings) for taking the practices `leaving_ids` out of play."""
    refusals, warnings = [], []
    shrinks = shrinking_quizzes(leaving_ids, quizzable)
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


def taken_out_by(update, row):
    """Return the practices that taking the shipped `update` over for `row` takes out of play."""
    if row is None:
        return []
    values = {**shipped.DEFAULTS, **update.values}
    if update.kind == "dimension" and row.is_published and not values["is_published"]:
        return list(row.practices.values_list("pk", flat=True))
    if update.kind == "practice" and still_quizzable(row):
        after = Practice(
            is_published=values["is_published"],
            is_contested=values["is_contested"],
            dimension=Dimension.objects.filter(slug=values.get("dimension")).first(),
        )
        if not still_quizzable(after):
            return [row.pk]
    return []
