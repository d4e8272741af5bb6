"""`make bench`'s own views: the learner bound does what a learner page cannot skip, and no more."""

import pytest
from django.test import Client
from django.urls import include, path

from tests.factories import make_quiz, start

# The site with the bench's views mounted, as DJANGO_BENCH_BASELINE mounts them.
urlpatterns = [path("", include("opsguide.urls")), path("_bench/", include("bench.urls"))]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_the_learner_bound_answers_for_the_learners_own_attempt(client, django_assert_num_queries):
    attempt = start(client, make_quiz())
    with django_assert_num_queries(2):  # the session, then the attempt
        response = client.get(f"/_bench/learner-bound/{attempt.public_id}/")
    assert response.status_code == 200
    assert len(response.content) == 5400


def test_the_learner_bound_refuses_an_attempt_of_another_session(client):
    attempt = start(client, make_quiz())
    assert Client().get(f"/_bench/learner-bound/{attempt.public_id}/").status_code == 404


def test_the_baseline_renders_its_static_page_without_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/_bench/baseline/")
    assert b"<h1>Baseline</h1>" in response.content
