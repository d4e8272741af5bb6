"""An editor's change reaches learners' quiz pages on the very next request.

Each test first renders a page, then changes content the way an editor would
and checks that the next request shows the change.
"""

import pytest
from django.test import Client
from django.urls import reverse

from comparisons.admin import unpublish
from quizzes.admin import QuizAdmin, publish_quizzes
from quizzes.models import Quiz, QuizItem

from .factories import make_practice, make_quiz, practices_of, start

pytestmark = pytest.mark.django_db


def test_renaming_a_quiz_shows_on_its_page_at_once(client):
    quiz = make_quiz()
    assert quiz.title in client.get(quiz.get_absolute_url()).content.decode()
    quiz.title = "Renamed by an editor"
    quiz.save()
    assert "Renamed by an editor" in client.get(quiz.get_absolute_url()).content.decode()


def test_editing_a_practice_changes_the_card_a_learner_is_on(client):
    quiz = make_quiz()
    start(client, quiz)
    first = practices_of(quiz)[0]
    assert first.name in client.get(quiz.get_absolute_url()).content.decode()
    first.name = "A clearer name for this card"
    first.save()
    assert "A clearer name for this card" in client.get(quiz.get_absolute_url()).content.decode()


def test_adding_a_card_changes_the_size_on_the_intro(client):
    quiz = make_quiz(size=5)
    assert "5 cards" in client.get(quiz.get_absolute_url()).content.decode()
    QuizItem.objects.create(quiz=quiz, practice=make_practice(), position=9)
    assert "6 cards" in client.get(quiz.get_absolute_url()).content.decode()
    QuizItem.objects.filter(quiz=quiz).first().delete()
    assert "5 cards" in client.get(quiz.get_absolute_url()).content.decode()


def test_bulk_unpublish_and_publish_in_the_admin_reach_learners_at_once(rf, staff_user):
    quiz = make_quiz()
    learner = Client()
    assert learner.get(quiz.get_absolute_url()).status_code == 200
    request = rf.post("/admin/")
    request.user = staff_user
    model_admin = QuizAdmin(Quiz, None)
    model_admin.message_user = lambda *args, **kwargs: None
    unpublish(model_admin, request, Quiz.objects.filter(pk=quiz.pk))
    assert learner.get(quiz.get_absolute_url()).status_code == 404
    publish_quizzes(model_admin, request, Quiz.objects.filter(pk=quiz.pk))
    assert learner.get(quiz.get_absolute_url()).status_code == 200


def test_a_deleted_quiz_is_gone_for_learners_at_once(client):
    quiz = make_quiz()
    url = quiz.get_absolute_url()
    assert client.get(url).status_code == 200
    quiz.delete()
    assert client.get(url).status_code == 404
    assert client.get(reverse("quizzes:list")).status_code == 200


def test_the_quiz_list_shows_drafts_to_staff_only(client, staff_user):
    draft = make_quiz(is_published=False, title="A quiz still in draft")
    assert draft.title not in client.get("/quizzes/").content.decode()
    staff = Client()
    staff.force_login(staff_user)
    html = staff.get("/quizzes/").content.decode()
    assert draft.title in html and "Draft" in html
    assert "5 cards" in html
