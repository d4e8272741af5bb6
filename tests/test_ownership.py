"""Who owns an attempt: one rule, Attempt.objects.owned_by(request), used by every view."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory

from quizzes import grading
from quizzes.models import Attempt

from .factories import make_quiz

pytestmark = pytest.mark.django_db

SESSION = "k" * 32


def request_for(user=None, session_key=None):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore(session_key=session_key)
    return request


@pytest.fixture
def attempts(django_user_model):
    """Attempts of one anonymous session, another session, and a signed-in learner."""
    quiz = make_quiz()
    user = django_user_model.objects.create_user("learner", password="x" * 12)
    return {
        "quiz": quiz,
        "user": user,
        "mine": grading.start_attempt(quiz=quiz, owner={"user": None, "session_key": SESSION}),
        "other session": grading.start_attempt(
            quiz=quiz, owner={"user": None, "session_key": "z" * 32}
        ),
        "account": grading.start_attempt(quiz=quiz, owner={"user": user, "session_key": ""}),
    }


def test_an_anonymous_learner_owns_only_their_sessions_attempts(attempts):
    owned = Attempt.objects.owned_by(request_for(session_key=SESSION))
    assert list(owned) == [attempts["mine"]]


def test_a_signed_in_learner_owns_only_their_accounts_attempts(attempts):
    owned = Attempt.objects.owned_by(request_for(user=attempts["user"]))
    assert list(owned) == [attempts["account"]]


def test_a_request_without_a_session_owns_nothing(attempts):
    assert not Attempt.objects.owned_by(request_for()).exists()
    assert not Attempt.objects.owned_by(request_for(session_key="nobody" * 5)).exists()


def test_an_anonymous_attempt_is_not_owned_by_an_account_with_the_same_session_key(attempts):
    attempts["account"].session_key = SESSION
    attempts["account"].save()
    owned = Attempt.objects.owned_by(request_for(session_key=SESSION))
    assert list(owned) == [attempts["mine"]]


def test_staff_may_look_at_every_attempt_but_own_only_theirs(attempts, staff_user):
    request = request_for(user=staff_user)
    assert set(Attempt.objects.visible_to(request)) == set(Attempt.objects.all())
    assert not Attempt.objects.owned_by(request).exists()


def test_a_learner_may_look_only_at_what_they_own(attempts):
    request = request_for(session_key=SESSION)
    assert list(Attempt.objects.visible_to(request)) == [attempts["mine"]]
