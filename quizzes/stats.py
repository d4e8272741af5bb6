"""Item statistics for editors, computed with aggregate queries (never one per row).

Every figure is split at the practice's revision: an answer counts for the card
as it was when answered (`Answer.revision`, and `Answer.expected` for its
bucket then), so an editor sees whether a fix helped and a moved card's old
answers never read as "bucket Both, most common wrong bucket Both". Answers
given before revisions were recorded have no revision; they form their own
group per bucket they were given for.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, F, FloatField, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, NullIf
from django.db.models.lookups import GreaterThanOrEqual

from comparisons.models import BUCKET_LABELS, Category

from .models import Answer, Attempt, Quiz

# Below this many complete first attempts a discrimination index is noise at team sizes.
MIN_DISCRIMINATION_ATTEMPTS = 30


def with_practice_stats(practices):
    """Annotate practices with answered, correct, facility (% right) and wrong-bucket counts.

    Only answers to the practice's current revision count.
    """
    current = Q(answers__revision=F("revision"))
    wrong = {
        f"wrong_{value}": Count(
            "answers", filter=current & Q(answers__is_correct=False, answers__choice=value)
        )
        for value in Category.values
    }
    return practices.annotate(
        answered=Count("answers", filter=current),
        correct=Count("answers", filter=current & Q(answers__is_correct=True)),
        **wrong,
    ).annotate(
        facility=Cast(F("correct"), FloatField()) * 100 / NullIf(F("answered"), 0),
    )


@dataclass
class Item:
    """One card at one revision (in one quiz, or across quizzes): how learners answered it."""

    practice_id: int
    revision: int | None
    bucket: str  # the right bucket at that revision
    choices: Counter  # chosen bucket -> answers
    quiz_id: int | None = None
    discrimination: float | None = None
    attempts: int = 0  # complete first attempts behind the discrimination index
    per_quiz: list | None = None  # [(quiz_id, discrimination, attempts)] across quizzes

    @property
    def answered(self):
        return sum(self.choices.values())

    @property
    def correct(self):
        return self.choices[self.bucket]

    @property
    def facility(self):
        return 100 * self.correct / self.answered if self.answered else None

    @property
    def bucket_label(self):
        return BUCKET_LABELS[self.bucket]

    @property
    def wrong(self):
        """Return (label, count) of the wrong bucket chosen most often, or None."""
        wrong = [(n, value) for value, n in self.choices.items() if value != self.bucket and n]
        if not wrong:
            return None
        n, value = max(wrong)
        return BUCKET_LABELS[value], n

    @property
    def discrimination_shown(self):
        """Return True if there are enough complete first attempts to show discrimination."""
        return self.attempts >= MIN_DISCRIMINATION_ATTEMPTS


def first_complete_attempts(quiz=None):
    """Return {attempt id: score} for each learner's first complete attempt at each quiz.

    Retries (of the missed cards only) and unfinished attempts never count;
    a learner is an account, or an anonymous browser session.
    """
    attempts = Attempt.objects.filter(
        finished_at__isnull=False, retry_of=None, total__gt=0, answered=F("total")
    )
    if quiz is not None:
        attempts = attempts.filter(quiz=quiz)
    first = {}
    rows = attempts.order_by("started_at", "pk").values_list(
        "pk", "quiz_id", "user_id", "session_key", "score"
    )
    for pk, quiz_id, user_id, session_key, score in rows:
        learner = ("user", user_id) if user_id else ("session", session_key or pk)
        first.setdefault((quiz_id, learner), (pk, score))
    return dict(first.values())


def correlation(pairs):
    """Return Pearson's r of (x, y) pairs, or None when either side does not vary."""
    n = len(pairs)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in pairs) / n
    mean_y = sum(y for _, y in pairs) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in pairs)
    syy = sum((y - mean_y) ** 2 for _, y in pairs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in pairs)
    if not sxx or not syy:
        return None
    return sxy / math.sqrt(sxx * syy)


def discrimination(quiz=None, practice=None):
    """Return {(quiz id, practice id, revision): (index or None, complete first attempts)}.

    The discrimination index is Moodle's quiz statistics' "discrimination
    index": the correlation between the score on this item (0 or 1) and the
    score on the rest of the test (the attempt's score without this item),
    over complete first attempts. We use it rather than the upper/lower 27 %
    split because it uses every attempt rather than the extreme 54 %, which
    matters at team sizes, and because taking the item out of the total keeps
    an item from correlating with itself. 1 separates strong from weak
    learners perfectly; near 0 not at all; below 0 the strong get it wrong
    more often than the weak, which usually means the card is flawed.
    """
    scores = first_complete_attempts(quiz)
    if not scores:
        return {}
    answers = Answer.objects.filter(attempt_id__in=list(scores))
    if practice is not None:
        answers = answers.filter(practice=practice)
    pairs = defaultdict(list)
    for attempt_id, quiz_id, practice_id, revision, is_correct in answers.values_list(
        "attempt_id", "attempt__quiz_id", "practice_id", "revision", "is_correct"
    ):
        x = int(is_correct)
        pairs[(quiz_id, practice_id, revision)].append((x, scores[attempt_id] - x))
    return {key: (correlation(values), len(values)) for key, values in pairs.items()}


def items(quiz=None, practice=None):
    """Return an Item per (quiz, practice, revision, bucket), with its discrimination."""
    answers = Answer.objects.all()
    if quiz is not None:
        answers = answers.filter(attempt__quiz=quiz)
    if practice is not None:
        answers = answers.filter(practice=practice)
    found = {}
    rows = (
        answers.values_list("attempt__quiz_id", "practice_id", "revision", "expected", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for quiz_id, practice_id, revision, expected, choice, n in rows:
        key = (quiz_id, practice_id, revision, expected)
        item = found.setdefault(
            key, Item(practice_id, revision, expected, Counter(), quiz_id=quiz_id)
        )
        item.choices[choice] += n
    indexes = discrimination(quiz, practice)
    for (quiz_id, practice_id, revision, _), item in found.items():
        item.discrimination, item.attempts = indexes.get(
            (quiz_id, practice_id, revision), (None, 0)
        )
    return sorted(
        found.values(),
        key=lambda i: (i.quiz_id, i.practice_id, i.revision is not None, i.revision or 0),
    )


def across_quizzes(quiz_items):
    """Merge per-quiz Items into one Item per (practice, revision, bucket)."""
    merged = {}
    for item in quiz_items:
        key = (item.practice_id, item.revision, item.bucket)
        whole = merged.setdefault(
            key, Item(item.practice_id, item.revision, item.bucket, Counter(), per_quiz=[])
        )
        whole.choices.update(item.choices)
        whole.per_quiz.append((item.quiz_id, item.discrimination, item.attempts))
    return list(merged.values())


def revision_rows(practice):
    """Return the practice's Items across quizzes, newest revision first."""
    rows = across_quizzes(items(practice=practice))
    titles = dict(
        Quiz.objects.filter(
            pk__in={quiz_id for row in rows for quiz_id, _, _ in row.per_quiz}
        ).values_list("pk", "title")
    )
    for row in rows:
        row.per_quiz = [
            (titles.get(quiz_id, "?"), index, attempts) for quiz_id, index, attempts in row.per_quiz
        ]
    return sorted(rows, key=lambda i: (i.revision is not None, i.revision or 0), reverse=True)


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
