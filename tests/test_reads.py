"""The learner's hot path: SQL reads and cached URLs must agree with the ORM and reverse()."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from quizzes import grading, links, reads
from quizzes.models import Attempt

from .factories import make_quiz

pytestmark = pytest.mark.django_db


def request_for(user=None, session_key=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore(session_key=session_key)
    return request


def answer_some(attempt, count):
    practices = {item.practice.pk: item.practice for item in attempt.quiz.items.all()}
    for pk in attempt.practice_ids[:count]:
        practice = practices[pk]
        choice = "both" if practice.category != "both" else "devops"  # always wrong
        grading.record_answer(attempt=attempt, practice=practice, choice=choice)


def test_current_attempt_matches_the_orm_for_sessions_and_users(django_user_model):
    quiz, other_quiz = make_quiz(), make_quiz()
    user = django_user_model.objects.create_user("learner", password="x" * 12)
    mine = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": "k" * 32})
    grading.start_attempt(quiz=other_quiz, owner={"user": None, "session_key": "k" * 32})
    grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": "z" * 32})
    theirs = grading.start_attempt(quiz=quiz, owner={"user": user, "session_key": ""})

    found = reads.current_attempt(request_for(session_key="k" * 32), quiz)
    assert found == mine
    assert found.practice_ids == mine.practice_ids  # JSON decoded
    assert found.public_id == mine.public_id  # a UUID on SQLite and PostgreSQL
    assert reads.current_attempt(request_for(user=user), quiz) == theirs
    assert reads.current_attempt(request_for(session_key="nobody" * 5), quiz) is None
    assert reads.current_attempt(request_for(), quiz) is None  # no session yet


def test_current_attempt_skips_finished_attempts_and_takes_the_latest():
    quiz = make_quiz(size=5)
    owner = {"user": None, "session_key": "k" * 32}
    first = grading.start_attempt(quiz=quiz, owner=owner)
    answer_some(first, 5)
    assert reads.current_attempt(request_for(session_key="k" * 32), quiz) is None
    second = grading.start_attempt(quiz=quiz, owner=owner)
    third = grading.start_attempt(quiz=quiz, owner=owner)
    found = reads.current_attempt(request_for(session_key="k" * 32), quiz)
    assert found == Attempt.objects.filter(pk__in=[second.pk, third.pk]).latest("started_at")


def test_attempt_and_answers_match_the_orm():
    quiz, other_quiz = make_quiz(size=6), make_quiz()
    attempt = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": "k" * 32})
    answer_some(attempt, 4)
    attempt.refresh_from_db()
    found = reads.attempt(quiz, attempt.public_id)
    assert (found.pk, found.score, found.answered, found.total) == (
        attempt.pk,
        attempt.score,
        attempt.answered,
        attempt.total,
    )
    assert found.started_at == attempt.started_at  # an aware datetime on both databases
    assert found.quiz is quiz
    assert reads.attempt(other_quiz, attempt.public_id) is None

    practices = {item.practice.pk: item.practice for item in quiz.items.all()}
    read = reads.answers(attempt, practices)
    expected = list(attempt.answers.all())
    assert [(a.pk, a.practice_id, a.choice, a.expected, a.is_correct) for a in read] == [
        (a.pk, a.practice_id, a.choice, a.expected, a.is_correct) for a in expected
    ]
    assert all(isinstance(a.is_correct, bool) for a in read)
    first = expected[0]
    assert reads.answer_to(attempt, practices[first.practice_id]).pk == first.pk
    unanswered = practices[attempt.practice_ids[-1]]
    assert reads.answer_to(attempt, unanswered) is None


def test_cached_urls_are_what_reverse_gives():
    quiz = make_quiz()
    attempt = grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": "k" * 32})
    for name in ["play", "board", "start"]:
        assert links.quiz_url(name, quiz.slug) == reverse(f"quizzes:{name}", args=[quiz.slug])
    for name in ["answer", "dispute", "results", "retry"]:
        assert links.attempt_url(name, attempt) == reverse(
            f"quizzes:{name}", args=[quiz.slug, attempt.public_id]
        )
