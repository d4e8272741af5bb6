"""Start attempts, record answers and keep scores: the one place that grades.

Every path (htmx, plain form, sort board) goes through `record_answer`, which
relies on the database's unique (attempt, practice) constraint, so a repeated
or racing submit is stored once and counted once.
"""

import random
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from comparisons.models import BUCKET_VALUES, BUCKETS, Practice

from .models import Answer, Attempt

ANONYMOUS_KEY = "quizzes_anonymous_key"


class GradingError(Exception):
    """A request that must be refused: nothing was written."""


class AttemptFinished(GradingError):
    pass


class NotInAttempt(GradingError):
    pass


class InvalidChoice(GradingError):
    pass


def owner_fields(request):
    """Return the fields that tie a new attempt to the request's user or session."""
    if request.user.is_authenticated:
        return {"user": request.user, "session_key": ""}
    if not request.session.session_key:
        request.session.save()
    # Logging in gives the session a new key; remembering this one lets the
    # attempts follow the learner to their account (see quizzes.signals).
    request.session[ANONYMOUS_KEY] = request.session.session_key
    return {"user": None, "session_key": request.session.session_key}


def start_attempt(*, quiz, owner, practice_ids=None, retry_of=None, rng=random):
    """Create an attempt with its cards dealt; the quiz's own order unless it shuffles."""
    if practice_ids is None:
        practice_ids = list(
            quiz.items.filter(practice__in=Practice.objects.quizzable()).values_list(
                "practice_id", flat=True
            )
        )
    practice_ids = list(practice_ids)
    if quiz.shuffle:
        rng.shuffle(practice_ids)
    attempt = Attempt(
        quiz=quiz,
        practice_ids=practice_ids,
        total=len(practice_ids),
        retry_of=retry_of,
        **owner,
    )
    attempt.full_clean()
    attempt.save()
    return attempt


@dataclass(frozen=True)
class Recorded:
    answer: Answer
    created: bool


def _stored(attempt, practice, choice):
    """Return the answer already stored for this card, or None.

    A repeat (double click, retry after a timeout, a second tab) gets the same
    feedback again; a different choice once the attempt is over is refused.
    """
    existing = attempt.answers.filter(practice=practice).first()
    if existing is None:
        return None
    if attempt.is_finished and existing.choice != choice:
        raise AttemptFinished(attempt.public_id)
    existing.practice = practice
    return Recorded(existing, created=False)


# Sent once per new answer, after it is stored: `answer`, and `guessed` (the
# learner's "I guessed" toggle). Spaced review seeds its cards from it.
answer_recorded = Signal()


def record_answer(*, attempt, practice, choice, guessed=False):
    """Store one answer and update the score; a repeat returns the stored answer.

    Raises a GradingError, writing nothing, for a choice outside the buckets, a
    practice not dealt in this attempt, or a new choice in a finished attempt.
    """
    if choice not in BUCKET_VALUES:
        raise InvalidChoice(choice)
    if practice.pk not in attempt.practice_ids:
        raise NotInAttempt(practice.pk)
    # The attempt lists the cards it has answered, so only a repeat reads its answer.
    if practice.pk in attempt.answered_ids and (stored := _stored(attempt, practice, choice)):
        return stored
    if attempt.is_finished:
        raise AttemptFinished(attempt.public_id)
    is_correct = practice.is_correct(choice)
    try:
        with transaction.atomic():
            # Re-read the attempt under the write lock: a request that stored
            # this card, or finished the attempt, may have committed since the
            # checks above. The unique (attempt, practice) constraint is the
            # last guard: a second insert of the same card fails.
            locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if practice.pk in locked.answered_ids and (stored := _stored(locked, practice, choice)):
                return stored
            if locked.is_finished:
                raise AttemptFinished(attempt.public_id)
            # Under the lock no other answer to this attempt is being stored,
            # so the counters just read are exact.
            now = timezone.now()
            answer = Answer.objects.create(
                attempt=locked,
                practice=practice,
                choice=choice,
                expected=practice.category,
                is_correct=is_correct,
            )
            finished_at = now if locked.answered + 1 >= locked.total else locked.finished_at
            answered_ids = [*locked.answered_ids, practice.pk]
            Attempt.objects.filter(pk=attempt.pk).update(
                answered=F("answered") + 1,
                answered_ids=answered_ids,
                score=F("score") + int(is_correct),
                finished_at=finished_at,
            )
    except IntegrityError:
        # Another request stored this answer between our check and our insert.
        return _stored(attempt, practice, choice)
    # What the update wrote, known without reading it back: the lock held the row.
    attempt.answered = locked.answered + 1
    attempt.answered_ids = answered_ids
    attempt.score = locked.score + is_correct
    attempt.finished_at = finished_at
    answer_recorded.send(sender=Answer, answer=answer, guessed=guessed)
    return Recorded(answer, created=True)


def next_practice_id(attempt):
    """Return the first dealt practice not answered yet, or None."""
    answered = set(attempt.answered_ids)
    for practice_id in attempt.practice_ids:
        if practice_id not in answered:
            return practice_id
    return None


@dataclass(frozen=True)
class Breakdown:
    """What was chosen against what was right, for one attempt."""

    matrix: dict  # expected -> chosen -> count
    per_category: list  # (value, label, right, total, percent right)
    table: list  # the matrix as rows: (label, [(count, "diagonal" | "off" | "")])
    mistakes: list  # answers chosen wrongly


def breakdown(answers):
    """Return the 3×3 chosen-vs-right table and the mistakes of an attempt's answers."""
    counts = Counter((answer.expected, answer.choice) for answer in answers)
    matrix = {
        expected: {chosen: counts[(expected, chosen)] for chosen in BUCKET_VALUES}
        for expected in BUCKET_VALUES
    }
    per_category = []
    table = []
    for value, label in BUCKETS:
        row = matrix[value]
        right, total = row[value], sum(row.values())
        per_category.append(
            (value, label, right, total, round(100 * right / total) if total else 0)
        )
        # The diagonal is what was sorted right; counts off it are mistakes.
        cells = [
            (count, "diagonal" if chosen == value else "off" if count else "")
            for chosen, count in row.items()
        ]
        table.append((label, cells))
    mistakes = [answer for answer in answers if not answer.is_correct]
    return Breakdown(matrix=matrix, per_category=per_category, table=table, mistakes=mistakes)
