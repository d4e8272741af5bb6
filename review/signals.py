"""Quiz answers seed review cards; a changed practice restarts its cards; signing in brings
the cards of the attempts made before."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from comparisons.models import Practice
from quizzes.grading import answer_recorded

from . import scheduling


@receiver(answer_recorded)
def seed_from_quiz_answer(sender, answer, guessed=False, **kwargs):
    """A signed-in learner's answer in a full attempt (not a retry of mistakes) seeds a card."""
    attempt = answer.attempt
    if attempt.user_id is None or attempt.retry_of_id is not None:
        return
    scheduling.seed(
        attempt.user_id,
        answer.practice,
        choice=answer.choice,
        is_correct=answer.is_correct,
        guessed=guessed,
        now=answer.answered_at,
    )


@receiver(post_save, sender=Practice)
def restart_cards_of_a_changed_practice(sender, instance, raw=False, **kwargs):
    if not raw:
        scheduling.restart_changed_cards(instance)


@receiver(user_logged_in)
def seed_from_earlier_attempts(sender, request, user, **kwargs):
    """After quizzes adopts the browser's anonymous attempts, make cards from them too."""
    scheduling.seed_from_history(user)
