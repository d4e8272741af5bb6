"""Learners question a card's bucket; disputes queue for editors, floods are refused."""

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, Dispute
from quizzes.views import DISPUTES_PER_DAY

from .factories import make_quiz

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
REASON = "Drift monitoring reuses the SRE alerting stack, so I would say Both."


@pytest.fixture
def answered(client):
    """A started quiz whose first card is answered; return (quiz, attempt, practice)."""
    quiz = make_quiz(size=3)
    client.post(reverse("quizzes:start", args=[quiz.slug]))
    attempt = Attempt.objects.get()
    practice = quiz.items.first().practice
    url = reverse("quizzes:answer", args=[quiz.slug, attempt.public_id])
    client.post(url, {"practice": practice.pk, "choice": "both"})
    return quiz, attempt, practice


def dispute_url(quiz, attempt):
    return reverse("quizzes:dispute", args=[quiz.slug, attempt.public_id])


def test_feedback_offers_to_question_the_answer(client, answered):
    quiz, attempt, practice = answered
    html = client.get(quiz.get_absolute_url(), {"feedback": practice.pk}).content.decode()
    assert "I disagree with this answer" in html
    assert f"{dispute_url(quiz, attempt)}?practice={practice.pk}" in html


def test_the_dispute_form_comes_as_a_fragment_or_a_page(client, answered):
    quiz, attempt, practice = answered
    url = dispute_url(quiz, attempt)
    fragment = client.get(url, {"practice": practice.pk}, headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert "Why do you think it belongs elsewhere?" in fragment
    page = client.get(url, {"practice": practice.pk}).content.decode()
    assert "<html" in page
    assert practice.name in page


def test_a_dispute_is_queued_for_editors(client, answered):
    quiz, attempt, practice = answered
    response = client.post(
        dispute_url(quiz, attempt), {"practice": practice.pk, "reason": REASON}, headers=HTMX
    )
    assert response.status_code == 200
    assert "an editor will read your note" in response.content.decode()
    dispute = Dispute.objects.get()
    assert (dispute.practice, dispute.attempt, dispute.chosen) == (practice, attempt, "both")
    assert dispute.status == "open"
    assert dispute.reason == REASON


def test_a_second_dispute_on_the_same_card_is_409(client, answered):
    quiz, attempt, practice = answered
    data = {"practice": practice.pk, "reason": REASON}
    client.post(dispute_url(quiz, attempt), data)
    assert client.post(dispute_url(quiz, attempt), data).status_code == 409
    assert Dispute.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "too short", "x" * 1001])
def test_a_bad_reason_is_400(client, answered, reason):
    quiz, attempt, practice = answered
    response = client.post(dispute_url(quiz, attempt), {"practice": practice.pk, "reason": reason})
    assert response.status_code == 400
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("practice_id", ["", "abc", "99999999999999", "-1"])
def test_a_bad_practice_is_400(client, answered, practice_id):
    quiz, attempt, _ = answered
    response = client.post(dispute_url(quiz, attempt), {"practice": practice_id, "reason": REASON})
    assert response.status_code == 400
    assert not Dispute.objects.exists()


def test_an_unanswered_card_cannot_be_disputed(client, answered):
    quiz, attempt, _ = answered
    unanswered = quiz.items.last().practice
    data = {"practice": unanswered.pk, "reason": REASON}
    assert client.post(dispute_url(quiz, attempt), data).status_code == 400
    assert not Dispute.objects.exists()


def test_somebody_elses_attempt_cannot_be_disputed(answered):
    quiz, attempt, practice = answered
    data = {"practice": practice.pk, "reason": REASON}
    assert Client().post(dispute_url(quiz, attempt), data).status_code == 404
    assert not Dispute.objects.exists()


def test_a_flood_of_disputes_is_429(client, answered):
    quiz, attempt, practice = answered
    other = make_quiz(size=DISPUTES_PER_DAY + 1)
    client.post(reverse("quizzes:start", args=[other.slug]))
    flood = Attempt.objects.get(quiz=other)
    Dispute.objects.bulk_create(
        Dispute(practice=item.practice, attempt=flood, chosen="both", reason=REASON)
        for item in other.items.all()[:DISPUTES_PER_DAY]
    )
    response = client.post(dispute_url(quiz, attempt), {"practice": practice.pk, "reason": REASON})
    assert response.status_code == 429
    assert Dispute.objects.count() == DISPUTES_PER_DAY
