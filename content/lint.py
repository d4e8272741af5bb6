"""The content lint: what every card and every published quiz must be, checked in one place.

`manage.py lint_content` runs it, the tests run it on the shipped content, and
the admin can run the practice checks when an editor saves. Each problem names
what to fix.
"""

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from comparisons.models import BUCKET_LABELS, Category, Practice, repeats
from quizzes.models import Quiz

from . import cues

MAX_SOURCES = 3
MIN_SHARE = 0.20  # of each bucket in every published quiz
MAX_QUIZZES_PER_CARD = 3
NEAR_DUPLICATE = 0.6  # share of content words two cards' names have in common

# Words every card may use because every card is set in an ML team's work;
# they say nothing about whether two cards are the same practice.
FRAMING_WORDS = frozenset(
    """
    a an and the of to for in on on-call with by from as at its it their each every all new
    ml team team's teams model models data
    """.split()
)


@dataclass(frozen=True)
class Problem:
    subject: str
    message: str

    def __str__(self):
        return f"{self.subject}: {self.message}"


def practice_problems(practice, source_count=None):
    """Return the problems of one practice: sources, explanation, rule and notes."""
    subject = f"practice “{practice.name}”"
    problems = []
    if source_count is None:
        source_count = practice.sources.count()
    if not 1 <= source_count <= MAX_SOURCES:
        problems.append(f"cite one to {MAX_SOURCES} sources (it has {source_count})")
    if not practice.explanation.strip():
        problems.append("explain why the practice is in its bucket")
    reason = practice.rule_reason.strip()
    if not reason:
        problems.append(
            "fill in “how the rule applies”: "
            + {
                Category.DEVOPS: "say why nothing changes for an ML team",
                Category.BOTH: "name the specific thing ML adds",
                Category.MLOPS: "say what about learned behaviour makes it necessary",
            }[practice.category]
        )
    elif repeats(reason, practice.explanation):
        problems.append(
            "“how the rule applies” repeats the explanation; say it in one new sentence"
        )
    if practice.notes_are_stale:
        problems.append(
            f"its notes were written while it was {BUCKET_LABELS[practice.notes_bucket]}; "
            f"review them for {BUCKET_LABELS[practice.category]} "
            "(learners see the explanation until then)"
        )
    elif not practice.is_contested:
        for bucket, label in Category.choices:
            if bucket == practice.category:
                continue
            note = getattr(practice, f"note_if_{bucket}")
            if not note.strip():
                problems.append(f"write the note for a learner who chose {label}")
            elif repeats(note, practice.explanation):
                problems.append(
                    f"the note for {label} repeats the explanation; "
                    "answer the mistake that choice reveals"
                )
    return [Problem(subject, message) for message in problems]


def content_words(name):
    return set(re.findall(r"[a-z0-9']+", name.lower())) - FRAMING_WORDS


def near_duplicates(practices):
    """Yield pairs of practices in different buckets whose names say nearly the same thing."""
    words = {practice.pk: content_words(practice.name) for practice in practices}
    for first, second in itertools.combinations(practices, 2):
        if first.category == second.category:
            continue
        a, b = words[first.pk], words[second.pk]
        if a and b and len(a & b) / len(a | b) >= NEAR_DUPLICATE:
            yield first, second


def card(practice):
    return {
        "name": practice.name,
        "description": practice.description,
        "category": practice.category,
    }


def quiz_problems(quiz, practices):
    """Return the problems of a published quiz's cards: balance and word clues."""
    subject = f"quiz “{quiz.title}”"
    problems = []
    if not practices:
        return [Problem(subject, "has no cards")]
    counts = Counter(practice.category for practice in practices)
    for bucket, label in Category.choices:
        share = counts[bucket] / len(practices)
        if share < MIN_SHARE:
            problems.append(
                f"only {counts[bucket]} of {len(practices)} cards are {label}; "
                f"every bucket needs at least {MIN_SHARE:.0%}"
            )
    score, guesser = cues.best_guesser(card(practice) for practice in practices)
    if score * 100 >= quiz.pass_mark:
        problems.append(
            f"a guesser that reads only the cards' words scores {score:.0%} "
            f"(pass mark {quiz.pass_mark}%): {guesser}. Reword cards so the action decides"
        )
    return [Problem(subject, message) for message in problems]


def lint():
    """Return every problem in the published content."""
    practices = list(
        Practice.objects.published()
        .select_related("dimension")
        .prefetch_related("sources")
        .order_by("name")
    )
    problems = []
    for practice in practices:
        problems += practice_problems(practice, source_count=len(practice.sources.all()))
    for first, second in near_duplicates(practices):
        problems.append(
            Problem(
                f"practices “{first.name}” and “{second.name}”",
                f"read as the same practice but sit in different buckets "
                f"({first.get_category_display()}, {second.get_category_display()}); "
                "make them clearly different or put them in one bucket",
            )
        )
    quizzes_of = defaultdict(list)
    for quiz in Quiz.objects.published().prefetch_related("practices"):
        cards = list(quiz.practices.all())
        for practice in cards:
            quizzes_of[practice.pk].append(quiz.title)
        problems += quiz_problems(quiz, cards)
    for practice in practices:
        if practice.is_contested:
            continue
        titles = quizzes_of.get(practice.pk, [])
        if not titles:
            problems.append(
                Problem(f"practice “{practice.name}”", "is quizzable but in no published quiz")
            )
        elif len(titles) > MAX_QUIZZES_PER_CARD:
            problems.append(
                Problem(
                    f"practice “{practice.name}”",
                    f"sits in {len(titles)} published quizzes; at most {MAX_QUIZZES_PER_CARD}",
                )
            )
    return problems
