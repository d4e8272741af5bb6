"""prune_anonymous: anonymous attempts and sessions go after the retention age, the rest stays."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onboarding.models import Membership, Team
from opsguide.models import RateCounter
from quizzes.management.commands import prune_anonymous
from quizzes.models import Answer, Attempt, Dispute

from .factories import make_quiz, practices_of, start, wrong_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
REASON = "Drift monitoring reuses the SRE alerting stack, so I would say Both."


@pytest.fixture(autouse=True)
def long_sessions(settings):
    """Session cookies that outlive the retention age, so that age alone decides."""
    settings.SESSION_COOKIE_AGE = 90 * 24 * 60 * 60
    settings.ANONYMOUS_RETENTION_DAYS = 30


@pytest.fixture
def quiz():
    return make_quiz(size=5)


@pytest.fixture
def member(django_user_model):
    user = django_user_model.objects.create_user("mo", password=PASSWORD)
    team = Team.objects.create(name="Platform", slug="platform")
    Membership.objects.create(team=team, user=user)
    return user


def days_ago(days):
    return time_machine.travel(timezone.now() - timedelta(days=days))


def answer(client, attempt, practice, choice=None):
    url = reverse("quizzes:answer", args=[attempt.quiz.slug, attempt.public_id])
    response = client.post(url, {"practice": practice.pk, "choice": choice or practice.category})
    assert response.status_code in (200, 302)


def play(client, quiz, answers):
    """Start the quiz and answer its first `answers` cards rightly; return the attempt."""
    attempt = start(client, quiz)
    for practice in practices_of(quiz)[:answers]:
        answer(client, attempt, practice)
    attempt.refresh_from_db()
    return attempt


def session_key(client):
    return client.cookies["sessionid"].value


def prune(*args):
    out = StringIO()
    call_command("prune_anonymous", *args, stdout=out)
    return out.getvalue()


def test_an_old_anonymous_attempt_is_deleted_with_its_answers(quiz):
    with days_ago(31):
        old = play(Client(), quiz, answers=3)
    assert Answer.objects.filter(attempt=old).count() == 3
    output = prune()
    assert not Attempt.objects.filter(pk=old.pk).exists()
    assert not Answer.objects.filter(attempt_id=old.pk).exists()
    assert "Deleted 1 anonymous attempts (3 answers)" in output


def test_a_recent_anonymous_attempt_is_kept(quiz):
    with days_ago(31):
        old = play(Client(), quiz, answers=1)
    with days_ago(29):
        recent = play(Client(), quiz, answers=2)
    prune()
    assert list(Attempt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Answer.objects.filter(attempt=recent).count() == 2
    assert not Attempt.objects.filter(pk=old.pk).exists()


def test_an_old_attempt_answered_recently_is_kept(quiz):
    client = Client()
    with days_ago(40):
        attempt = play(client, quiz, answers=1)
    with days_ago(2):
        answer(client, attempt, practices_of(quiz)[1])
    prune()
    assert Answer.objects.filter(attempt_id=attempt.pk).count() == 2


def test_an_old_attempt_finished_recently_is_kept(quiz):
    client = Client()
    with days_ago(40):
        attempt = play(client, quiz, answers=4)
    with days_ago(2):
        answer(client, attempt, practices_of(quiz)[4])
    attempt.refresh_from_db()
    assert attempt.is_finished
    prune()
    assert Attempt.objects.filter(pk=attempt.pk).count() == 1


def test_a_recent_retry_keeps_the_attempt_it_retries(quiz):
    """Deleting the original would make the retry look like a whole attempt."""
    client = Client()
    first, *others = practices_of(quiz)
    with days_ago(40):
        original = start(client, quiz)
        answer(client, original, first, wrong_for(first))
        for practice in others:
            answer(client, original, practice)
    with days_ago(2):
        client.post(reverse("quizzes:retry", args=[quiz.slug, original.public_id]))
    retry = Attempt.objects.get(retry_of=original)
    prune()
    retry.refresh_from_db()
    assert retry.retry_of_id == original.pk


def test_old_attempts_of_a_team_member_are_kept(quiz, member):
    client = Client()
    with days_ago(100):
        before_login = play(client, quiz, answers=5)
        assert client.login(username="mo", password=PASSWORD)
        after_login = play(client, quiz, answers=5)
    adopted = Attempt.objects.filter(pk__in=[before_login.pk, after_login.pk], user=member)
    assert adopted.count() == 2
    output = prune()
    assert Attempt.objects.filter(user=member).count() == 2
    assert Answer.objects.filter(attempt__user=member).count() == 10
    assert "Deleted 0 anonymous attempts (0 answers)" in output


def test_a_dispute_on_a_pruned_attempt_stays_queued(quiz):
    client = Client()
    with days_ago(40):
        attempt = play(client, quiz, answers=1)
        practice = practices_of(quiz)[0]
        url = reverse("quizzes:dispute", args=[quiz.slug, attempt.public_id])
        client.post(url, {"practice": practice.pk, "reason": REASON})
    dispute = Dispute.objects.get(practice=practice)
    assert dispute.attempt_id == attempt.pk
    prune()
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    dispute.refresh_from_db()
    assert (dispute.attempt, dispute.status, dispute.reason) == (None, "open", REASON)


def test_old_anonymous_sessions_go_and_the_others_stay(quiz, member):
    old_anonymous, old_member, recent_anonymous = Client(), Client(), Client()
    with days_ago(31):
        start(old_anonymous, quiz)
        assert old_member.login(username="mo", password=PASSWORD)
    with days_ago(29):
        start(recent_anonymous, quiz)
    old_key = session_key(old_anonymous)
    assert SessionStore().exists(old_key) is True
    output = prune()
    kept = set(Session.objects.values_list("session_key", flat=True))
    assert kept == {session_key(old_member), session_key(recent_anonymous)}
    # Gone from the cache as well as from the table.
    assert SessionStore().exists(old_key) is False
    assert "and 1 anonymous sessions older than 30 days." in output


def test_expired_sessions_are_cleared_too(member):
    client = Client()
    with days_ago(91):
        assert client.login(username="mo", password=PASSWORD)
    assert Session.objects.filter(session_key=session_key(client)).count() == 1
    output = prune()
    assert Session.objects.count() == 0
    assert "Deleted 1 expired sessions." in output


def test_dry_run_deletes_nothing_and_reports_the_counts(quiz):
    client = Client()
    with days_ago(40):
        play(client, quiz, answers=3)
    output = prune("--dry-run")
    expected = "1 anonymous attempts (3 answers) and 1 anonymous sessions older than 30 days."
    assert f"Would delete {expected}" in output
    assert (Attempt.objects.count(), Answer.objects.count(), Session.objects.count()) == (1, 3, 1)
    assert SessionStore().exists(session_key(client)) is True
    assert f"Deleted {expected}" in prune()


def test_days_overrides_the_setting(quiz):
    with days_ago(20):
        attempt = play(Client(), quiz, answers=1)
    assert "Deleted 0 anonymous attempts" in prune()
    assert Attempt.objects.filter(pk=attempt.pk).exists()
    output = prune("--days", "10")
    expected = (
        "Deleted 1 anonymous attempts (1 answers) and 1 anonymous sessions older than 10 days."
    )
    assert expected in output
    assert not Attempt.objects.filter(pk=attempt.pk).exists()


def test_the_setting_gives_the_default_age(quiz, settings):
    settings.ANONYMOUS_RETENTION_DAYS = 10
    with days_ago(20):
        attempt = play(Client(), quiz, answers=1)
    assert "older than 10 days" in prune()
    assert not Attempt.objects.filter(pk=attempt.pk).exists()


def test_days_must_be_at_least_one():
    with pytest.raises(CommandError, match="at least 1"):
        prune("--days", "0")


def test_many_rows_are_deleted_batch_by_batch(quiz, member, monkeypatch):
    monkeypatch.setattr(prune_anonymous, "BATCH", 2)
    with days_ago(40):
        for _ in range(5):
            play(Client(), quiz, answers=1)
        assert Client().login(username="mo", password=PASSWORD)
    output = prune()
    assert "Deleted 5 anonymous attempts (5 answers) and 5 anonymous sessions" in output
    assert (Attempt.objects.count(), Session.objects.count()) == (0, 1)


def test_a_learner_whose_session_was_pruned_starts_afresh(quiz):
    client = Client()
    with days_ago(40):
        old = play(client, quiz, answers=1)
    old_key = session_key(client)
    assert "Resume (1 right so far)" in client.get("/quizzes/").content.decode()
    prune()
    response = client.get("/quizzes/")
    assert response.status_code == 200
    assert "Resume" not in response.content.decode()
    new = start(client, quiz)
    assert new.pk != old.pk
    assert new.session_key not in ("", old_key)
    assert list(Attempt.objects.values_list("pk", flat=True)) == [new.pk]


def test_rate_limit_counts_of_past_windows_are_deleted(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_user": (5, 60)}
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        Client().post(reverse("login"), {"username": "alice", "password": "x"})
    Client().post(reverse("login"), {"username": "alice", "password": "x"})
    assert RateCounter.objects.filter(key__startswith="ratelimit:login_user:").count() == 2
    output = prune()
    assert "Deleted 2 rate-limit counts of past windows." in output  # per user and per address
    # The current window's count stays, and still counts.
    current = RateCounter.objects.get(key__startswith="ratelimit:login_user:")
    assert current.count == 1
