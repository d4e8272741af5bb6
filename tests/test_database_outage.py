"""While the database restarts, requests get a clean 503 page (not a 500), and service resumes."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from quizzes.models import Quiz

pytestmark = pytest.mark.django_db


def database_down():
    """Make every new use of the database fail as it does while PostgreSQL restarts."""
    refused = OperationalError("connection refused: the database system is shutting down")
    return mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=refused)


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/", "/quizzes/", "/quizzes/warm-up/", "/compare/"])
def test_pages_answer_503_with_a_retry_hint_while_the_database_is_down(client, url):
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "cannot reach its database" in response.content.decode()


def test_an_answer_posted_while_the_database_is_down_gets_503(client):
    quiz = Quiz.objects.get(slug="warm-up")
    client.get(quiz.get_absolute_url())
    client.post(f"/quizzes/{quiz.slug}/start/")
    with database_down():
        response = client.post(f"/quizzes/{quiz.slug}/start/", headers={"HX-Request": "true"})
    assert response.status_code == 503


def test_service_resumes_by_itself_once_the_database_is_back(client):
    with database_down():
        assert client.get("/quizzes/").status_code == 503
    assert client.get("/quizzes/").status_code == 200


def test_other_failures_are_still_a_500(client):
    with mock.patch("quizzes.views.Quiz.objects.visible_to", side_effect=RuntimeError("bug")):
        response = client.get("/quizzes/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
