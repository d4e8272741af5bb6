"""The URLs of quizzes and attempts, reversed once per quiz and process.

reverse() checks each URL it builds against its pattern, about 30 µs here, and
a learner's page needs four or five of them. Only the attempt's id differs
between attempts, so each URL is reversed once with a stand-in id that is
then filled in.
"""

import uuid
from functools import lru_cache

from django.urls import get_script_prefix, reverse

STAND_IN = uuid.UUID(int=0)


@lru_cache(maxsize=4096)
def _quiz_url(name, slug, script_prefix):
    return reverse(f"quizzes:{name}", args=[slug])


@lru_cache(maxsize=4096)
def _attempt_url(name, slug, script_prefix):
    return reverse(f"quizzes:{name}", args=[slug, STAND_IN]).replace(str(STAND_IN), "{}")


def quiz_url(name, slug):
    """Return the URL named `quizzes:<name>` of the quiz with this slug."""
    return _quiz_url(name, slug, get_script_prefix())


def attempt_url(name, attempt):
    """Return the URL named `quizzes:<name>` of this attempt."""
    return _attempt_url(name, attempt.quiz.slug, get_script_prefix()).format(attempt.public_id)
