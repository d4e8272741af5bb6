"""Closing the dispute loop: the learner proposes a bucket, editors reply, the learner reads it."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, Dispute

from .factories import make_quiz

pytestmark = pytest.mark.django_db
REASON = "Drift monitoring reuses the SRE alerting stack, so I would say Both."
REPLY = "It stays MLOps: the drift it watches for exists only because the model learned."


@pytest.fixture
def editor_client(django_user_model):
    user = django_user_model.objects.create_user("ed", password="x" * 12, is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user(
        "learner", email="learner@example.org", password="x" * 12
    )


def answer_and_dispute(client, **extra):
    """Answer a new quiz's first card and question it; return (quiz, attempt, dispute)."""
    quiz = make_quiz(size=3)
    client.post(reverse("quizzes:start", args=[quiz.slug]))
    attempt = Attempt.objects.latest("started_at")
    practice = quiz.items.first().practice
    wrong = next(c for c in ("devops", "mlops", "both") if c != practice.category)
    client.post(
        reverse("quizzes:answer", args=[quiz.slug, attempt.public_id]),
        {"practice": practice.pk, "choice": wrong},
    )
    url = reverse("quizzes:dispute", args=[quiz.slug, attempt.public_id])
    client.post(url, {"practice": practice.pk, "reason": REASON, **extra})
    return quiz, attempt, Dispute.objects.filter(attempt=attempt).first()


def dispute_admin(dispute):
    return reverse("admin:quizzes_dispute_change", args=[dispute.pk])


def test_the_learner_can_propose_a_bucket(client):
    _, _, dispute = answer_and_dispute(client, proposed="both")
    assert dispute.proposed == "both"


def test_a_proposal_is_optional_and_must_be_a_bucket(client):
    _, _, dispute = answer_and_dispute(client)
    assert dispute.proposed == ""
    _, attempt, _ = answer_and_dispute(Client(), proposed="kubernetes")
    assert not Dispute.objects.filter(attempt=attempt).exists()


def test_the_dispute_form_offers_the_three_buckets(client):
    quiz = make_quiz(size=3)
    client.post(reverse("quizzes:start", args=[quiz.slug]))
    attempt = Attempt.objects.get()
    practice = quiz.items.first().practice
    client.post(
        reverse("quizzes:answer", args=[quiz.slug, attempt.public_id]),
        {"practice": practice.pk, "choice": "both"},
    )
    html = client.get(
        reverse("quizzes:dispute", args=[quiz.slug, attempt.public_id]), {"practice": practice.pk}
    ).content.decode()
    for value in ("devops", "mlops", "both"):
        assert f'name="proposed" value="{value}"' in html


def test_editors_cannot_change_the_learners_words_or_buckets(editor_client):
    _, _, dispute = answer_and_dispute(Client(), proposed="both")
    html = editor_client.get(dispute_admin(dispute)).content.decode()
    assert 'name="reason"' not in html and 'name="chosen"' not in html
    assert 'name="proposed"' not in html
    editor_client.post(
        dispute_admin(dispute),
        {"reason": "Edited by an editor.", "chosen": "devops", "proposed": "mlops",
         "status": "accepted", "reply": "Thanks."},
    )  # fmt: skip
    dispute.refresh_from_db()
    assert (dispute.reason, dispute.proposed, dispute.status) == (REASON, "both", "accepted")


def test_rejecting_requires_a_reply(editor_client):
    _, _, dispute = answer_and_dispute(Client())
    response = editor_client.post(dispute_admin(dispute), {"status": "rejected", "reply": "  "})
    assert response.status_code == 200
    assert "Rejecting needs a reply" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_the_reject_action_refuses_disputes_without_a_reply(editor_client):
    _, _, silent = answer_and_dispute(Client())
    _, _, answered = answer_and_dispute(Client())
    Dispute.objects.filter(pk=answered.pk).update(reply=REPLY)
    response = editor_client.post(
        reverse("admin:quizzes_dispute_changelist"),
        {"action": "reject", "_selected_action": [silent.pk, answered.pk]},
        follow=True,
    )
    assert "Not rejected: 1 dispute(s) without a reply" in response.content.decode()
    silent.refresh_from_db()
    answered.refresh_from_db()
    assert (silent.status, answered.status) == ("open", "rejected")


def test_a_signed_in_learner_reads_the_reply_on_me_and_by_email(editor_client, learner):
    client = Client()
    client.force_login(learner)
    _, _, dispute = answer_and_dispute(client, proposed="both")
    response = editor_client.post(dispute_admin(dispute), {"status": "rejected", "reply": REPLY})
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(reverse("onboarding:me")).content.decode()
    assert REPLY in html
    assert "kept the card as it is" in html
    (message,) = mail.outbox
    assert message.to == ["learner@example.org"]
    assert REPLY in message.body


def test_a_learner_without_an_address_gets_no_email(editor_client, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("noaddress", password="x" * 12))
    _, _, dispute = answer_and_dispute(client)
    editor_client.post(dispute_admin(dispute), {"status": "accepted", "reply": "Agreed."})
    assert mail.outbox == []


def test_an_anonymous_learner_reads_the_reply_on_the_cards_dispute_page(editor_client):
    browser = Client()
    quiz, attempt, dispute = answer_and_dispute(browser)
    editor_client.post(dispute_admin(dispute), {"status": "rejected", "reply": REPLY})
    url = reverse("quizzes:dispute", args=[quiz.slug, attempt.public_id])
    html = browser.get(url, {"practice": dispute.practice_id}).content.decode()
    assert REPLY in html
    # Another browser sees nothing of it.
    assert Client().get(url, {"practice": dispute.practice_id}).status_code == 404
