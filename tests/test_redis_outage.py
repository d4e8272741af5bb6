"""While Redis is down, pages are served and sessions keep working.

The default cache (pages, sessions' cached copies, content) is django-redis
with IGNORE_EXCEPTIONS: a failed read is a miss and a failed write is skipped.
Sessions are cached_db, so the database still holds every session.
"""

import pytest
from django.core.cache import caches
from django.urls import reverse

from quizzes.models import Attempt
from tests.factories import make_quiz, practices_of, start

pytestmark = pytest.mark.django_db
NOWHERE = "redis://127.0.0.1:9/0"  # nothing listens on the discard port


@pytest.fixture
def redis_down(settings):
    redis = {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25}
    settings.CACHES = {
        **settings.CACHES,  # the process's own "local" cache stays
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": NOWHERE,
            "OPTIONS": {**redis, "IGNORE_EXCEPTIONS": True},
        },
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": NOWHERE,
            "OPTIONS": redis,
        },
    }
    assert caches["default"].get("anything") is None  # really unreachable, and quiet


def test_content_pages_are_served_while_redis_is_down(client, redis_down):
    for url in ["/", "/compare/", "/practices/?q=model", "/quizzes/"]:
        assert client.get(url).status_code == 200, url


def test_a_learner_keeps_their_session_and_answers_while_redis_is_down(client, redis_down):
    quiz = make_quiz(size=3)
    attempt = start(client, quiz)
    practice = practices_of(quiz)[0]
    answer_url = reverse("quizzes:answer", args=[quiz.slug, attempt.public_id])
    response = client.post(answer_url, {"practice": practice.pk, "choice": practice.category})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.answered, attempt.score) == (1, 1)
    # The next request finds the same session (from the database) and the same attempt.
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "1 of 3 answered" in page
    assert Attempt.objects.count() == 1
